#include <cstdint>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "net/stun_message.h"

namespace starling::net {
namespace {

namespace ip = boost::asio::ip;

std::vector<std::uint8_t> hex(std::string_view text) {
  std::vector<std::uint8_t> bytes;
  const auto nibble = [](char c) {
    return static_cast<std::uint8_t>(c <= '9' ? c - '0' : c - 'a' + 10);
  };
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] == ' ') {
      continue;
    }
    bytes.push_back(static_cast<std::uint8_t>(nibble(text[i]) << 4U | nibble(text[i + 1])));
    ++i;
  }
  return bytes;
}

// RFC 5769 §2.2 and §2.3 (the transaction id of both).
const StunTransactionId kRfc5769Id = {0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34,
                                      0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae};

// RFC 5769 §2.2: SOFTWARE "test vector", XOR-MAPPED-ADDRESS 192.0.2.1:32853,
// MESSAGE-INTEGRITY, FINGERPRINT.
const auto kRfc5769Ipv4Response = hex("0101003c 2112a442 b7e7a701 bc34d686 fa87dfae"
                                      "8022000b 74657374 20766563 746f7220"
                                      "00200008 0001a147 e112a643"
                                      "00080014 2b91f599 fd9e90c3 8c7489f9 2af9ba53 f06be7d7"
                                      "80280004 c07d4c96");

// RFC 5769 §2.3: the same with XOR-MAPPED-ADDRESS
// [2001:db8:1234:5678:11:2233:4455:6677]:32853.
const auto kRfc5769Ipv6Response = hex("01010048 2112a442 b7e7a701 bc34d686 fa87dfae"
                                      "8022000b 74657374 20766563 746f7220"
                                      "00200014 0002a147 0113a9fa a5d3f179 bc25f4b5 bed2b9d9"
                                      "00080014 a382954e 4be67bf1 1784c97c 8292c275 bfe3ed41"
                                      "80280004 c8fb0b4c");

const StunTransactionId kId = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

// A Binding success response for kId with the given attributes (length filled in).
std::vector<std::uint8_t> response(std::string_view attributes, std::string_view type = "0101") {
  auto body = hex(attributes);
  auto message = hex(type);
  message.push_back(static_cast<std::uint8_t>(body.size() >> 8U));
  message.push_back(static_cast<std::uint8_t>(body.size() & 0xFFU));
  for (const auto byte : hex("2112a442 0102030405060708090a0b0c")) {
    message.push_back(byte);
  }
  message.insert(message.end(), body.begin(), body.end());
  return message;
}

StunParseError error_of(const std::vector<std::uint8_t>& datagram,
                        const StunTransactionId& id = kId) {
  const auto parsed = parse_stun_binding_response(datagram, id);
  EXPECT_FALSE(parsed.has_value());
  return parsed ? StunParseError{} : parsed.error();
}

TEST(StunBindingRequest, IsAHeaderWithCookieAndTransactionIdAndNoAttributes) {
  const auto request = encode_stun_binding_request(kId);
  EXPECT_EQ(std::vector<std::uint8_t>(request.begin(), request.end()),
            hex("0001 0000 2112a442 0102030405060708090a0b0c"));
}

TEST(StunBindingResponse, DecodesTheRfc5769Ipv4SampleResponse) {
  const auto mapped = parse_stun_binding_response(kRfc5769Ipv4Response, kRfc5769Id);
  ASSERT_TRUE(mapped) << mapped.error().reason;
  EXPECT_EQ(mapped->address, ip::make_address("192.0.2.1"));
  EXPECT_EQ(mapped->port, 32853);
  EXPECT_TRUE(mapped->from_xor_mapped_address);
}

TEST(StunBindingResponse, DecodesTheRfc5769Ipv6SampleResponse) {
  const auto mapped = parse_stun_binding_response(kRfc5769Ipv6Response, kRfc5769Id);
  ASSERT_TRUE(mapped) << mapped.error().reason;
  EXPECT_EQ(mapped->address, ip::make_address("2001:db8:1234:5678:11:2233:4455:6677"));
  EXPECT_EQ(mapped->port, 32853);
}

TEST(StunBindingResponse, RejectsTheRfc5769ResponseWithAFlippedBitByItsFingerprint) {
  auto datagram = kRfc5769Ipv4Response;
  datagram[24] ^= 0x01; // inside SOFTWARE, which nothing else checks
  const auto error = error_of(datagram, kRfc5769Id);
  EXPECT_EQ(error.kind, StunParseErrorKind::malformed);
  EXPECT_EQ(error.reason, "FINGERPRINT does not match the message");
}

TEST(StunBindingResponse, DiscardsAnswersToAnotherTransaction) {
  const auto error = error_of(kRfc5769Ipv4Response, kId);
  EXPECT_EQ(error.kind, StunParseErrorKind::foreign_transaction);
}

TEST(StunBindingResponse, FallsBackToMappedAddressOfOlderServers) {
  const auto mapped = parse_stun_binding_response(response("0001 0008 0001 1f90 cb007107"), kId);
  ASSERT_TRUE(mapped) << mapped.error().reason;
  EXPECT_EQ(mapped->address, ip::make_address("203.0.113.7"));
  EXPECT_EQ(mapped->port, 8080);
  EXPECT_FALSE(mapped->from_xor_mapped_address);
}

TEST(StunBindingResponse, PrefersXorMappedAddressWhereverItStands) {
  // MAPPED-ADDRESS 203.0.113.7:8080, then XOR-MAPPED-ADDRESS 192.0.2.1:32853.
  const auto mapped = parse_stun_binding_response(
      response("0001 0008 0001 1f90 cb007107  0020 0008 0001 a147 e112a643"), kId);
  ASSERT_TRUE(mapped) << mapped.error().reason;
  EXPECT_EQ(mapped->address, ip::make_address("192.0.2.1"));
  EXPECT_TRUE(mapped->from_xor_mapped_address);
}

TEST(StunBindingResponse, SkipsUnknownAttributesOfEitherRange) {
  // SOURCE-ADDRESS (RFC 3489), RESPONSE-ORIGIN (RFC 5780), then the address.
  const auto mapped = parse_stun_binding_response(
      response("0004 0008 0001 0d96 7f000001  802b 0008 0001 0d96 7f000001"
               "0020 0008 0001 a147 e112a643"),
      kId);
  ASSERT_TRUE(mapped) << mapped.error().reason;
  EXPECT_EQ(mapped->address, ip::make_address("192.0.2.1"));
}

TEST(StunBindingResponse, IgnoresAddressesAfterMessageIntegrity) {
  const auto error = error_of(response("0008 0014 0000000000000000000000000000000000000000"
                                       "0020 0008 0001 a147 e112a643"));
  EXPECT_EQ(error.kind, StunParseErrorKind::malformed);
  EXPECT_NE(error.reason.find("without XOR-MAPPED-ADDRESS"), std::string::npos) << error.reason;
}

TEST(StunBindingResponse, ReportsTheErrorCodeOfAnErrorResponse) {
  // ERROR-CODE 420 "Unknown" (7 octets, one of padding).
  const auto error = error_of(response("0009 000b 00000414 556e6b6e6f776e 00", "0111"));
  EXPECT_EQ(error.kind, StunParseErrorKind::error_response);
  EXPECT_EQ(error.error_code, 420);
  EXPECT_EQ(error.reason, "the server answered 420 Unknown");
}

TEST(StunBindingResponse, KeepsControlCharactersOfAReasonPhraseOutOfTheLog) {
  const auto error = error_of(response("0009 0006 00000401 0a41 0000", "0111"));
  EXPECT_EQ(error.error_code, 401);
  EXPECT_EQ(error.reason, "the server answered 401 ?A");
}

TEST(StunBindingResponse, RejectsAnErrorCodeOutsideItsRange) {
  const auto error = error_of(response("0009 0004 00000200", "0111"));
  EXPECT_EQ(error.kind, StunParseErrorKind::malformed);
}

TEST(StunBindingResponse, RejectsWhatIsNotABindingResponse) {
  EXPECT_EQ(error_of(response("", "0001")).reason, "message type 0x0001 is not a Binding response");
  EXPECT_EQ(error_of(response("", "0103")).kind, StunParseErrorKind::malformed); // Allocate
  EXPECT_EQ(error_of(hex("0101 0000 2112")).reason,
            "6 octets are too short for a STUN header (20)");
  const std::string_view sip = "OPTIONS sip:x SIP/2.0\r\n\r\n";
  EXPECT_EQ(error_of(std::vector<std::uint8_t>(sip.begin(), sip.end())).reason,
            "not STUN: the first two bits are not zero");
  auto no_cookie = response("");
  no_cookie[4] = 0;
  EXPECT_EQ(error_of(no_cookie).reason, "not STUN: the magic cookie is missing");
  auto top_bits = response("");
  top_bits[0] = 0x41;
  EXPECT_EQ(error_of(top_bits).reason, "not STUN: the first two bits are not zero");
}

TEST(StunBindingResponse, RejectsLengthsThatDisagreeWithTheDatagram) {
  auto longer = response("0020 0008 0001 a147 e112a643");
  longer.push_back(0);
  longer.push_back(0);
  longer.push_back(0);
  longer.push_back(0);
  EXPECT_EQ(error_of(longer).reason, "message length 12 does not match the 16 octets received");
  auto odd = response("0020 0008 0001 a147 e112a643");
  odd[3] = 11;
  odd.pop_back();
  EXPECT_EQ(error_of(odd).reason, "message length 11 is not a multiple of 4");
}

TEST(StunBindingResponse, RejectsAttributesThatRunPastTheEnd) {
  EXPECT_NE(error_of(response("0020 0010 0001 a147 e112a643")).reason.find("runs past the end"),
            std::string::npos);
  // A 5-octet value needs 3 octets of padding to stay on a 32-bit boundary.
  EXPECT_NE(error_of(response("8022 0005 41424344")).reason.find("runs past the end"),
            std::string::npos);
}

TEST(StunBindingResponse, RejectsAddressesOfTheWrongLengthOrFamily) {
  EXPECT_EQ(error_of(response("0020 0014 0001 a147 e112a643 00000000 00000000 00000000")).reason,
            "XOR-MAPPED-ADDRESS of an IPv4 address has length 20, expected 8");
  EXPECT_EQ(error_of(response("0020 0008 0002 a147 e112a643")).reason,
            "XOR-MAPPED-ADDRESS of an IPv6 address has length 8, expected 20");
  EXPECT_EQ(error_of(response("0001 0008 0003 a147 e112a643")).reason,
            "MAPPED-ADDRESS has unknown address family 0x03");
  EXPECT_EQ(error_of(response("0020 0000")).reason, "XOR-MAPPED-ADDRESS of 0 octets is too short");
}

TEST(StunBindingResponse, RejectsAFingerprintThatIsNotLast) {
  EXPECT_EQ(error_of(response("8028 0004 00000000  0020 0008 0001 a147 e112a643")).reason,
            "FINGERPRINT is not a 4-octet last attribute");
}

TEST(StunBindingResponse, RejectsASuccessWithoutAnAddress) {
  EXPECT_EQ(error_of(response("8022 0004 41424344")).reason,
            "a Binding success response without XOR-MAPPED-ADDRESS or MAPPED-ADDRESS");
}

} // namespace
} // namespace starling::net
