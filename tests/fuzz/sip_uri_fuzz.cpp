// libFuzzer target: URI and name-addr parsing, comparison and unescaping.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sip/name_addr.h"
#include "sip/uri.h"

namespace {

using namespace starling::sip;

void check(bool condition) {
  if (!condition) {
    std::abort();
  }
}

std::size_t touch_uri(const Uri& uri) {
  std::size_t sum = uri.user.size() + uri.password.size() + uri.host.size() + uri.opaque.size();
  for (const Param& p : uri.params) {
    sum +=
        p.name.size() + p.value.size() + static_cast<unsigned char>(p.raw.empty() ? 0 : p.raw[0]);
  }
  for (const Param& p : uri.headers) {
    sum += p.name.size() + p.value.size();
  }
  sum += unescape(uri.user).size();
  return sum;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text{reinterpret_cast<const char*>(data), size};
  if (auto uri = parse_uri(text)) {
    touch_uri(*uri);
    check(uri_equivalent(*uri, *uri)); // equivalence is reflexive
    check(uri->text == text);
  }
  if (auto addr = parse_name_addr(text)) {
    touch_uri(addr->uri);
    (void)unquote(addr->display_name);
    for (const Param& p : addr->params) {
      check(!p.name.empty());
    }
  }
  return 0;
}
