// Owns the text of edited header lines so a Message's views stay valid when it is moved.
#pragma once

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <memory>
#include <string_view>
#include <vector>

namespace starling::sip::detail {

// Texts are copied into heap blocks that never move, so views into them survive a move of
// the arena. A block holds many texts: a request is edited once or twice on its way (its
// Via stamped, a Route taken off), and a heap string per text (two allocations) plus the
// vector holding them was three allocations for the first edit; now the first text costs
// a block and the vector, and the next ones, usually, nothing. (A small_vector would save
// the vector's allocation, but its move may throw, and a Message must move without.)
class TextArena {
public:
  std::string_view store(std::initializer_list<std::string_view> parts) {
    std::size_t size = 0;
    for (const std::string_view part : parts) {
      size += part.size();
    }
    char* const text = room_for(size);
    char* end = text;
    for (const std::string_view part : parts) {
      end = std::ranges::copy(part, end).out;
    }
    return {text, size};
  }

private:
  // Room for a header line or two; a longer text gets a block of its own size.
  static constexpr std::size_t kBlockSize = 512;

  char* room_for(std::size_t size) {
    if (blocks_.empty() || block_capacity_ - block_used_ < size) {
      block_capacity_ = std::max(size, kBlockSize);
      // NOLINTNEXTLINE(modernize-avoid-c-arrays): a fixed block of characters
      blocks_.push_back(std::make_unique_for_overwrite<char[]>(block_capacity_));
      block_used_ = 0;
    }
    char* const room = blocks_.back().get() + block_used_;
    block_used_ += size;
    return room;
  }

  // NOLINTNEXTLINE(modernize-avoid-c-arrays): as above
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::size_t block_capacity_ = 0; // of the last block
  std::size_t block_used_ = 0;     // of the last block
};

} // namespace starling::sip::detail
