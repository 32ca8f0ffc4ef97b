// Unguessable identifiers for sessions, CSRF tokens and API tokens.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace starling::api {

// `bytes` random bytes from OpenSSL's CSPRNG, base64url-encoded without padding (RFC 4648 §5),
// so the result goes into cookies, headers and URLs unescaped.
[[nodiscard]] std::string random_token(std::size_t bytes);

// Compares two secrets in time that depends only on their lengths.
[[nodiscard]] bool same_secret(std::string_view a, std::string_view b);

} // namespace starling::api
