// STUN Binding messages (RFC 8489, answered alike by RFC 5389 servers): the request a client
// sends and the parser of the response that tells the client its mapped (public) address.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <span>
#include <string>

#include <boost/asio/ip/address.hpp>

namespace starling::net {

inline constexpr std::size_t kStunHeaderSize = 20;
inline constexpr std::uint32_t kStunMagicCookie = 0x2112A442U;
inline constexpr std::uint16_t kStunDefaultPort = 3478;

// RFC 8489 §5: 96 bits, chosen uniformly at random by the client for every transaction.
using StunTransactionId = std::array<std::uint8_t, 12>;

// A Binding request without attributes: 20 octets.
using StunBindingRequest = std::array<std::uint8_t, kStunHeaderSize>;

[[nodiscard]] StunBindingRequest encode_stun_binding_request(const StunTransactionId& id);

// The client's transport address as the server saw it: behind a NAT, the NAT's public one.
struct StunMappedAddress {
  boost::asio::ip::address address;
  std::uint16_t port = 0;
  // False when it came from MAPPED-ADDRESS, the fallback for servers without
  // XOR-MAPPED-ADDRESS (RFC 3489 era), which some NATs rewrite in transit.
  bool from_xor_mapped_address = true;
};

enum class StunParseErrorKind {
  malformed,           // not a well-formed STUN message, or not a Binding response
  foreign_transaction, // well-formed, but the answer to another transaction
  error_response,      // a Binding error response (RFC 8489 §6.3.4); see error_code
};

// `reason` says what was wrong, in words fit for an operator's log.
struct StunParseError {
  StunParseErrorKind kind = StunParseErrorKind::malformed;
  std::string reason;
  std::uint16_t error_code = 0; // of an error response: 300..699
};

// Parses one datagram received in answer to the Binding request `id`. A success response
// yields XOR-MAPPED-ADDRESS (the first one), else MAPPED-ADDRESS. Pure: no I/O, no state.
// Per RFC 8489 §6.3 a malformed message or one for another transaction is to be discarded
// (keep waiting), an error response ends the transaction.
[[nodiscard]] std::expected<StunMappedAddress, StunParseError>
parse_stun_binding_response(std::span<const std::uint8_t> datagram, const StunTransactionId& id);

} // namespace starling::net
