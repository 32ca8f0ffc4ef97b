// libFuzzer target: Digest credentials and challenge parsing.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sip/digest.h"
#include "sip/name_addr.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace starling::sip;
  const std::string_view text{reinterpret_cast<const char*>(data), size};
  (void)auth_scheme(text);
  if (auto c = parse_digest_credentials(text)) {
    // A valid response has the hex length its algorithm produces.
    if (c->response.size() != digest_hex_length(c->algorithm)) {
      std::abort();
    }
    (void)unquote(c->username);
    (void)unquote(c->uri);
  }
  if (auto ch = parse_digest_challenge(text)) {
    (void)ch->offers_qop("auth");
    (void)unquote(ch->realm);
  }
  return 0;
}
