// Tests of the blocks a Message keeps its own texts in.
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "sip/detail/text_arena.h"

namespace starling::sip::detail {
namespace {

TEST(TextArena, JoinsThePartsOfAText) {
  TextArena arena;
  EXPECT_EQ(arena.store({"Via", ": ", "SIP/2.0/UDP h", "\r\n"}), "Via: SIP/2.0/UDP h\r\n");
  EXPECT_EQ(arena.store({}), "");
}

TEST(TextArena, EarlierTextsSurviveLaterOnesAndAMoveOfTheArena) {
  TextArena arena;
  std::vector<std::string_view> stored;
  std::vector<std::string> expected;
  // Enough texts, one longer than a block, to fill several blocks.
  for (int i = 0; i < 200; ++i) {
    expected.push_back(std::string(i == 100 ? 2000 : 10, static_cast<char>('a' + i % 26)));
    stored.push_back(arena.store({expected.back()}));
  }
  const TextArena moved = std::move(arena);
  for (std::size_t i = 0; i < stored.size(); ++i) {
    EXPECT_EQ(stored[i], expected[i]) << i;
  }
}

} // namespace
} // namespace starling::sip::detail
