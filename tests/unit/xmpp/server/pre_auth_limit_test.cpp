// Tests of the per-address cap on connections that have not authenticated.
#include <optional>
#include <utility>
#include <vector>

#include <boost/asio/ip/address.hpp>
#include <gtest/gtest.h>

#include "xmpp/server/pre_auth_limit.h"

namespace starling::xmpp::server {
namespace {

const auto kFirst = boost::asio::ip::make_address("192.0.2.1");
const auto kSecond = boost::asio::ip::make_address("2001:db8::1");

TEST(PreAuthLimit, AdmitsUpToTheCapPerAddress) {
  PreAuthLimit limit(2);
  auto one = limit.admit(kFirst);
  auto two = limit.admit(kFirst);
  EXPECT_TRUE(one.has_value());
  EXPECT_TRUE(two.has_value());
  EXPECT_FALSE(limit.admit(kFirst).has_value());
}

TEST(PreAuthLimit, DefaultCapIsTheNamedConstant) {
  PreAuthLimit limit;
  std::vector<PreAuthLimit::Slot> slots;
  for (std::size_t i = 0; i < kMaxUnauthenticatedPerAddress; ++i) {
    auto slot = limit.admit(kFirst);
    ASSERT_TRUE(slot.has_value()) << i;
    slots.push_back(std::move(*slot));
  }
  EXPECT_FALSE(limit.admit(kFirst).has_value());
}

TEST(PreAuthLimit, FullAddressDoesNotAffectOthers) {
  PreAuthLimit limit(1);
  auto first = limit.admit(kFirst);
  ASSERT_TRUE(first.has_value());
  ASSERT_FALSE(limit.admit(kFirst).has_value());
  auto second = limit.admit(kSecond);
  EXPECT_TRUE(second.has_value());
  EXPECT_FALSE(limit.admit(kSecond).has_value());
}

TEST(PreAuthLimit, DestroyingASlotFreesItsPlace) {
  PreAuthLimit limit(2);
  auto one = limit.admit(kFirst);
  auto two = limit.admit(kFirst);
  ASSERT_FALSE(limit.admit(kFirst).has_value());
  one.reset();
  auto three = limit.admit(kFirst);
  EXPECT_TRUE(three.has_value());
  EXPECT_FALSE(limit.admit(kFirst).has_value());
}

TEST(PreAuthLimit, MovedFromSlotDoesNotFreeThePlaceTwice) {
  PreAuthLimit limit(2);
  auto one = limit.admit(kFirst);
  auto two = limit.admit(kFirst);
  ASSERT_TRUE(one.has_value());
  std::optional<PreAuthLimit::Slot> moved(std::move(*one));
  one.reset(); // the moved-from slot: must not release
  EXPECT_FALSE(limit.admit(kFirst).has_value());
  moved.reset();
  auto again = limit.admit(kFirst);
  EXPECT_TRUE(again.has_value());
  EXPECT_FALSE(limit.admit(kFirst).has_value());
}

TEST(PreAuthLimit, AddressIsAdmittedAfreshOnceAllItsSlotsAreGone) {
  PreAuthLimit limit(2);
  for (int round = 0; round < 3; ++round) {
    auto one = limit.admit(kFirst);
    auto two = limit.admit(kFirst);
    ASSERT_TRUE(one.has_value()) << round;
    ASSERT_TRUE(two.has_value()) << round;
    ASSERT_FALSE(limit.admit(kFirst).has_value()) << round;
  }
}

} // namespace
} // namespace starling::xmpp::server
