// Keep-alives that arrive on the SIP UDP port instead of SIP messages: CRLF datagrams and
// STUN binding requests (RFC 5626 §4.4.2, §8.4: the SIP port is also a STUN server).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/ip/address.hpp>

namespace starling::sip {

// A datagram of nothing but CR and LF (some phones send "\r\n" or "\r\n\r\n" over UDP too).
bool is_crlf_keepalive(std::string_view datagram);

// The first two bits zero and the RFC 5389 magic cookie: STUN, not SIP (which starts with a
// letter), so it is never handed to the SIP parser.
bool is_stun(std::string_view datagram);

// The Binding success response (RFC 5389 §7.3.1) with XOR-MAPPED-ADDRESS = source, or
// nothing when the datagram is not a well-formed Binding request.
std::optional<std::string> stun_binding_response(std::string_view datagram,
                                                 const boost::asio::ip::address& source,
                                                 std::uint16_t source_port);

} // namespace starling::sip
