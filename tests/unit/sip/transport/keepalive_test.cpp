// Tests of UDP keep-alive recognition and the STUN Binding response (RFC 5389).
#include <array>
#include <string>

#include <gtest/gtest.h>

#include "sip/transport/keepalive.h"

namespace starling::sip {
namespace {

std::string binding_request() {
  std::string request{'\x00', '\x01', '\x00', '\x00', '\x21', '\x12', '\xA4', '\x42'};
  for (char c = 1; c <= 12; ++c) {
    request.push_back(c); // transaction id
  }
  return request;
}

TEST(Keepalive, RecognisesCrlfDatagrams) {
  EXPECT_TRUE(is_crlf_keepalive("\r\n"));
  EXPECT_TRUE(is_crlf_keepalive("\r\n\r\n"));
  EXPECT_FALSE(is_crlf_keepalive(""));
  EXPECT_FALSE(is_crlf_keepalive("\r\nOPTIONS"));
}

TEST(Keepalive, AnswersABindingRequestWithTheSourceAddressXored) {
  const auto source = boost::asio::ip::make_address("192.0.2.1");
  const auto response = stun_binding_response(binding_request(), source, 5060);
  ASSERT_TRUE(response);
  ASSERT_EQ(response->size(), 32U);
  EXPECT_EQ(response->substr(0, 2), std::string("\x01\x01", 2));
  EXPECT_EQ(response->substr(8, 12), binding_request().substr(8, 12));
  const auto octet = [&](std::size_t i) {
    return static_cast<unsigned>(static_cast<unsigned char>((*response)[i]));
  };
  EXPECT_EQ(((octet(26) << 8U) | octet(27)) ^ 0x2112U, 5060U);
  EXPECT_EQ(octet(28) ^ 0x21U, 192U);
  EXPECT_EQ(octet(31) ^ 0x42U, 1U);
}

TEST(Keepalive, IgnoresStunThatIsNotABindingRequest) {
  std::string indication = binding_request();
  indication[1] = '\x11';
  EXPECT_TRUE(is_stun(indication));
  EXPECT_FALSE(stun_binding_response(indication, boost::asio::ip::make_address("::1"), 1));
}

} // namespace
} // namespace starling::sip
