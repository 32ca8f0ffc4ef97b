// Trunks, their numbers, outbound routes and trunk states through the Store interface.
#include <filesystem>

#include <gtest/gtest.h>
#include <unistd.h>

#include "store/open_store.h"

namespace starling::store {
namespace {

class TrunkRowsTest : public testing::Test {
protected:
  void SetUp() override {
    data_dir_ = std::filesystem::temp_directory_path() /
                ("starling-trunk-test-" + std::to_string(::getpid()) + "-" +
                 testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(data_dir_);
    auto opened = open_store({}, data_dir_);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    store_ = std::move(*opened);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(data_dir_);
  }

  static Trunk provider() {
    Trunk trunk;
    trunk.name = "provider";
    trunk.domain = "sip.provider.test";
    trunk.transport = "tls";
    trunk.username = "4930123400";
    trunk.password = "secret";
    trunk.allowed_addresses = {"192.0.2.10", "198.51.100.0/24"};
    trunk.codecs = {"PCMA", "PCMU"};
    trunk.numbers = {{"+4930123400", "200"}, {"+4930123401-+4930123409", "201"}};
    trunk.unknown_did = "200";
    return trunk;
  }

  std::filesystem::path data_dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(TrunkRowsTest, AddedTrunkComesBackWithItsNumbersAndLists) {
  const auto added = store_->add_trunk(provider());
  ASSERT_TRUE(added.has_value()) << added.error().message;
  EXPECT_GT(added->id, 0);
  const auto found = store_->find_trunk("provider");
  ASSERT_TRUE(found.has_value() && found->has_value());
  const Trunk& trunk = **found;
  EXPECT_EQ(trunk.transport, "tls");
  EXPECT_EQ(trunk.password, "secret");
  EXPECT_EQ(trunk.allowed_addresses, (std::vector<std::string>{"192.0.2.10", "198.51.100.0/24"}));
  EXPECT_EQ(trunk.codecs, (std::vector<std::string>{"PCMA", "PCMU"}));
  ASSERT_EQ(trunk.numbers.size(), 2U);
  EXPECT_EQ(trunk.numbers[1].did, "+4930123401-+4930123409");
  EXPECT_EQ(trunk.numbers[1].target, "201");
  EXPECT_EQ(store_->list_trunks()->size(), 1U);
}

TEST_F(TrunkRowsTest, SecondTrunkWithTheSameNameIsAConflict) {
  ASSERT_TRUE(store_->add_trunk(provider()));
  const auto again = store_->add_trunk(provider());
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().kind, StoreError::Kind::conflict);
}

TEST_F(TrunkRowsTest, UpdateReplacesSettingsAndNumbers) {
  auto trunk = *store_->add_trunk(provider());
  trunk.kind = TrunkKind::ip;
  trunk.numbers = {{"+4930999", "300"}};
  const auto updated = store_->update_trunk(trunk);
  ASSERT_TRUE(updated.has_value()) << updated.error().message;
  EXPECT_EQ(updated->kind, TrunkKind::ip);
  ASSERT_EQ(updated->numbers.size(), 1U);
  EXPECT_EQ(updated->numbers[0].target, "300");
}

TEST_F(TrunkRowsTest, RemovingATrunkMovesTheRevisionAndForgetsIt) {
  const auto trunk = *store_->add_trunk(provider());
  const auto before = *store_->revision();
  ASSERT_TRUE(store_->remove_trunk(trunk.id));
  EXPECT_NE(*store_->revision(), before);
  EXPECT_FALSE(store_->find_trunk("provider")->has_value());
  EXPECT_EQ(store_->remove_trunk(trunk.id).error().kind, StoreError::Kind::not_found);
}

TEST_F(TrunkRowsTest, OutboundRoutesListInPositionOrder) {
  const auto international =
      store_->add_outbound_route({0, 20, "international", "00.", 0, "", true, {"a", "b"}});
  ASSERT_TRUE(international.has_value()) << international.error().message;
  ASSERT_TRUE(store_->add_outbound_route({0, 10, "national", "0Z.", 0, "", false, {"a"}}));
  const auto routes = store_->list_outbound_routes();
  ASSERT_TRUE(routes.has_value());
  ASSERT_EQ(routes->size(), 2U);
  EXPECT_EQ((*routes)[0].name, "national");
  EXPECT_EQ((*routes)[1].trunks, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE((*routes)[1].e164);

  auto moved = (*routes)[1];
  moved.position = 5;
  ASSERT_TRUE(store_->update_outbound_route(moved));
  EXPECT_EQ(store_->list_outbound_routes()->front().name, "international");
  ASSERT_TRUE(store_->remove_outbound_route(moved.id));
  EXPECT_EQ(store_->list_outbound_routes()->size(), 1U);
}

TEST_F(TrunkRowsTest, TrunkStatusIsReplacedPerTrunk) {
  ASSERT_TRUE(store_->save_trunk_status({"provider", "registering", "", 100, 0}));
  ASSERT_TRUE(store_->save_trunk_status({"provider", "registered", "", 101, 700}));
  const auto states = store_->list_trunk_status();
  ASSERT_TRUE(states.has_value());
  ASSERT_EQ(states->size(), 1U);
  EXPECT_EQ((*states)[0].state, "registered");
  EXPECT_EQ((*states)[0].expires_at, 700);
}

TEST_F(TrunkRowsTest, NewUsersMayCallNationallyUntilToldOtherwise) {
  NewUser request;
  request.name = "alice";
  request.password.hash = "$argon2id$hash";
  const auto alice = store_->add_user(request);
  ASSERT_TRUE(alice.has_value());
  EXPECT_EQ(alice->call_class, "national");
  ASSERT_TRUE(store_->set_user_call_class(alice->id, "international"));
  EXPECT_EQ((*store_->find_user("alice"))->call_class, "international");
}

} // namespace
} // namespace starling::store
