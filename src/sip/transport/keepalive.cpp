// CRLF and STUN keep-alive recognition and the STUN Binding response (RFC 5389).
#include "sip/transport/keepalive.h"

#include <array>
#include <cstddef>
#include <cstdint>

namespace starling::sip {

namespace {

constexpr std::size_t kStunHeaderSize = 20;
constexpr std::uint32_t kMagicCookie = 0x2112A442U;
constexpr std::uint16_t kBindingRequest = 0x0001;
constexpr std::uint16_t kBindingSuccess = 0x0101;
constexpr std::uint16_t kXorMappedAddress = 0x0020;
// Keep-alive datagrams are tiny; a long run of CRLF is junk, left to the parser to refuse.
constexpr std::size_t kMaxCrlfKeepalive = 8;

std::uint8_t octet(std::string_view bytes, std::size_t at) {
  return static_cast<std::uint8_t>(bytes[at]);
}

std::uint16_t read16(std::string_view bytes, std::size_t at) {
  return static_cast<std::uint16_t>((octet(bytes, at) << 8U) | octet(bytes, at + 1));
}

std::uint32_t read32(std::string_view bytes, std::size_t at) {
  return (static_cast<std::uint32_t>(read16(bytes, at)) << 16U) | read16(bytes, at + 2);
}

void put16(std::string& out, std::uint32_t value) {
  out.push_back(static_cast<char>((value >> 8U) & 0xFFU));
  out.push_back(static_cast<char>(value & 0xFFU));
}

void put32(std::string& out, std::uint32_t value) {
  put16(out, value >> 16U);
  put16(out, value & 0xFFFFU);
}

} // namespace

bool is_crlf_keepalive(std::string_view datagram) {
  if (datagram.empty() || datagram.size() > kMaxCrlfKeepalive) {
    return false;
  }
  return datagram.find_first_not_of("\r\n") == std::string_view::npos;
}

bool is_stun(std::string_view datagram) {
  return datagram.size() >= kStunHeaderSize && (octet(datagram, 0) & 0xC0U) == 0 &&
         read32(datagram, 4) == kMagicCookie;
}

std::optional<std::string> stun_binding_response(std::string_view datagram,
                                                 const boost::asio::ip::address& source,
                                                 std::uint16_t source_port) {
  if (!is_stun(datagram) || read16(datagram, 0) != kBindingRequest ||
      read16(datagram, 2) + kStunHeaderSize != datagram.size()) {
    return std::nullopt;
  }
  const std::string_view transaction_id = datagram.substr(8, 12);
  std::string out;
  put16(out, kBindingSuccess);
  const std::uint32_t value_size = source.is_v4() ? 8 : 20;
  put16(out, 4 + value_size); // one attribute: type, length, value
  put32(out, kMagicCookie);
  out.append(transaction_id);
  put16(out, kXorMappedAddress);
  put16(out, value_size);
  put16(out, source.is_v4() ? 0x01U : 0x02U);
  put16(out, source_port ^ (kMagicCookie >> 16U));
  // RFC 5389 §15.2: IPv4 XORed with the cookie, IPv6 with the cookie and transaction id.
  std::array<std::uint8_t, 16> mask{};
  for (std::size_t i = 0; i < 4; ++i) {
    mask.at(i) = static_cast<std::uint8_t>(kMagicCookie >> (24U - 8U * i));
  }
  for (std::size_t i = 0; i < transaction_id.size(); ++i) {
    mask.at(4 + i) = static_cast<std::uint8_t>(transaction_id[i]);
  }
  const auto xor_out = [&](const auto& address_bytes) {
    for (std::size_t i = 0; i < address_bytes.size(); ++i) {
      out.push_back(static_cast<char>(address_bytes.at(i) ^ mask.at(i)));
    }
  };
  if (source.is_v4()) {
    xor_out(source.to_v4().to_bytes());
  } else {
    xor_out(source.to_v6().to_bytes());
  }
  return out;
}

} // namespace starling::sip
