// The state a trunk shows in starling trunks and the REST API.
#include <array>

#include <gtest/gtest.h>

#include "store/trunk_state.h"

namespace starling::store {
namespace {

Trunk named(std::string name, TrunkKind kind = TrunkKind::registration) {
  Trunk trunk;
  trunk.name = std::move(name);
  trunk.kind = kind;
  return trunk;
}

const std::array kSaved{TrunkStatus{"provider", "failing", "403 Forbidden", 100, 0},
                        TrunkStatus{"carrier", "registered", "", 100, 700}};

TEST(TrunkState, ARegistrationTrunkShowsWhatTheServerLastSaved) {
  const auto state = trunk_state(named("provider"), kSaved);
  EXPECT_EQ(state.state, "failing");
  ASSERT_NE(state.saved, nullptr);
  EXPECT_EQ(state.saved->reason, "403 Forbidden");
}

TEST(TrunkState, ARegistrationTrunkNeverSavedIsUnregistered) {
  const auto state = trunk_state(named("new"), kSaved);
  EXPECT_EQ(state.state, "unregistered");
  EXPECT_EQ(state.saved, nullptr);
}

TEST(TrunkState, DisabledAndIpTrunksIgnoreSavedRowsAsHistory) {
  auto disabled = named("provider");
  disabled.enabled = false;
  EXPECT_EQ(trunk_state(disabled, kSaved).state, "disabled");
  EXPECT_EQ(trunk_state(disabled, kSaved).saved, nullptr);
  const auto ip = trunk_state(named("carrier", TrunkKind::ip), kSaved);
  EXPECT_EQ(ip.state, "ip");
  EXPECT_EQ(ip.saved, nullptr);
}

TEST(TrunkState, KindNamesReadBack) {
  EXPECT_EQ(kind_from_name(kind_name(TrunkKind::ip)), TrunkKind::ip);
  EXPECT_EQ(kind_from_name(kind_name(TrunkKind::registration)), TrunkKind::registration);
  EXPECT_FALSE(kind_from_name("sip"));
}

} // namespace
} // namespace starling::store
