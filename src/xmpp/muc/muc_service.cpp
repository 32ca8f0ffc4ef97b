// Routes stanzas for conference.DOMAIN to its rooms, creating rooms on first entry.
#include "xmpp/muc/muc_service.h"

#include <utility>

#include "xmpp/im/mam_query.h"
#include "xmpp/im/namespaces.h"
#include "xmpp/im/server_iq.h"
#include "xmpp/im/stanza_error.h"
#include "xmpp/muc/admin_request.h"
#include "xmpp/muc/muc_disco.h"
#include "xmpp/muc/muc_stanzas.h"
#include "xmpp/muc/room_config.h"
#include "xmpp/xml/namespaces.h"

namespace starling::xmpp::muc {

namespace {

using enum im::StanzaErrorCondition;

} // namespace

std::string muc_domain(std::string_view server_domain) {
  // Canonical, as the router compares domains (the configured one may be in upper case).
  const auto server = Jid::parse(server_domain);
  return "conference." + (server ? server->domain() : std::string(server_domain));
}

MucService::MucService(std::string domain, im::Sessions& sessions, im::UserDelivery& users,
                       RoomStore& store, im::MessageArchive& archive, const im::VcardSource& vcards,
                       const core::Clock& clock, std::span<const std::uint8_t> server_secret)
    : domain_(std::move(domain)), sessions_(sessions), users_(users), store_(store),
      archive_(archive), vcards_(vcards), clock_(clock), occupant_ids_(server_secret),
      deliver_([this](const Jid& to, xml::Element stanza) { deliver(to, std::move(stanza)); }) {}

void MucService::restore(std::span<const RoomRecord> records) {
  for (const auto& record : records) {
    add_room(record);
  }
}

Rooms::iterator MucService::add_room(const RoomRecord& record) {
  // The name was a valid JID's localpart when the room was made.
  auto jid = *Jid::from_parts(record.name, domain_);
  return rooms_.try_emplace(record.name, std::move(jid), record, store_, archive_, occupant_ids_)
      .first;
}

void MucService::deliver(const Jid& to, xml::Element stanza) {
  stanza.set_attribute("to", to.to_string());
  if (auto* resource = sessions_.find(to)) {
    resource->session->deliver(stanza);
  }
}

void MucService::on_stanza(const Jid& from, const xml::Element& stanza) {
  // The router checked 'to': a JID at this domain.
  const auto to = Jid::parse(stanza.attribute("to").value_or(""));
  if (!to) {
    return;
  }
  if (stanza.name() == "presence") {
    on_presence(from, *to, stanza);
  } else if (stanza.name() == "message") {
    on_message(from, *to, stanza);
  } else if (stanza.name() == "iq") {
    if (!to->is_bare() && !to->local().empty()) {
      relay_to_occupant(from, *to, stanza);
    } else if (stanza.attribute("type") == "get" || stanza.attribute("type") == "set") {
      on_iq(from, *to, stanza);
    } // the service asks nothing, so answers to it are stray
  }
}

void MucService::relay_to_occupant(const Jid& from, const Jid& to, const xml::Element& iq) {
  const bool request = iq.attribute("type") == "get" || iq.attribute("type") == "set";
  const auto room = rooms_.find(to.local());
  if (room != rooms_.end() && room->second.occupies(from, to.resource()) && request &&
      iq.child(im::kPingNamespace, "ping") != nullptr) {
    // XEP-0410: a client pings its own occupant JID to learn whether it is still in.
    deliver(from, im::make_result(iq));
    return;
  }
  if (room != rooms_.end() && iq.attribute("type") == "get" &&
      iq.child(im::kVcardNamespace, "vCard") != nullptr) {
    answer_vcard(from, room->second, to.resource(), iq);
    return;
  }
  auto relayed = room == rooms_.end() ? std::unexpected(not_acceptable)
                                      : room->second.relay_iq(from, to.resource(), iq, deliver_);
  if (!relayed && request) {
    deliver(from, im::make_error_reply(iq, relayed.error()));
  }
}

void MucService::answer_vcard(const Jid& from, const Room& room, std::string_view nick,
                              const xml::Element& iq) {
  const auto occupant = room.find_occupant(from, nick);
  if (!occupant) {
    deliver(from, im::make_error_reply(iq, occupant.error()));
    return;
  }
  auto vcard = vcards_.vcard(occupant->real->local());
  if (!occupant->address_shown) {
    vcard = vcard.without_elements(
        [](const xml::Element& field) { return !field.is(im::kVcardNamespace, "PHOTO"); });
  }
  auto result = im::make_result(iq);
  result.append(std::move(vcard));
  deliver(from, std::move(result));
}

void MucService::on_iq(const Jid& from, const Jid& to, const xml::Element& iq) {
  const auto* owner = iq.child(kMucOwnerNamespace, "query");
  const auto* admin = iq.child(kMucAdminNamespace, "query");
  const bool to_room = !to.local().empty() && to.is_bare();
  if (!to_room ||
      (owner == nullptr && admin == nullptr && iq.child(im::kMamNamespace, "query") == nullptr)) {
    deliver(from, answer_iq(iq, to, rooms_));
    return;
  }
  const auto room = rooms_.find(to.local());
  if (room == rooms_.end()) {
    // No room: nothing to configure, administer or read.
    deliver(from, im::make_error_reply(iq, item_not_found));
  } else if (owner != nullptr) {
    configure(from, room, iq, *owner);
  } else if (admin != nullptr) {
    administer(from, room->second, iq, *admin);
  } else if (im::is_archive_query(iq)) {
    query_archive(from, room->second, iq);
  } else {
    deliver(from, im::archive_form_result(iq)); // XEP-0313 §4.1.1
  }
}

void MucService::configure(const Jid& from, Rooms::iterator room, const xml::Element& iq,
                           const xml::Element& query) {
  if (!room->second.is_owner(from)) {
    deliver(from, im::make_error_reply(iq, forbidden)); // §10.1.2
    return;
  }
  if (iq.attribute("type") == "get") {
    auto result = im::make_result(iq);
    result.append(xml::Element(kMucOwnerNamespace, "query"))
        .append(room_config_form(room->second.record()));
    deliver(from, std::move(result));
    return;
  }
  if (const auto* destroy = query.child(kMucOwnerNamespace, "destroy");
      destroy != nullptr && iq.attribute("type") == "set") {
    room->second.destroy(*destroy, deliver_); // §10.9
    store_.remove(room->first);
    rooms_.erase(room);
    deliver(from, im::make_result(iq));
    return;
  }
  const auto* form = query.child(im::kDataFormsNamespace, "x");
  if (form == nullptr) {
    deliver(from, im::make_error_reply(iq, bad_request));
    return;
  }
  if (form->attribute("type") == "submit") {
    auto configured = apply_room_config(room->second.record(), *form);
    if (!configured) {
      deliver(from, im::make_error_reply(iq, configured.error()));
      return;
    }
    room->second.configure(std::move(*configured), deliver_);
  } else if (form->attribute("type") != "cancel") { // §10.1.3: cancel keeps what is
    deliver(from, im::make_error_reply(iq, bad_request));
    return;
  }
  deliver(from, im::make_result(iq));
}

void MucService::administer(const Jid& from, Room& room, const xml::Element& iq,
                            const xml::Element& query) {
  if (iq.attribute("type") == "get") {
    const auto wanted = parse_admin_list(query);
    auto list = wanted ? room.admin_list(from, *wanted) : std::unexpected(wanted.error());
    if (!list) {
      deliver(from, im::make_error_reply(iq, list.error()));
      return;
    }
    auto result = im::make_result(iq);
    result.append(std::move(*list));
    deliver(from, std::move(result));
    return;
  }
  const auto changes = parse_admin_changes(query);
  const auto done =
      changes ? room.administer(from, *changes, deliver_) : std::unexpected(changes.error());
  deliver(from, done ? im::make_result(iq) : im::make_error_reply(iq, done.error()));
}

void MucService::query_archive(const Jid& from, const Room& room, const xml::Element& iq) {
  // Rooms are not anonymous (see Room), so an archive is for every user who could enter the
  // room: all of this server's, or a members-only room's members (XEP-0313 §5 leaves the
  // policy to the room).
  if (!room.may_read_archive(from)) {
    deliver(from, im::make_error_reply(iq, forbidden));
    return;
  }
  auto request = im::parse_archive_query(iq);
  if (!request) {
    deliver(from, im::make_error_reply(iq, request.error()));
    return;
  }
  archive_.query(room.jid(), request->filter,
                 [this, from, iq, room_jid = room.jid(),
                  query_id = request->query_id](const im::ArchiveAnswer& answer) {
                   for (auto& stanza :
                        im::archive_query_answer(from, iq, query_id, answer, room_jid)) {
                     deliver(from, std::move(stanza));
                   }
                 });
}

void MucService::on_resource_gone(const Jid& full) {
  for (auto& [name, room] : rooms_) {
    room.leave(full, false, deliver_);
  }
}

void MucService::on_presence(const Jid& from, const Jid& to, const xml::Element& presence) {
  const auto type = presence.attribute("type");
  if (to.local().empty() || im::is_error(presence)) {
    return; // presence to the service itself means nothing here
  }
  if (type == "unavailable") {
    if (auto room = rooms_.find(to.local()); room != rooms_.end()) {
      room->second.leave(from, true, deliver_); // §7.14
    }
    return;
  }
  if (type) {
    return; // subscriptions to a room are not offered
  }
  if (to.is_bare()) {
    deliver(from, im::make_error_reply(presence, jid_malformed)); // §7.2.1: no nickname
    return;
  }
  auto room = rooms_.find(to.local());
  const bool created = room == rooms_.end();
  if (created) {
    // §10.1.1: the first to enter makes the room and owns it.
    const auto record = Room::founded(to.local(), from, clock_.system_now());
    store_.save(record);
    room = add_room(record);
  }
  room->second.on_presence(from, to.resource(), presence, created, clock_.system_now(), deliver_);
}

void MucService::on_message(const Jid& from, const Jid& to, const xml::Element& message) {
  const auto room = rooms_.find(to.local());
  if (to.local().empty() || room == rooms_.end()) {
    if (!im::is_error(message)) {
      deliver(from, im::make_error_reply(message, item_not_found)); // §7.4: no such room
    }
    return;
  }
  if (const auto* x = message.child(kMucUserNamespace, "x");
      to.is_bare() && x != nullptr && x->child(kMucUserNamespace, "invite") != nullptr) {
    if (!room->second.has_occupant(from)) {
      deliver(from, im::make_error_reply(message, not_acceptable));
      return;
    }
    send_invitations(room->second, from, *x, message);
    return;
  }
  room->second.on_message(from, to, message, clock_.system_now(), deliver_);
}

void MucService::send_invitations(Room& room, const Jid& from, const xml::Element& invitations,
                                  const xml::Element& request) {
  for (const auto& invite : invitations.children(kMucUserNamespace, "invite")) {
    const auto invitee = Jid::parse(invite.attribute("to").value_or(""));
    if (!invitee) {
      continue;
    }
    if (!users_.is_local_user(invitee->bare())) {
      // No server-to-server links: only this server's users can be reached (RFC 6121 §8.5.1).
      deliver(from, im::make_error_reply(request, service_unavailable));
      continue;
    }
    if (auto admitted = room.admit_invitee(from, *invitee); !admitted) {
      deliver(from, im::make_error_reply(request, admitted.error()));
      continue;
    }
    // §7.8.2: from the room, naming the inviter. A normal message, so an invitee who is
    // offline finds it at the next login (RFC 6121 §8.5.2.2).
    xml::Element message(xml::kClientNamespace, "message");
    message.set_attribute("from", room.jid().to_string());
    message.set_attribute("to", invitee->to_string());
    auto& x = message.append(xml::Element(kMucUserNamespace, "x"));
    auto& passed_on = x.append(xml::Element(kMucUserNamespace, "invite"));
    passed_on.set_attribute("from", from.to_string());
    if (const auto* reason = invite.child(kMucUserNamespace, "reason")) {
      passed_on.append(*reason);
    }
    if (const auto& password = room.record().password; !password.empty()) {
      x.append(xml::Element(kMucUserNamespace, "password")).append_text(password); // §7.8.2
    }
    (void)users_.deliver(*invitee, message);
  }
}

} // namespace starling::xmpp::muc
