// The stateless 503 of an overloaded transaction layer.
#include "sip/transaction/stateless_response.h"

#include <functional>
#include <utility>

#include <fmt/format.h>

#include "sip/comma_list.h"
#include "sip/name_addr.h"
#include "sip/response_builder.h"

namespace starling::sip {

std::string stateless_to_tag(const Message& request) {
  const std::hash<std::string_view> hash;
  const auto from = parse_name_addr(request.value(HeaderId::from));
  const std::string_view from_tag = from ? from->tag() : std::string_view{};
  const std::size_t mixed = hash(request.value(HeaderId::call_id)) ^ (hash(from_tag) * 31U) ^
                            (hash(CommaList{request.value(HeaderId::via)}.front()) * 961U);
  return fmt::format("{:x}", mixed);
}

std::string build_overload_response(const Message& request, std::chrono::seconds retry_after) {
  ResponseBuilder builder{request, 503, "Service Unavailable", stateless_to_tag(request)};
  builder.add_header("Retry-After", fmt::format("{}", retry_after.count()));
  return std::move(builder).finish();
}

} // namespace starling::sip
