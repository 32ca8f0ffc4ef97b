// Roster items as <item/> elements, and the checks of a client's roster set.
#include "xmpp/im/roster_item.h"

#include <algorithm>
#include <ranges>

namespace starling::xmpp::im {

namespace {

constexpr std::string_view kRosterNs = "jabber:iq:roster";

} // namespace

std::string_view to_string(Subscription subscription) {
  switch (subscription) {
  case Subscription::none:
    return "none";
  case Subscription::to:
    return "to";
  case Subscription::from:
    return "from";
  case Subscription::both:
    return "both";
  }
  return "none";
}

std::optional<Subscription> parse_subscription(std::string_view text) {
  for (const auto s :
       {Subscription::none, Subscription::to, Subscription::from, Subscription::both}) {
    if (text == to_string(s)) {
      return s;
    }
  }
  return std::nullopt;
}

xml::Element to_element(const RosterItem& item, std::string_view ns) {
  xml::Element element(ns, "item");
  element.set_attribute("jid", item.jid.to_string());
  if (!item.name.empty()) {
    element.set_attribute("name", item.name);
  }
  element.set_attribute("subscription", to_string(item.subscription));
  if (item.ask) {
    element.set_attribute("ask", "subscribe");
  }
  for (const auto& group : item.groups) {
    element.append(xml::Element(ns, "group")).append_text(group);
  }
  return element;
}

std::optional<RosterItem> from_element(const xml::Element& element) {
  auto jid = Jid::parse(element.attribute("jid").value_or(""));
  const auto subscription = parse_subscription(element.attribute("subscription").value_or(""));
  if (!element.is(kRosterNs, "item") || !jid || !jid->is_bare() || !subscription) {
    return std::nullopt;
  }
  RosterItem item{.jid = std::move(*jid),
                  .name = std::string(element.attribute("name").value_or("")),
                  .subscription = *subscription,
                  .ask = element.attribute("ask") == "subscribe"};
  for (const auto& group : element.children(kRosterNs, "group")) {
    item.groups.push_back(group.text());
  }
  return item;
}

std::expected<RosterSetRequest, StanzaErrorCondition> parse_roster_set(const xml::Element& query) {
  using enum StanzaErrorCondition;
  // §2.3.3: exactly one item.
  auto items = query.children(kRosterNs, "item");
  if (std::ranges::distance(items) != 1) {
    return std::unexpected(bad_request);
  }
  const xml::Element& item = *items.begin();
  auto jid = Jid::parse(item.attribute("jid").value_or(""));
  if (!jid || !jid->is_bare()) {
    return std::unexpected(bad_request); // §2.3.3: a roster item's JID is a bare JID
  }
  RosterSetRequest request{.jid = std::move(*jid),
                           .remove = item.attribute("subscription") == "remove"};
  if (request.remove) {
    return request;
  }
  const auto name = item.attribute("name").value_or("");
  if (name.size() > kMaxRosterNameLength) {
    return std::unexpected(not_acceptable);
  }
  request.name = std::string(name);
  for (const auto& group : item.children(kRosterNs, "group")) {
    auto text = group.text();
    // §2.3.3: an empty group is not-acceptable, the same group twice bad-request.
    if (text.empty() || text.size() > kMaxRosterGroupLength) {
      return std::unexpected(not_acceptable);
    }
    if (std::ranges::find(request.groups, text) != request.groups.end()) {
      return std::unexpected(bad_request);
    }
    if (request.groups.size() == kMaxRosterGroups) {
      return std::unexpected(not_acceptable);
    }
    request.groups.push_back(std::move(text));
  }
  return request;
}

} // namespace starling::xmpp::im
