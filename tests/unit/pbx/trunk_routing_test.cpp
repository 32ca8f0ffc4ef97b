// Tests of where TrunkRouting takes a call to come from a trunk: the trunks' allowed sources.
#include <string>
#include <vector>

#include <boost/asio/ip/address.hpp>
#include <gtest/gtest.h>

#include "pbx/trunk_routing.h"

namespace starling::pbx {
namespace {

using boost::asio::ip::make_address;

store::Trunk trunk(std::string name, store::TrunkKind kind, std::vector<std::string> allowed) {
  store::Trunk made;
  made.name = std::move(name);
  made.kind = kind;
  made.domain = made.name + ".test";
  made.allowed_addresses = std::move(allowed);
  return made;
}

TrunkRouting compile(std::vector<store::Trunk> trunks) {
  return TrunkRouting::compile(std::move(trunks), {}, {});
}

TEST(TrunkRoutingSources, TakesACallFromAnIpTrunksNetworkOrAddressAndPort) {
  const auto routing =
      compile({trunk("carrier", store::TrunkKind::ip, {"198.51.100.0/24", "192.0.2.10:5090"})});
  EXPECT_EQ(routing.trunk_at(make_address("198.51.100.7"), 5060), "carrier");
  EXPECT_EQ(routing.trunk_at(make_address("192.0.2.10"), 5090), "carrier");
  EXPECT_EQ(routing.trunk_at(make_address("192.0.2.10"), 5060), std::nullopt);
  EXPECT_EQ(routing.trunk_at(make_address("203.0.113.1"), 5060), std::nullopt);
}

// Providers whose calls come from media gateways other than their registrar.
TEST(TrunkRoutingSources, TakesACallFromTheAddressesARegistrationTrunkAllows) {
  const auto routing =
      compile({trunk("provider", store::TrunkKind::registration, {"203.0.113.0/28"})});
  EXPECT_EQ(routing.trunk_at(make_address("203.0.113.9"), 5060), "provider");
  EXPECT_EQ(routing.trunk_at(make_address("203.0.113.17"), 5060), std::nullopt);
}

TEST(TrunkRoutingSources, IgnoresDisabledTrunksAndMalformedEntries) {
  auto disabled = trunk("old", store::TrunkKind::ip, {"192.0.2.1"});
  disabled.enabled = false;
  const auto routing =
      compile({disabled, trunk("carrier", store::TrunkKind::ip, {"192.0.2.300", "192.0.2.2"})});
  EXPECT_EQ(routing.trunk_at(make_address("192.0.2.1"), 5060), std::nullopt);
  EXPECT_EQ(routing.trunk_at(make_address("192.0.2.2"), 5060), "carrier");
}

} // namespace
} // namespace starling::pbx
