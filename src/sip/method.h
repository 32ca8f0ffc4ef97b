// SIP request methods: the ones Starling knows by name, and any other token.
#pragma once

#include <cstdint>
#include <string_view>

namespace starling::sip {

enum class Method : std::uint8_t {
  unknown, // any other token; a UAS answers 501 or 405 (RFC 3261 §8.2.1)
  ack,
  bye,
  cancel,
  info,
  invite,
  message,
  notify,
  options,
  prack,
  publish,
  refer,
  register_, // NOLINT(readability-identifier-naming): "register" is a C++ keyword
  subscribe,
  update,
};

// Methods are case-sensitive (RFC 3261 §7.1): "invite" is an unknown method.
Method method_from_name(std::string_view name);
std::string_view method_name(Method method);

} // namespace starling::sip
