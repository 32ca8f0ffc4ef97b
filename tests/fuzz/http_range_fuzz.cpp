// Fuzzes the Range header (RFC 9110 §14): whatever is asked, a partial answer lies inside
// the file.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "http/byte_range.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The first eight bytes are the file's size, the rest the header's value.
  std::uint64_t file_size = 0;
  if (size < sizeof file_size) {
    return 0;
  }
  std::memcpy(&file_size, data, sizeof file_size);
  const std::string_view value(reinterpret_cast<const char*>(data) + sizeof file_size,
                               size - sizeof file_size);
  const auto choice = starling::http::choose_range(value, file_size);
  if (choice.kind == starling::http::RangeChoice::Kind::partial &&
      (choice.range.first > choice.range.last || choice.range.last >= file_size)) {
    std::abort();
  }
  return 0;
}
