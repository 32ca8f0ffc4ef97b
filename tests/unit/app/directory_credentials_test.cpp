#include <filesystem>

#include <gtest/gtest.h>
#include <unistd.h>

#include "app/directory_credentials.h"
#include "store/open_store.h"

namespace starling::app {
namespace {

class DirectoryCredentialsTest : public testing::Test {
protected:
  void SetUp() override {
    data_dir_ = std::filesystem::temp_directory_path() /
                ("starling-credentials-test-" + std::to_string(::getpid()) + "-" +
                 testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(data_dir_);
    store_ = std::move(*store::open_store({}, data_dir_));
    other_process_ = std::move(*store::open_store({}, data_dir_));
    owner_ = other_process_->add_user({"alice", "", store::Role::user, "x"})->id;
  }
  void TearDown() override {
    store_.reset();
    other_process_.reset();
    std::filesystem::remove_all(data_dir_);
  }

  void add_device(const std::string& name, const std::string& md5, const std::string& sha256) {
    ASSERT_TRUE(other_process_->add_device({owner_, name, "pbx", md5, sha256, ""}));
  }

  std::filesystem::path data_dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<store::Store> other_process_; // a second connection, as `starling device add`
  store::Id owner_ = 0;
};

const std::string kMd5 = "939e7578ed9e3c518a452acee763bce9";
const std::string kSha256 = "7ab2d7e3b8f1b7d6c1e4f70c2e3d11a07f2a6c49c5aa7e8b7b4d6a5f0e9c8d71";

TEST_F(DirectoryCredentialsTest, FindsDevicesByNameAndRealmAfterARefresh) {
  add_device("alice", kMd5, kSha256);
  DirectoryCredentials credentials(*store_);
  ASSERT_TRUE(credentials.refresh());
  const auto found = credentials.find("alice", "pbx");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->ha1_md5.view(), kMd5);
  EXPECT_EQ(found->ha1_sha256.view(), kSha256);
  EXPECT_FALSE(credentials.find("alice", "other-realm").has_value());
  EXPECT_FALSE(credentials.find("bob", "pbx").has_value());
}

TEST_F(DirectoryCredentialsTest, SeesADeviceAnotherProcessAddedOnTheNextRefresh) {
  DirectoryCredentials credentials(*store_);
  ASSERT_TRUE(credentials.refresh());
  EXPECT_EQ(credentials.size(), 0U);
  add_device("desk", kMd5, kSha256);
  ASSERT_TRUE(credentials.refresh());
  EXPECT_TRUE(credentials.find("desk", "pbx").has_value());
}

TEST_F(DirectoryCredentialsTest, SkipsADeviceWithDamagedHashes) {
  add_device("good", kMd5, kSha256);
  add_device("bad", "not-hex", kSha256);
  DirectoryCredentials credentials(*store_);
  ASSERT_TRUE(credentials.refresh());
  EXPECT_TRUE(credentials.find("good", "pbx").has_value());
  EXPECT_FALSE(credentials.find("bad", "pbx").has_value());
}

} // namespace
} // namespace starling::app
