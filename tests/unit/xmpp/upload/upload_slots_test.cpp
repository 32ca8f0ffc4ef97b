// Slot bookkeeping: sizes, quotas with their retry time, one PUT per slot, expiry.
#include <gtest/gtest.h>

#include "xmpp/upload/upload_slots.h"

namespace starling::xmpp::upload {
namespace {

using namespace std::chrono_literals;
constexpr std::uint64_t kMiB = 1024 * 1024;
const TimePoint kStart{std::chrono::seconds(1'767'225'600)};

class UploadSlotsTest : public ::testing::Test {
protected:
  UploadSlotsTest() {
    settings_.max_file_size = 10 * kMiB;
    settings_.quota = 25 * kMiB;
    settings_.retention = std::chrono::days(30);
    settings_.slot_lifetime = 120s;
  }

  std::expected<Slot, SlotRefusal> grant(std::string id, std::uint64_t size,
                                         std::string owner = "alice@pbx.example",
                                         TimePoint now = kStart) {
    return slots_.grant(std::move(id), std::move(owner), "photo.jpg", size, "image/jpeg", now);
  }
  // A slot granted and its file stored at `now`.
  void store(std::string id, std::uint64_t size, TimePoint now = kStart) {
    auto slot = grant(id, size, "alice@pbx.example", now);
    ASSERT_TRUE(slot);
    ASSERT_TRUE(slots_.claim(id, "photo.jpg", size, "image/jpeg", now));
    slots_.stored({.slot_id = id,
                   .owner = slot->owner,
                   .file_name = slot->file_name,
                   .size = size,
                   .content_type = slot->content_type,
                   .stored_at = now});
  }

  UploadSettings settings_;
  UploadSlots slots_{settings_};
};

TEST_F(UploadSlotsTest, AFileOverTheLimitIsRefusedWithTheLimit) {
  const auto refused = grant("s1", 10 * kMiB + 1);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().reason, SlotRefusal::Reason::file_too_large);
  EXPECT_EQ(refused.error().max_file_size, 10 * kMiB);
  EXPECT_TRUE(grant("s2", 10 * kMiB));
}

TEST_F(UploadSlotsTest, TheLimitIsTheQuotaWhenThatIsSmaller) {
  settings_.quota = 4 * kMiB;
  EXPECT_EQ(slots_.max_file_size(), 4 * kMiB);
  settings_.quota = 0;
  EXPECT_EQ(slots_.max_file_size(), 10 * kMiB);
}

TEST_F(UploadSlotsTest, OverTheQuotaTheRetryIsWhenTheOldestFileExpires) {
  store("old", 10 * kMiB, kStart);
  store("newer", 10 * kMiB, kStart + 24h);
  const auto now = kStart + 48h;
  const auto refused = grant("s3", 6 * kMiB, "alice@pbx.example", now);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().reason, SlotRefusal::Reason::quota_reached);
  EXPECT_EQ(refused.error().retry, kStart + std::chrono::days(30));
  // Another user has a quota of their own.
  EXPECT_TRUE(grant("s4", 6 * kMiB, "bob@pbx.example", now));
  // Once the oldest file is past the retention, its space counts as free.
  EXPECT_TRUE(grant("s5", 6 * kMiB, "alice@pbx.example", kStart + std::chrono::days(30)));
}

TEST_F(UploadSlotsTest, EmptyFilesAreNotFree) {
  settings_.quota = 40 * 1024;
  for (int i = 0; i < 10; ++i) {
    store("empty-" + std::to_string(i), 0);
  }
  const auto refused = grant("one-more", 0);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().reason, SlotRefusal::Reason::quota_reached);
  // A quota below the smallest charge still takes a file as large as the quota.
  settings_.quota = 1000;
  EXPECT_TRUE(grant("small", 1000, "bob@pbx.example"));
  EXPECT_FALSE(grant("second", 1, "bob@pbx.example"));
}

TEST_F(UploadSlotsTest, UnusedSlotsCountAgainstTheQuotaUntilTheyExpire) {
  ASSERT_TRUE(grant("a", 10 * kMiB));
  ASSERT_TRUE(grant("b", 10 * kMiB));
  const auto refused = grant("c", 10 * kMiB);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().retry, kStart + 120s);
  EXPECT_TRUE(grant("d", 10 * kMiB, "alice@pbx.example", kStart + 120s));
}

TEST_F(UploadSlotsTest, WithoutRetentionAFullQuotaHasNoRetryTime) {
  settings_.retention = std::chrono::days(0);
  store("a", 10 * kMiB);
  store("b", 10 * kMiB);
  const auto refused = grant("c", 10 * kMiB, "alice@pbx.example", kStart + 1h);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().retry, std::nullopt);
}

TEST_F(UploadSlotsTest, APutMustHaveTheSizeAndTypeAskedFor) {
  ASSERT_TRUE(grant("s", 1000));
  EXPECT_EQ(slots_.claim("s", "photo.jpg", 999, "image/jpeg", kStart).error(),
            PutRefusal::wrong_length);
  EXPECT_EQ(slots_.claim("s", "photo.jpg", 1000, "text/html", kStart).error(),
            PutRefusal::wrong_type);
  EXPECT_EQ(slots_.claim("s", "photo.jpg", 1000, std::nullopt, kStart).error(),
            PutRefusal::wrong_type);
  // The refusals left the slot usable; the media type compares case-insensitively.
  EXPECT_TRUE(slots_.claim("s", "photo.jpg", 1000, "Image/JPEG", kStart));
}

TEST_F(UploadSlotsTest, WithoutADeclaredTypeAnyPutTypeIsTaken) {
  ASSERT_TRUE(slots_.grant("s", "alice@pbx.example", "notes", 5, "", kStart));
  EXPECT_TRUE(slots_.claim("s", "notes", 5, std::nullopt, kStart));
}

TEST_F(UploadSlotsTest, ASlotTakesOnePutOnly) {
  ASSERT_TRUE(grant("s", 1000));
  ASSERT_TRUE(slots_.claim("s", "photo.jpg", 1000, "image/jpeg", kStart));
  EXPECT_EQ(slots_.claim("s", "photo.jpg", 1000, "image/jpeg", kStart).error(),
            PutRefusal::already_used);
  store("t", 1000);
  EXPECT_EQ(slots_.claim("t", "photo.jpg", 1000, "image/jpeg", kStart).error(),
            PutRefusal::already_used);
  EXPECT_NE(slots_.find("t", "photo.jpg"), nullptr);
}

TEST_F(UploadSlotsTest, UnknownAndExpiredSlotsAndOtherNamesAreRefused) {
  EXPECT_EQ(slots_.claim("nope", "photo.jpg", 1, "image/jpeg", kStart).error(),
            PutRefusal::unknown_slot);
  ASSERT_TRUE(grant("s", 1000));
  EXPECT_EQ(slots_.claim("s", "other.jpg", 1000, "image/jpeg", kStart).error(),
            PutRefusal::unknown_slot);
  EXPECT_EQ(slots_.pending_size("s", "photo.jpg", kStart + 119s), 1000U);
  EXPECT_EQ(slots_.pending_size("s", "photo.jpg", kStart + 120s), std::nullopt);
  EXPECT_EQ(slots_.claim("s", "photo.jpg", 1000, "image/jpeg", kStart + 120s).error(),
            PutRefusal::expired_slot);
}

TEST_F(UploadSlotsTest, ExpireReturnsFilesPastTheRetentionAndForgetsThem) {
  store("old", 100, kStart);
  store("new", 100, kStart + std::chrono::days(10));
  ASSERT_TRUE(grant("unused", 100));
  const auto expired = slots_.expire(kStart + std::chrono::days(30));
  ASSERT_EQ(expired.size(), 1U);
  EXPECT_EQ(expired.front().slot_id, "old");
  EXPECT_EQ(slots_.find("old", "photo.jpg"), nullptr);
  EXPECT_NE(slots_.find("new", "photo.jpg"), nullptr);
  EXPECT_EQ(slots_.claim("unused", "photo.jpg", 100, "image/jpeg", kStart).error(),
            PutRefusal::unknown_slot);
}

} // namespace
} // namespace starling::xmpp::upload
