// Name table for Method.
#include "sip/method.h"

#include <array>
#include <utility>

namespace starling::sip {

namespace {

constexpr std::array kMethods = std::to_array<std::pair<std::string_view, Method>>({
    {"ACK", Method::ack},
    {"BYE", Method::bye},
    {"CANCEL", Method::cancel},
    {"INFO", Method::info},
    {"INVITE", Method::invite},
    {"MESSAGE", Method::message},
    {"NOTIFY", Method::notify},
    {"OPTIONS", Method::options},
    {"PRACK", Method::prack},
    {"PUBLISH", Method::publish},
    {"REFER", Method::refer},
    {"REGISTER", Method::register_},
    {"SUBSCRIBE", Method::subscribe},
    {"UPDATE", Method::update},
});

} // namespace

Method method_from_name(std::string_view name) {
  for (const auto& [text, method] : kMethods) {
    if (text == name) {
      return method;
    }
  }
  return Method::unknown;
}

std::string_view method_name(Method method) {
  for (const auto& [text, m] : kMethods) {
    if (m == method) {
      return text;
    }
  }
  return {};
}

} // namespace starling::sip
