// Range requests (RFC 9110 §14): which bytes of a file a GET with a Range header gets, so
// that a phone can resume a download its network cut.
#pragma once

#include <cstdint>
#include <string_view>

namespace starling::http {

// Bytes first to last of a representation, both included.
struct ByteRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
};

struct RangeChoice {
  enum class Kind {
    whole,         // 200 with everything: no Range, or one this server ignores (§14.2)
    partial,       // 206 with `range` (§15.3.7)
    unsatisfiable, // 416: nothing of the file is in the range asked for (§15.5.17)
  };
  Kind kind = Kind::whole;
  ByteRange range;
};

// What to send for the Range header `value` on a file of `size` bytes. One byte range is
// served; a field that is not a valid "bytes=" range set, or that asks for several ranges
// (which would take a multipart answer), is ignored, as §14.2 lets a server do.
[[nodiscard]] RangeChoice choose_range(std::string_view value, std::uint64_t size);

} // namespace starling::http
