// Answers disco#info and disco#items for the group chat service and its rooms.
#include "xmpp/muc/muc_disco.h"

#include <array>
#include <string_view>

#include "xmpp/im/data_form.h"
#include "xmpp/im/namespaces.h"
#include "xmpp/im/server_iq.h"
#include "xmpp/im/stanza_error.h"
#include "xmpp/muc/muc_stanzas.h"
#include "xmpp/muc/occupant_id.h"

namespace starling::xmpp::muc {

namespace {

using enum im::StanzaErrorCondition;
using im::kDiscoInfoNamespace;
using im::kDiscoItemsNamespace;

constexpr std::string_view kRoomInfoFormType = "http://jabber.org/protocol/muc#roominfo";

// §6.4 and §15.5: what every room here is (see Room). XEP-0313 §6.1: the room keeps an
// archive; XEP-0410: it answers an occupant's ping to itself; XEP-0421: it marks what each
// occupant sends with an occupant id.
constexpr std::array<std::string_view, 5> kRoomFeatures = {
    kMucNamespace, "muc_persistent", im::kMamNamespace,
    "http://jabber.org/protocol/muc#self-ping-optimization", kOccupantIdNamespace};

xml::Element info_result(const xml::Element& iq, std::string_view name,
                         std::initializer_list<std::string_view> features) {
  auto result = im::make_result(iq);
  auto& query = result.append(xml::Element(kDiscoInfoNamespace, "query"));
  query.append(xml::Element(kDiscoInfoNamespace, "identity"))
      .set_attribute("category", "conference")
      .set_attribute("type", "text")
      .set_attribute("name", name);
  for (const auto feature : features) {
    query.append(xml::Element(kDiscoInfoNamespace, "feature")).set_attribute("var", feature);
  }
  return result;
}

xml::Element room_info(const xml::Element& iq, const Room& room) {
  const auto& record = room.record();
  auto result =
      info_result(iq, record.title.empty() ? record.name : record.title, {kDiscoInfoNamespace});
  auto* query = result.child(kDiscoInfoNamespace, "query");
  for (const auto feature : {record.members_only ? "muc_membersonly" : "muc_open",
                             record.is_public ? "muc_public" : "muc_hidden",
                             record.semi_anonymous ? "muc_semianonymous" : "muc_nonanonymous",
                             record.moderated ? "muc_moderated" : "muc_unmoderated",
                             record.password.empty() ? "muc_unsecured" : "muc_passwordprotected"}) {
    query->append(xml::Element(kDiscoInfoNamespace, "feature")).set_attribute("var", feature);
  }
  for (const auto feature : kRoomFeatures) {
    query->append(xml::Element(kDiscoInfoNamespace, "feature")).set_attribute("var", feature);
  }
  if (!record.description.empty()) { // §6.4: extended room information
    auto& form = query->append(xml::Element(im::kDataFormsNamespace, "x"));
    form.set_attribute("type", "result");
    form.append(im::form_field("FORM_TYPE", kRoomInfoFormType, "hidden"));
    form.append(im::form_field("muc#roominfo_description", record.description));
  }
  return result;
}

// §6.3: the public rooms; hidden ones are found by those told their address.
xml::Element service_items(const xml::Element& iq, const Rooms& rooms) {
  auto result = im::make_result(iq);
  auto& query = result.append(xml::Element(kDiscoItemsNamespace, "query"));
  for (const auto& [name, room] : rooms) {
    if (!room.record().is_public) {
      continue;
    }
    query.append(xml::Element(kDiscoItemsNamespace, "item"))
        .set_attribute("jid", room.jid().to_string())
        .set_attribute("name", room.record().title.empty() ? name : room.record().title);
  }
  return result;
}

} // namespace

xml::Element answer_iq(const xml::Element& iq, const Jid& to, const Rooms& rooms) {
  auto elements = iq.elements();
  const auto* query = elements.begin() == elements.end() ? nullptr : &*elements.begin();
  const bool get = iq.attribute("type") == "get";
  const bool info = get && query != nullptr && query->is(kDiscoInfoNamespace, "query");
  const bool items = get && query != nullptr && query->is(kDiscoItemsNamespace, "query");
  if (!info && !items) {
    return im::make_error_reply(iq, service_unavailable);
  }
  if (query->attribute("node") || !to.is_bare()) {
    // No nodes, and nothing lives at a resource of the service.
    return im::make_error_reply(iq, item_not_found);
  }
  if (to.local().empty()) {
    return info ? info_result(iq, "Group chat",
                              {kDiscoInfoNamespace, kDiscoItemsNamespace, kMucNamespace})
                : service_items(iq, rooms);
  }
  const auto room = rooms.find(to.local());
  if (room == rooms.end()) {
    return im::make_error_reply(iq, item_not_found); // §6.4
  }
  if (info) {
    return room_info(iq, room->second);
  }
  auto result = im::make_result(iq); // §6.5: occupants are not listed
  result.append(xml::Element(kDiscoItemsNamespace, "query"));
  return result;
}

} // namespace starling::xmpp::muc
