// Builds the redirect from plain HTTP to HTTPS.
#include "http/https_redirect.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>

#include "http/error_response.h"

namespace starling::http {

namespace {

// The host part of a Host header (RFC 9110 §7.2): a name, an IPv4 address or a bracketed
// IPv6 address, followed by an optional port. Anything else is refused, so nothing a client
// sends can turn the Location into another URL.
std::optional<std::string_view> host_without_port(std::string_view host) {
  std::string_view name = host;
  if (host.starts_with('[')) {
    const auto close = host.find(']');
    if (close == std::string_view::npos) {
      return std::nullopt;
    }
    name = host.substr(0, close + 1);
    host.remove_prefix(close + 1);
    if (!host.empty() && !host.starts_with(':')) {
      return std::nullopt;
    }
    const bool valid = std::ranges::all_of(name.substr(1, name.size() - 2), [](char c) {
      return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == ':' || c == '.';
    });
    return valid && name.size() > 2 ? std::optional(name) : std::nullopt;
  }
  name = host.substr(0, host.find(':'));
  const bool valid = std::ranges::all_of(name, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.';
  });
  return valid && !name.empty() ? std::optional(name) : std::nullopt;
}

} // namespace

Response redirect_to_https(const Request& request, std::uint16_t https_port) {
  const auto host = host_without_port(request[Field::host]);
  if (!host) {
    return error_response(request, Status::bad_request, "the request has no valid Host header");
  }
  const std::string_view target = request.target();
  std::string location = "https://" + std::string(*host);
  if (https_port != 443) {
    location += ":" + std::to_string(https_port);
  }
  location += target.starts_with('/') ? target : "/";
  const bool safe = request.method() == Verb::get || request.method() == Verb::head;
  Response response{safe ? Status::moved_permanently : Status::permanent_redirect,
                    request.version()};
  response.set(Field::location, location);
  response.keep_alive(request.keep_alive());
  response.prepare_payload();
  return response;
}

} // namespace starling::http
