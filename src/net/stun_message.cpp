// STUN Binding messages (RFC 8489, answered alike by RFC 5389 servers): the request a client
// sends and the parser of the response that tells the client its mapped (public) address.
#include "net/stun_message.h"

#include <algorithm>
#include <optional>
#include <utility>

#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/ip/address_v6.hpp>
#include <fmt/format.h>

namespace starling::net {
namespace {

namespace ip = boost::asio::ip;

// RFC 8489 §5: the method in the low bits, the class in bits 4 and 8 of the message type.
constexpr std::uint16_t kBindingRequest = 0x0001;
constexpr std::uint16_t kBindingSuccessResponse = 0x0101;
constexpr std::uint16_t kBindingErrorResponse = 0x0111;

// RFC 8489 §18.3 (attribute registry).
constexpr std::uint16_t kMappedAddress = 0x0001;
constexpr std::uint16_t kMessageIntegrity = 0x0008;
constexpr std::uint16_t kErrorCode = 0x0009;
constexpr std::uint16_t kMessageIntegritySha256 = 0x001C;
constexpr std::uint16_t kXorMappedAddress = 0x0020;
constexpr std::uint16_t kFingerprint = 0x8028;

constexpr std::uint8_t kFamilyIpv4 = 0x01;
constexpr std::uint8_t kFamilyIpv6 = 0x02;
// RFC 8489 §14.7: FINGERPRINT is the CRC-32 of the message XORed with "STUN".
constexpr std::uint32_t kFingerprintXor = 0x5354554EU;
// RFC 8489 §14.8: the reason phrase is under 128 characters; a longer one is cut.
constexpr std::size_t kMaxReasonPhrase = 128;

using Bytes = std::span<const std::uint8_t>;

std::uint16_t read16(Bytes bytes, std::size_t at) {
  return static_cast<std::uint16_t>((bytes[at] << 8U) | bytes[at + 1]);
}

std::uint32_t read32(Bytes bytes, std::size_t at) {
  return (static_cast<std::uint32_t>(read16(bytes, at)) << 16U) | read16(bytes, at + 2);
}

// CRC-32 as in ISO 3309 / zlib (reflected polynomial 0xEDB88320), bit by bit: only FINGERPRINT
// of a handful of responses needs it, so a table is not worth its 1 KiB.
std::uint32_t crc32(Bytes bytes) {
  std::uint32_t crc = 0xFFFFFFFFU;
  for (const std::uint8_t byte : bytes) {
    crc ^= byte;
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc >> 1U) ^ (0xEDB88320U & (0U - (crc & 1U)));
    }
  }
  return ~crc;
}

std::unexpected<StunParseError> malformed(std::string reason) {
  return std::unexpected(StunParseError{StunParseErrorKind::malformed, std::move(reason), 0});
}

// MAPPED-ADDRESS and XOR-MAPPED-ADDRESS (RFC 8489 §14.1, §14.2) share one layout; the XOR
// variant masks the port with the cookie's top half and the address with the cookie (IPv4)
// or the cookie and the transaction id (IPv6).
std::expected<StunMappedAddress, StunParseError> parse_address(std::string_view name, Bytes value,
                                                               Bytes header, bool xored) {
  if (value.size() < 4) {
    return malformed(fmt::format("{} of {} octets is too short", name, value.size()));
  }
  const std::uint8_t family = value[1];
  const std::size_t address_size = family == kFamilyIpv4 ? 4 : 16;
  if (family != kFamilyIpv4 && family != kFamilyIpv6) {
    return malformed(fmt::format("{} has unknown address family {:#04x}", name, family));
  }
  if (value.size() != 4 + address_size) {
    return malformed(fmt::format("{} of an {} address has length {}, expected {}", name,
                                 family == kFamilyIpv4 ? "IPv4" : "IPv6", value.size(),
                                 4 + address_size));
  }
  std::uint16_t port = read16(value, 2);
  // Octets 4..19 of the header are the cookie followed by the transaction id.
  std::array<std::uint8_t, 16> address{};
  for (std::size_t i = 0; i < address_size; ++i) {
    address[i] = static_cast<std::uint8_t>(value[4 + i] ^ (xored ? header[4 + i] : 0U));
  }
  if (xored) {
    port = static_cast<std::uint16_t>(port ^ (kStunMagicCookie >> 16U));
  }
  StunMappedAddress mapped;
  mapped.port = port;
  mapped.from_xor_mapped_address = xored;
  if (family == kFamilyIpv4) {
    mapped.address = ip::address_v4({address[0], address[1], address[2], address[3]});
  } else {
    mapped.address = ip::address_v6(address);
  }
  return mapped;
}

// The error response's ERROR-CODE, as an error for the caller.
using ErrorCodeAttribute = StunParseError;

// RFC 8489 §14.8: 21 reserved bits, the hundreds in 3 bits, the rest in 8, then the phrase.
std::expected<ErrorCodeAttribute, StunParseError> parse_error_code(Bytes value) {
  if (value.size() < 4) {
    return malformed(fmt::format("ERROR-CODE of {} octets is too short", value.size()));
  }
  const unsigned error_class = value[2] & 0x07U;
  const unsigned number = value[3];
  if (error_class < 3 || error_class > 6 || number > 99) {
    return malformed(fmt::format("ERROR-CODE has class {} and number {}", error_class, number));
  }
  const auto code = static_cast<std::uint16_t>(error_class * 100 + number);
  // The phrase is the server's text, shown to the operator: only printable ASCII survives.
  std::string phrase;
  for (std::size_t i = 4; i < value.size() && phrase.size() < kMaxReasonPhrase; ++i) {
    const auto c = static_cast<char>(value[i]);
    phrase.push_back(value[i] >= 0x20 && value[i] < 0x7F ? c : '?');
  }
  std::string reason = phrase.empty() ? fmt::format("the server answered {}", code)
                                      : fmt::format("the server answered {} {}", code, phrase);
  return ErrorCodeAttribute{StunParseErrorKind::error_response, std::move(reason), code};
}

} // namespace

StunBindingRequest encode_stun_binding_request(const StunTransactionId& id) {
  StunBindingRequest request{};
  request[0] = static_cast<std::uint8_t>(kBindingRequest >> 8U);
  request[1] = static_cast<std::uint8_t>(kBindingRequest & 0xFFU);
  // request[2..3]: message length 0, no attributes.
  for (std::size_t i = 0; i < 4; ++i) {
    request[4 + i] = static_cast<std::uint8_t>(kStunMagicCookie >> (24U - 8U * i));
  }
  std::ranges::copy(id, request.begin() + 8);
  return request;
}

std::expected<StunMappedAddress, StunParseError>
parse_stun_binding_response(Bytes datagram, const StunTransactionId& id) {
  // RFC 8489 §6.3: the checks that tell a STUN message from anything else on the port.
  if (datagram.size() < kStunHeaderSize) {
    return malformed(fmt::format("{} octets are too short for a STUN header ({})", datagram.size(),
                                 kStunHeaderSize));
  }
  if ((datagram[0] & 0xC0U) != 0) {
    return malformed("not STUN: the first two bits are not zero");
  }
  if (read32(datagram, 4) != kStunMagicCookie) {
    return malformed("not STUN: the magic cookie is missing");
  }
  const std::size_t length = read16(datagram, 2);
  if (length % 4 != 0) {
    return malformed(fmt::format("message length {} is not a multiple of 4", length));
  }
  if (kStunHeaderSize + length != datagram.size()) {
    return malformed(fmt::format("message length {} does not match the {} octets received", length,
                                 datagram.size() - kStunHeaderSize));
  }
  const std::uint16_t type = read16(datagram, 0);
  if (type != kBindingSuccessResponse && type != kBindingErrorResponse) {
    return malformed(fmt::format("message type {:#06x} is not a Binding response", type));
  }
  if (!std::ranges::equal(datagram.subspan(8, id.size()), id)) {
    return std::unexpected(StunParseError{StunParseErrorKind::foreign_transaction,
                                          "the response belongs to another transaction", 0});
  }

  const Bytes header = datagram.first(kStunHeaderSize);
  std::optional<StunMappedAddress> xor_mapped;
  std::optional<StunMappedAddress> mapped;
  std::optional<ErrorCodeAttribute> error_code;
  // RFC 8489 §14.5: attributes after MESSAGE-INTEGRITY, except FINGERPRINT, are ignored.
  bool after_integrity = false;
  std::size_t offset = kStunHeaderSize;
  while (offset < datagram.size()) {
    if (datagram.size() - offset < 4) {
      return malformed(fmt::format("truncated attribute header at offset {}", offset));
    }
    const std::uint16_t attribute = read16(datagram, offset);
    const std::size_t value_length = read16(datagram, offset + 2);
    const std::size_t padded_length = (value_length + 3) & ~std::size_t{3};
    if (padded_length > datagram.size() - offset - 4) {
      return malformed(fmt::format("attribute {:#06x} at offset {} with length {} runs past the "
                                   "end of the message",
                                   attribute, offset, value_length));
    }
    const Bytes value = datagram.subspan(offset + 4, value_length);
    const std::size_t next = offset + 4 + padded_length;
    if (attribute == kFingerprint) {
      if (next != datagram.size() || value_length != 4) {
        return malformed("FINGERPRINT is not a 4-octet last attribute");
      }
      if ((crc32(datagram.first(offset)) ^ kFingerprintXor) != read32(value, 0)) {
        return malformed("FINGERPRINT does not match the message");
      }
    } else if (!after_integrity) {
      // Unknown attributes are skipped, comprehension-required ones included (RFC 8489
      // §6.3.3 would fail the transaction): RFC 3489 servers still send SOURCE-ADDRESS and
      // CHANGED-ADDRESS, and nothing here depends on what the others would mean.
      switch (attribute) {
      case kXorMappedAddress:
      case kMappedAddress: {
        const bool xored = attribute == kXorMappedAddress;
        auto& slot = xored ? xor_mapped : mapped;
        if (!slot) {
          auto parsed =
              parse_address(xored ? "XOR-MAPPED-ADDRESS" : "MAPPED-ADDRESS", value, header, xored);
          if (!parsed) {
            return std::unexpected(std::move(parsed.error()));
          }
          slot = *parsed;
        }
        break;
      }
      case kErrorCode:
        if (!error_code) {
          auto parsed = parse_error_code(value);
          if (!parsed) {
            return std::unexpected(std::move(parsed.error()));
          }
          error_code = std::move(*parsed);
        }
        break;
      case kMessageIntegrity:
      case kMessageIntegritySha256:
        after_integrity = true;
        break;
      default:
        break;
      }
    }
    offset = next;
  }

  if (type == kBindingErrorResponse) {
    if (!error_code) {
      return std::unexpected(StunParseError{StunParseErrorKind::error_response,
                                            "the server answered with an error without a code", 0});
    }
    return std::unexpected(std::move(*error_code));
  }
  if (xor_mapped) {
    return *xor_mapped;
  }
  if (mapped) {
    return *mapped;
  }
  return malformed("a Binding success response without XOR-MAPPED-ADDRESS or MAPPED-ADDRESS");
}

} // namespace starling::net
