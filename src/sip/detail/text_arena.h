// Owns the text of edited header lines so a Message's views stay valid when it is moved.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace starling::sip::detail {

// Each stored piece is a std::string on the heap that never moves, so views into it survive
// a move of the arena (a std::string held by value would not: short strings live inside
// the object). Edits are a few per forwarded message, so an allocation per edit is cheap.
class TextArena {
public:
  std::string_view store(std::initializer_list<std::string_view> parts) {
    std::size_t size = 0;
    for (std::string_view part : parts) {
      size += part.size();
    }
    auto block = std::make_unique<std::string>();
    block->reserve(size);
    for (std::string_view part : parts) {
      block->append(part);
    }
    const std::string_view stored{*block};
    blocks_.push_back(std::move(block));
    return stored;
  }

private:
  std::vector<std::unique_ptr<std::string>> blocks_;
};

} // namespace starling::sip::detail
