// Validation of hostnames, IPv4 addresses and IPv6 references.
#include "sip/host.h"

#include <fmt/format.h>

#include "sip/detail/chars.h"

namespace starling::sip {

namespace {

bool is_dec_octet(std::string_view s) {
  if (s.empty() || s.size() > 3 || (s.size() > 1 && s[0] == '0')) {
    return false;
  }
  int value = 0;
  for (char c : s) {
    if (!detail::is_digit(c)) {
      return false;
    }
    value = value * 10 + (c - '0');
  }
  return value <= 255;
}

bool is_all_digits_and_dots(std::string_view s) {
  for (char c : s) {
    if (!detail::is_digit(c) && c != '.') {
      return false;
    }
  }
  return true;
}

// hostname = *( domainlabel "." ) toplabel [ "." ]; the top label starts with a letter.
bool is_hostname(std::string_view s) {
  if (!s.empty() && s.back() == '.') {
    s.remove_suffix(1);
  }
  if (s.empty()) {
    return false;
  }
  std::string_view label;
  while (!s.empty()) {
    const std::size_t dot = s.find('.');
    label = s.substr(0, dot);
    s = dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1);
    if (label.empty() || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!detail::is_alnum(c) && c != '-') {
        return false;
      }
    }
    if (dot != std::string_view::npos && s.empty()) {
      return false; // "a..b" or a trailing dot already removed
    }
  }
  return detail::is_alpha(label.front());
}

} // namespace

bool is_ipv4_address(std::string_view text) {
  int parts = 0;
  while (true) {
    const std::size_t dot = text.find('.');
    if (!is_dec_octet(text.substr(0, dot))) {
      return false;
    }
    ++parts;
    if (dot == std::string_view::npos) {
      break;
    }
    text.remove_prefix(dot + 1);
  }
  return parts == 4;
}

bool is_ipv6_address(std::string_view text) {
  if (text.size() < 2) {
    return false;
  }
  int groups = 0;
  bool compressed = false;
  std::size_t i = 0;
  if (text.substr(0, 2) == "::") {
    compressed = true;
    i = 2;
  } else if (text[0] == ':') {
    return false;
  }
  while (i < text.size()) {
    const std::size_t end = text.find(':', i);
    const std::string_view group = text.substr(i, end - i);
    if (end == std::string_view::npos && group.find('.') != std::string_view::npos) {
      if (!is_ipv4_address(group)) {
        return false;
      }
      groups += 2;
      break;
    }
    if (group.empty() || group.size() > 4) {
      return false;
    }
    for (char c : group) {
      if (!detail::is_hex(c)) {
        return false;
      }
    }
    ++groups;
    if (end == std::string_view::npos) {
      break;
    }
    if (end + 1 < text.size() && text[end + 1] == ':') {
      if (compressed) {
        return false;
      }
      compressed = true;
      i = end + 2;
    } else if (end + 1 == text.size()) {
      return false;
    } else {
      i = end + 1;
    }
  }
  return compressed ? groups <= 7 : groups == 8;
}

std::optional<HostType> classify_host(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    if (host.back() == ']' && is_ipv6_address(host.substr(1, host.size() - 2))) {
      return HostType::ipv6;
    }
    return std::nullopt;
  }
  if (is_all_digits_and_dots(host)) {
    return is_ipv4_address(host) ? std::optional{HostType::ipv4} : std::nullopt;
  }
  return is_hostname(host) ? std::optional{HostType::hostname} : std::nullopt;
}

std::string host_port(std::string_view address, std::uint16_t port) {
  return address.find(':') == std::string_view::npos ? fmt::format("{}:{}", address, port)
                                                     : fmt::format("[{}]:{}", address, port);
}

} // namespace starling::sip
