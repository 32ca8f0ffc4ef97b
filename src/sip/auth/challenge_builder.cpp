// Formats Digest challenges with the parameters RFC 7616 §3.3 and RFC 8760 ask for.
#include "sip/auth/challenge_builder.h"

#include <array>

namespace starling::sip {

namespace {

// quoted-string content: '"' and '\' become quoted-pairs (RFC 3261 §25.1). A realm comes
// from configuration, so it may hold either.
void append_quoted(std::string& out, std::string_view value) {
  out.push_back('"');
  for (const char c : value) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
    }
    out.push_back(c);
  }
  out.push_back('"');
}

std::string build_one(const ChallengeParams& params, std::string_view algorithm) {
  std::string value = "Digest realm=";
  append_quoted(value, params.realm);
  value.append(", nonce=");
  append_quoted(value, params.nonce);
  if (!params.opaque.empty()) {
    value.append(", opaque=");
    append_quoted(value, params.opaque);
  }
  if (params.stale) {
    value.append(", stale=true");
  }
  value.append(", algorithm=").append(algorithm);
  value.append(", qop=\"auth\"");
  return value;
}

} // namespace

std::string_view challenge_header_name(ChallengeRole role) {
  return role == ChallengeRole::proxy ? "Proxy-Authenticate" : "WWW-Authenticate";
}

std::uint16_t challenge_status_code(ChallengeRole role) {
  return role == ChallengeRole::proxy ? 407 : 401;
}

std::vector<std::string> build_digest_challenges(const ChallengeParams& params) {
  std::vector<std::string> values;
  values.reserve(params.algorithms.size());
  for (const DigestAlgorithm algorithm : params.algorithms) {
    values.push_back(build_one(params, algorithm == DigestAlgorithm::sha256 ? "SHA-256" : "MD5"));
  }
  return values;
}

} // namespace starling::sip
