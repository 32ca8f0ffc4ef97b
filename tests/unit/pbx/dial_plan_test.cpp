// Tests of the dial plan on a real SQLite store: which devices ring for a dialled string.
#include <filesystem>
#include <memory>
#include <string>
#include <variant>

#include <gtest/gtest.h>
#include <unistd.h>

#include "pbx/dial_plan.h"
#include "store/open_store.h"

namespace starling::pbx {
namespace {

class DialPlanTest : public testing::Test {
protected:
  void SetUp() override {
    data_dir_ = std::filesystem::temp_directory_path() /
                ("starling-dial-plan-test-" + std::to_string(::getpid()) + "-" +
                 testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(data_dir_);
    auto opened = store::open_store({}, data_dir_);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    store_ = std::move(*opened);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(data_dir_);
  }

  store::Id add_user(const std::string& name) {
    auto user = store_->add_user({name, "", store::Role::user, "$argon2id$hash"});
    EXPECT_TRUE(user.has_value());
    return user ? user->id : 0;
  }
  void add_device(store::Id user, const std::string& auth_name) {
    EXPECT_TRUE(store_->add_device({user, auth_name, "starling", "md5", "sha", ""}));
  }

  // alice (extension 201) has a desk phone and a softphone; bob (202) one phone; carol no
  // extension and no device.
  std::shared_ptr<const DialPlan> office() {
    const store::Id alice = add_user("alice");
    const store::Id bob = add_user("bob");
    add_user("carol");
    add_device(alice, "alice-desk");
    add_device(alice, "alice-soft");
    add_device(bob, "bob-desk");
    EXPECT_TRUE(store_->add_extension({"201", alice, std::nullopt, ""}));
    EXPECT_TRUE(store_->add_extension({"202", bob, std::nullopt, ""}));
    auto plan = DialPlan::load(*store_, {});
    EXPECT_TRUE(plan.has_value());
    return plan.value_or(nullptr);
  }

  std::filesystem::path data_dir_;
  std::unique_ptr<store::Store> store_;
};

UserTarget user_target(const Target& target) {
  const auto* user = std::get_if<UserTarget>(&target);
  EXPECT_NE(user, nullptr);
  return user != nullptr ? *user : UserTarget{};
}

TEST_F(DialPlanTest, RingsEveryDeviceOfTheUserBehindAnExtension) {
  const auto plan = office();
  ASSERT_TRUE(plan);
  const UserTarget alice = user_target(plan->route("201"));
  EXPECT_EQ(alice.user, "alice");
  EXPECT_EQ(alice.devices, (std::vector<std::string>{"alice-desk", "alice-soft"}));
}

TEST_F(DialPlanTest, RoutesAUserNameToAllOfItsDevices) {
  const auto plan = office();
  ASSERT_TRUE(plan);
  const UserTarget bob = user_target(plan->route("bob"));
  EXPECT_EQ(bob.user, "bob");
  EXPECT_EQ(bob.devices, std::vector<std::string>{"bob-desk"});
}

TEST_F(DialPlanTest, RoutesADeviceNameToThatDeviceOnly) {
  const auto plan = office();
  ASSERT_TRUE(plan);
  const UserTarget soft = user_target(plan->route("alice-soft"));
  EXPECT_EQ(soft.user, "alice");
  EXPECT_EQ(soft.devices, std::vector<std::string>{"alice-soft"});
}

TEST_F(DialPlanTest, FindsAUserWithoutDevicesButHasNothingToRing) {
  const auto plan = office();
  ASSERT_TRUE(plan);
  const UserTarget carol = user_target(plan->route("carol"));
  EXPECT_EQ(carol.user, "carol");
  EXPECT_TRUE(carol.devices.empty());
}

TEST_F(DialPlanTest, HasNoTargetForAnUnknownNumber) {
  const auto plan = office();
  ASSERT_TRUE(plan);
  EXPECT_TRUE(std::holds_alternative<NoTarget>(plan->route("999")));
  EXPECT_TRUE(std::holds_alternative<NoTarget>(plan->route("")));
}

TEST_F(DialPlanTest, LeavesGroupExtensionsUnroutedForNow) {
  const store::Id alice = add_user("alice");
  const auto sales = store_->add_group("sales", "Sales");
  ASSERT_TRUE(sales.has_value());
  ASSERT_TRUE(store_->add_group_member(sales->id, alice));
  ASSERT_TRUE(store_->add_extension({"300", std::nullopt, sales->id, ""}));
  const auto plan = DialPlan::load(*store_, {});
  ASSERT_TRUE(plan.has_value());
  EXPECT_TRUE(std::holds_alternative<NoTarget>((*plan)->route("300")));
}

TEST_F(DialPlanTest, IsASnapshotThatLaterStoreChangesDoNotAlter) {
  const auto plan = office();
  ASSERT_TRUE(plan);
  const store::Id dave = add_user("dave");
  ASSERT_TRUE(store_->add_extension({"204", dave, std::nullopt, ""}));
  EXPECT_TRUE(std::holds_alternative<NoTarget>(plan->route("204")));
  const auto reloaded = DialPlan::load(*store_, {});
  ASSERT_TRUE(reloaded.has_value());
  EXPECT_EQ(user_target((*reloaded)->route("204")).user, "dave");
}

} // namespace
} // namespace starling::pbx
