#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "app/doctor/trunk_check.h"

namespace starling::app::doctor {
namespace {

// A UDP port on loopback that nothing listens on once the socket is closed again.
std::uint16_t free_udp_port() {
  boost::asio::io_context io;
  boost::asio::ip::udp::socket socket(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return socket.local_endpoint().port();
}

TEST(TrunkCheck, SaysSoWhenNoTrunkIsConfigured) {
  const core::Config config;
  const auto results = check_trunks({config, {}});
  ASSERT_EQ(results.size(), 1U);
  EXPECT_EQ(results[0].status, CheckStatus::pass);
  EXPECT_EQ(results[0].found, "no SIP trunks configured (starling trunk add)");
}

TEST(TrunkCheck, SkipsADisabledTrunkWithANote) {
  const core::Config config;
  store::Trunk trunk;
  trunk.name = "carrier";
  trunk.domain = "sip.carrier.example";
  trunk.enabled = false;
  const std::vector trunks = {trunk};
  const auto results = check_trunks({config, trunks});
  ASSERT_EQ(results.size(), 1U);
  EXPECT_EQ(results[0].status, CheckStatus::pass);
  EXPECT_EQ(results[0].check, "trunk carrier");
  EXPECT_EQ(results[0].found, "disabled, not checked");
}

TEST(TrunkCheck, FailsNamingTheServerThatDoesNotAnswer) {
  const core::Config config;
  const auto port = free_udp_port();
  store::Trunk trunk;
  trunk.name = "carrier";
  trunk.domain = fmt::format("127.0.0.1:{}", port);
  const std::vector trunks = {trunk};
  const auto results = check_trunks({config, trunks});
  ASSERT_EQ(results.size(), 1U);
  EXPECT_EQ(results[0].status, CheckStatus::fail);
  EXPECT_TRUE(results[0].found.starts_with(fmt::format("no answer from 127.0.0.1:{}", port)))
      << results[0].found;
  EXPECT_FALSE(results[0].hint.empty());
}

} // namespace
} // namespace starling::app::doctor
