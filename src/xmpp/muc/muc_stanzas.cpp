// Builds the stanzas of XEP-0045 rooms.
#include "xmpp/muc/muc_stanzas.h"

#include <algorithm>
#include <charconv>

#include <fmt/chrono.h>

#include "core/utc_time.h"
#include "xmpp/date_time.h"
#include "xmpp/xml/namespaces.h"

namespace starling::xmpp::muc {

namespace {

xml::Element user_x(const OccupantItem& item, const StatusCodes& codes) {
  xml::Element x(kMucUserNamespace, "x");
  auto& entry = x.append(xml::Element(kMucUserNamespace, "item"))
                    .set_attribute("affiliation", to_string(item.affiliation))
                    .set_attribute("role", to_string(item.role));
  if (item.real != nullptr) {
    entry.set_attribute("jid", item.real->to_string());
  }
  if (!item.nick.empty()) {
    entry.set_attribute("nick", item.nick);
  }
  if (!item.reason.empty()) {
    entry.append(xml::Element(kMucUserNamespace, "reason")).append_text(item.reason);
  }
  for (const auto code : codes) {
    x.append(xml::Element(kMucUserNamespace, "status"))
        .set_attribute("code", std::to_string(static_cast<int>(code)));
  }
  return x;
}

} // namespace

xml::Element occupant_presence(const xml::Element& presence, const Jid& occupant,
                               const OccupantItem& item, const StatusCodes& codes) {
  xml::Element out(xml::kClientNamespace, "presence");
  out.set_attribute("from", occupant.to_string());
  for (const auto& child : presence.elements()) {
    if (child.ns() != kMucNamespace && child.ns() != kMucUserNamespace) {
      out.append(child);
    }
  }
  out.append(user_x(item, codes));
  return out;
}

xml::Element configuration_changed(const Jid& room, StatusCode code) {
  xml::Element message(xml::kClientNamespace, "message");
  message.set_attribute("from", room.to_string()).set_attribute("type", "groupchat");
  message.append(xml::Element(kMucUserNamespace, "x"))
      .append(xml::Element(kMucUserNamespace, "status"))
      .set_attribute("code", std::to_string(static_cast<int>(code)));
  return message;
}

xml::Element unavailable_presence(const Jid& occupant, const OccupantItem& item,
                                  const StatusCodes& codes) {
  xml::Element out(xml::kClientNamespace, "presence");
  out.set_attribute("from", occupant.to_string()).set_attribute("type", "unavailable");
  out.append(user_x(item, codes));
  return out;
}

xml::Element room_destroyed_presence(const Jid& occupant, const xml::Element& destroy) {
  xml::Element out(xml::kClientNamespace, "presence");
  out.set_attribute("from", occupant.to_string()).set_attribute("type", "unavailable");
  auto& x = out.append(xml::Element(kMucUserNamespace, "x"));
  x.append(xml::Element(kMucUserNamespace, "item"))
      .set_attribute("affiliation", "none")
      .set_attribute("role", "none");
  auto& passed_on = x.append(xml::Element(kMucUserNamespace, "destroy"));
  if (const auto venue = destroy.attribute("jid")) {
    passed_on.set_attribute("jid", *venue);
  }
  if (const auto* reason = destroy.child(destroy.ns(), "reason")) {
    passed_on.append(xml::Element(kMucUserNamespace, "reason")).append_text(reason->text());
  }
  return out;
}

xml::Element subject_message(const Jid& room, std::string_view subject) {
  xml::Element message(xml::kClientNamespace, "message");
  message.set_attribute("from", room.to_string()).set_attribute("type", "groupchat");
  message.append(xml::Element(xml::kClientNamespace, "subject")).append_text(subject);
  return message;
}

xml::Element with_delay(xml::Element message, const Jid& room,
                        std::chrono::system_clock::time_point stamp) {
  // XEP-0203 §3 with XEP-0082's UTC DateTime; 'from' is the room (XEP-0045 §7.2.14).
  message.append(xml::Element(kDelayNamespace, "delay")
                     .set_attribute("from", room.to_string())
                     .set_attribute("stamp", fmt::format("{:%FT%TZ}", core::utc_fields(stamp))));
  return message;
}

HistoryRequest history_request(const xml::Element& presence,
                               std::chrono::system_clock::time_point now) {
  HistoryRequest request;
  const auto* x = presence.child(kMucNamespace, "x");
  const auto* history = x == nullptr ? nullptr : x->child(kMucNamespace, "history");
  if (history == nullptr) {
    return request;
  }
  const auto number = [&](std::string_view name) -> std::optional<std::size_t> {
    const auto text = history->attribute(name);
    std::size_t value = 0;
    if (!text ||
        std::from_chars(text->data(), text->data() + text->size(), value).ec != std::errc{}) {
      return std::nullopt;
    }
    return value;
  };
  request.max_stanzas = number("maxstanzas");
  request.max_chars = number("maxchars");
  if (const auto seconds = number("seconds")) {
    request.since = now - std::chrono::seconds(*seconds);
  }
  if (const auto since = parse_date_time(history->attribute("since").value_or(""))) {
    request.since = std::max(request.since.value_or(*since), *since);
  }
  return request;
}

} // namespace starling::xmpp::muc
