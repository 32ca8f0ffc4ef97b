// A store in a data directory of its own for each test, removed afterwards.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "store/open_store.h"

namespace starling::store {

class TempStoreTest : public testing::Test {
protected:
  void SetUp() override {
    data_dir_ = std::filesystem::temp_directory_path() /
                ("starling-store-test-" + std::to_string(::getpid()) + "-" +
                 testing::UnitTest::GetInstance()->current_test_info()->test_suite_name() + "-" +
                 testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(data_dir_);
    store_ = open();
    ASSERT_NE(store_, nullptr);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(data_dir_);
  }

  // Opens the test's data directory again, e.g. to see what survives a restart.
  std::unique_ptr<Store> open() {
    auto opened = open_store({}, data_dir_);
    EXPECT_TRUE(opened.has_value()) << (opened ? "" : opened.error().message);
    return opened ? std::move(*opened) : nullptr;
  }
  void reopen() {
    store_.reset();
    store_ = open();
    ASSERT_NE(store_, nullptr);
  }

  // A user who logs in with "x".
  Id add_user(const std::string& name) {
    auto added = store_->add_user({name, "", Role::user, {"x"}});
    EXPECT_TRUE(added.has_value()) << (added ? "" : added.error().message);
    return added ? added->id : 0;
  }

  std::filesystem::path data_dir_;
  std::unique_ptr<Store> store_;
};

} // namespace starling::store
