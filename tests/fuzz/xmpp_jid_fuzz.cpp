// Fuzzes XMPP address parsing: whatever parses must print to a form that parses back equal.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "xmpp/jid.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto jid = starling::xmpp::Jid::parse(text);
  if (!jid) {
    return 0;
  }
  const auto again = starling::xmpp::Jid::parse(jid->to_string());
  if (!again || *again != *jid) {
    std::abort();
  }
  return 0;
}
