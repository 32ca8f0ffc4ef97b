// Users' XMPP data over a real SQLite store: served from memory, written behind, read back
// by the next run.
#include <filesystem>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>
#include <unistd.h>

#include "core/clock.h"
#include "store/open_store.h"
#include "xmpp/server/stored_user_data.h"

namespace starling::xmpp::server {
namespace {

class StoredUserDataTest : public testing::Test {
protected:
  void SetUp() override {
    data_dir_ = std::filesystem::temp_directory_path() /
                ("starling-stored-user-data-test-" + std::to_string(::getpid()) + "-" +
                 testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(data_dir_);
    store_ = std::move(*store::open_store({}, data_dir_));
    ASSERT_TRUE(store_->add_user({"alice", "", store::Role::user, {"x"}}));
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(data_dir_);
  }

  // A fresh StoredUserData as the next run would make it, after the writes have run.
  std::unique_ptr<StoredUserData> next_run() {
    io_.run();
    io_.restart();
    auto data = std::make_unique<StoredUserData>(*store_, io_.get_executor(), clock_);
    data->load();
    return data;
  }

  static xml::Element vcard(std::string_view name) {
    return std::move(xml::Element("vcard-temp", "vCard").append_text(name));
  }

  std::filesystem::path data_dir_;
  std::unique_ptr<store::Store> store_;
  boost::asio::io_context io_;
  core::ManualClock clock_;
};

TEST_F(StoredUserDataTest, WhatWasPutIsReadAtOnceAndByTheNextRun) {
  StoredUserData data(*store_, io_.get_executor(), clock_);
  data.put("alice", "vcard", "", vcard("Alice"));
  ASSERT_NE(data.find("alice", "vcard", ""), nullptr) << "served from memory before the write";
  EXPECT_EQ(*data.find("alice", "vcard", ""), vcard("Alice"));

  const auto next = next_run();
  ASSERT_NE(next->find("alice", "vcard", ""), nullptr);
  EXPECT_EQ(*next->find("alice", "vcard", ""), vcard("Alice"));
}

TEST_F(StoredUserDataTest, ARemovalReachesTheStoreAfterThePutBeforeIt) {
  StoredUserData data(*store_, io_.get_executor(), clock_);
  data.put("alice", "blocklist", "mallory@x", xml::Element("urn:xmpp:blocking", "item"));
  data.remove("alice", "blocklist", "mallory@x");
  EXPECT_TRUE(data.list("alice", "blocklist").empty());
  EXPECT_TRUE(next_run()->list("alice", "blocklist").empty());
}

TEST_F(StoredUserDataTest, AWriteForAUserWhoIsGoneIsDroppedWithoutHarm) {
  StoredUserData data(*store_, io_.get_executor(), clock_);
  data.put("nobody", "vcard", "", vcard("Nobody"));
  data.put("alice", "vcard", "", vcard("Alice"));
  const auto next = next_run();
  EXPECT_EQ(next->find("nobody", "vcard", ""), nullptr);
  EXPECT_NE(next->find("alice", "vcard", ""), nullptr);
}

TEST_F(StoredUserDataTest, RemovingAUserForgetsItsEntriesInMemory) {
  StoredUserData data(*store_, io_.get_executor(), clock_);
  data.put("alice", "vcard", "", vcard("Alice"));
  data.remove_user("alice");
  EXPECT_EQ(data.find("alice", "vcard", ""), nullptr);
}

} // namespace
} // namespace starling::xmpp::server
