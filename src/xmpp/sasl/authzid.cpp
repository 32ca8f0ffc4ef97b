// The authzid rule: only oneself.
#include "xmpp/sasl/authzid.h"

#include <algorithm>

namespace starling::xmpp::sasl {

namespace {

std::string_view without_trailing_dot(std::string_view domain) {
  if (domain.ends_with('.')) {
    domain.remove_suffix(1);
  }
  return domain;
}

char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equal_ignoring_ascii_case(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

} // namespace

bool authzid_allowed(std::string_view authzid, std::string_view username, std::string_view domain) {
  if (authzid.empty() || equal_ignoring_ascii_case(authzid, username)) {
    return true;
  }
  if (domain.empty() || authzid.size() <= username.size() ||
      !equal_ignoring_ascii_case(authzid.substr(0, username.size()), username) ||
      authzid[username.size()] != '@') {
    return false;
  }
  const std::string_view authzid_domain = without_trailing_dot(authzid.substr(username.size() + 1));
  const std::string_view own_domain = without_trailing_dot(domain);
  return !authzid_domain.empty() && equal_ignoring_ascii_case(authzid_domain, own_domain);
}

} // namespace starling::xmpp::sasl
