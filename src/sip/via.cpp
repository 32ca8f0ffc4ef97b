// Parsing of one Via value with the params RFC 3261 §20.42 and RFC 3581 define.
#include "sip/via.h"

#include <array>
#include <utility>

#include "sip/detail/chars.h"
#include "sip/detail/params.h"
#include "sip/detail/scanner.h"
#include "sip/scalars.h"

namespace starling::sip {

namespace {

using detail::Scanner;

std::optional<std::uint16_t> parse_port(std::string_view digits) {
  const auto n = parse_decimal(digits, 65535);
  return n ? std::optional{static_cast<std::uint16_t>(*n)} : std::nullopt;
}

// sent-protocol = protocol-name SLASH protocol-version SLASH transport; SLASH allows LWS
// around it (RFC 4475 wsinv: "SIP  /   2.0\r\n /UDP").
std::optional<ValueError> scan_sent_protocol(Scanner& s, Via& via) {
  via.protocol_name = s.take_token();
  if (via.protocol_name.empty() || !s.consume_separator('/')) {
    return ValueError{"malformed sent-protocol", s.pos()};
  }
  via.protocol_version = s.take_token();
  if (via.protocol_version.empty() || !s.consume_separator('/')) {
    return ValueError{"malformed sent-protocol", s.pos()};
  }
  via.transport_name = s.take_token();
  if (via.transport_name.empty()) {
    return ValueError{"malformed transport", s.pos()};
  }
  via.transport = transport_from_name(via.transport_name);
  return std::nullopt;
}

// sent-by = host [ COLON port ]
std::optional<ValueError> scan_sent_by(Scanner& s, Via& via) {
  const std::size_t start = s.pos();
  if (s.peek() == '[') {
    (void)s.take_while([](char c) { return c != ']'; });
    (void)s.consume(']');
  } else {
    (void)s.take_while([](char c) { return detail::is_alnum(c) || c == '-' || c == '.'; });
  }
  via.host = s.slice(start);
  const auto type = classify_host(via.host);
  if (!type) {
    return ValueError{"malformed sent-by host", start};
  }
  via.host_type = *type;
  if (s.consume_separator(':')) {
    via.port = parse_port(s.take_while(detail::is_digit));
    if (!via.port) {
      return ValueError{"malformed sent-by port", s.pos()};
    }
  }
  return std::nullopt;
}

std::optional<ValueError> apply_param(const Param& p, Via& via) {
  const auto named = [&p](std::string_view name) { return detail::iequals(p.name, name); };
  if (named("branch")) {
    if (!p.has_value || !detail::is_token(p.value)) {
      return ValueError{"malformed branch", 0};
    }
    via.branch = p.value;
  } else if (named("received")) {
    // RFC 3261 says IPv4address / IPv6address; some stacks bracket the IPv6 one.
    const std::string_view address = host_address(p.value);
    if (!is_ipv4_address(address) && !is_ipv6_address(address)) {
      return ValueError{"malformed received", 0};
    }
    via.received = p.value;
  } else if (named("rport")) {
    via.has_rport = true;
    if (p.has_value) {
      via.rport = parse_port(p.value);
      if (!via.rport) {
        return ValueError{"malformed rport", 0};
      }
    }
  } else if (named("maddr")) {
    if (!p.has_value || !classify_host(p.value)) {
      return ValueError{"malformed maddr", 0};
    }
    via.maddr = p.value;
  } else if (named("ttl")) {
    const auto ttl = p.has_value ? parse_decimal(p.value, 255)
                                 : std::expected<std::uint64_t, ValueError>{std::unexpect};
    if (!ttl) {
      return ValueError{"malformed ttl", 0};
    }
    via.ttl = static_cast<std::uint8_t>(*ttl);
  }
  return std::nullopt;
}

} // namespace

Transport transport_from_name(std::string_view name) {
  static constexpr std::array kNames = std::to_array<std::pair<std::string_view, Transport>>({
      {"UDP", Transport::udp},
      {"TCP", Transport::tcp},
      {"TLS", Transport::tls},
      {"SCTP", Transport::sctp},
      {"TLS-SCTP", Transport::tls_sctp},
      {"WS", Transport::ws},
      {"WSS", Transport::wss},
  });
  for (const auto& [text, transport] : kNames) {
    if (detail::iequals(text, name)) {
      return transport;
    }
  }
  return Transport::other;
}

std::expected<Via, ValueError> parse_via(std::string_view value) {
  Via via;
  Scanner s{detail::trim_lws(value)};
  if (auto failure = scan_sent_protocol(s, via)) {
    return std::unexpected(*failure);
  }
  if (!s.skip_lws()) {
    return std::unexpected(ValueError{"missing sent-by", s.pos()});
  }
  if (auto failure = scan_sent_by(s, via)) {
    return std::unexpected(*failure);
  }
  const auto params = detail::scan_generic_params(s);
  if (!params) {
    return std::unexpected(params.error());
  }
  s.skip_lws();
  if (!s.at_end()) {
    return std::unexpected(ValueError{"unexpected text in Via", s.pos()});
  }
  via.params = *params;
  for (const Param& p : via.params) {
    if (auto failure = apply_param(p, via)) {
      return std::unexpected(*failure);
    }
  }
  return via;
}

} // namespace starling::sip
