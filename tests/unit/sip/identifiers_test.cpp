// Tests of the fresh tags, branches and Call-IDs a UA puts in its requests.
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "sip/identifiers.h"

namespace starling::sip {
namespace {

constexpr int kSamples = 1000;

bool is_token(const std::string& text) {
  // RFC 3261 §25.1: tags, branches and Call-IDs (word) all accept alphanumerics.
  return !text.empty() && text.find_first_not_of("0123456789abcdefABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                 "ghijklmnopqrstuvwxyz") == std::string::npos;
}

TEST(Identifiers, BranchesStartWithTheRfc3261MagicCookie) {
  const std::string branch = new_branch();
  EXPECT_TRUE(branch.starts_with("z9hG4bK")) << branch;
  EXPECT_GT(branch.size(), std::string("z9hG4bK").size());
  EXPECT_TRUE(is_token(branch)) << branch;
}

TEST(Identifiers, TagsCarryAtLeast32RandomBitsAsHex) {
  const std::string tag = new_tag();
  EXPECT_GE(tag.size(), 8U); // 32 bits in hex (RFC 3261 §19.3)
  EXPECT_TRUE(is_token(tag)) << tag;
}

TEST(Identifiers, CallIdsAreLongAndMadeOfWordCharacters) {
  const std::string call_id = new_call_id();
  EXPECT_GE(call_id.size(), 16U);
  EXPECT_TRUE(is_token(call_id)) << call_id;
}

TEST(Identifiers, RepeatNeitherTagsNorBranchesNorCallIds) {
  std::set<std::string> tags;
  std::set<std::string> branches;
  std::set<std::string> call_ids;
  for (int sample = 0; sample < kSamples; ++sample) {
    tags.insert(new_tag());
    branches.insert(new_branch());
    call_ids.insert(new_call_id());
  }
  EXPECT_EQ(tags.size(), static_cast<std::size_t>(kSamples));
  EXPECT_EQ(branches.size(), static_cast<std::size_t>(kSamples));
  EXPECT_EQ(call_ids.size(), static_cast<std::size_t>(kSamples));
}

} // namespace
} // namespace starling::sip
