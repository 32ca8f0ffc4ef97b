// Parses muc#admin queries (XEP-0045 §8–§10).
#include "xmpp/muc/admin_request.h"

namespace starling::xmpp::muc {

namespace {

using enum im::StanzaErrorCondition;

std::string reason_of(const xml::Element& item) {
  const auto* reason = item.child(kMucAdminNamespace, "reason");
  return reason == nullptr ? std::string() : reason->text();
}

std::expected<AdminChange, im::StanzaErrorCondition> parse_change(const xml::Element& item) {
  const auto nick = item.attribute("nick").value_or("");
  if (const auto name = item.attribute("affiliation")) {
    const auto affiliation = parse_affiliation(*name);
    std::optional<Jid> jid;
    if (const auto text = item.attribute("jid")) {
      const auto parsed = Jid::parse(*text);
      if (!parsed) {
        return std::unexpected(jid_malformed);
      }
      jid = parsed->bare();
    }
    if (!affiliation || (!jid && nick.empty())) {
      return std::unexpected(bad_request);
    }
    return AffiliationChange{.jid = std::move(jid),
                             .nick = std::string(nick),
                             .affiliation = *affiliation,
                             .reason = reason_of(item)};
  }
  const auto role = parse_role(item.attribute("role").value_or(""));
  if (!role || nick.empty()) {
    return std::unexpected(bad_request);
  }
  return RoleChange{.nick = std::string(nick), .role = *role, .reason = reason_of(item)};
}

} // namespace

std::expected<std::vector<AdminChange>, im::StanzaErrorCondition>
parse_admin_changes(const xml::Element& query) {
  std::vector<AdminChange> changes;
  for (const auto& item : query.children(kMucAdminNamespace, "item")) {
    auto change = parse_change(item);
    if (!change) {
      return std::unexpected(change.error());
    }
    changes.push_back(std::move(*change));
  }
  if (changes.empty()) {
    return std::unexpected(bad_request);
  }
  return changes;
}

std::expected<AdminList, im::StanzaErrorCondition> parse_admin_list(const xml::Element& query) {
  const auto* item = query.child(kMucAdminNamespace, "item");
  if (item == nullptr) {
    return std::unexpected(bad_request);
  }
  if (const auto name = item->attribute("affiliation")) {
    if (const auto affiliation = parse_affiliation(*name)) {
      return *affiliation;
    }
  } else if (const auto role = parse_role(item->attribute("role").value_or(""))) {
    return *role;
  }
  return std::unexpected(bad_request);
}

} // namespace starling::xmpp::muc
