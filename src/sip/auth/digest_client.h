// The UAC side of Digest authentication: answering a 401/407 challenge with credentials
// (RFC 3261 §22.2, §22.3; RFC 7616 §3.4; RFC 8760).
#pragma once

#include <cstdint>
#include <expected>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "sip/auth/challenge_builder.h"
#include "sip/digest.h"
#include "sip/header_names.h"
#include "sip/message.h"

namespace starling::sip {

// What Starling authenticates with at a provider: a trunk's account.
struct DigestClientCredentials {
  std::string username;
  std::string password;
  // Empty: answer a challenge of any realm. Otherwise challenges of other realms are not
  // answered, so that the password is not offered to whoever asks (RFC 3261 §22.2).
  std::string realm;
};

enum class DigestClientErrc : std::uint8_t {
  not_a_challenge,       // the response is not a 401 or 407
  no_digest_challenge,   // no WWW-/Proxy-Authenticate with the Digest scheme
  malformed_challenge,   // Digest challenges that do not parse
  unsupported_algorithm, // only -sess, SHA-512-256 or unknown algorithms
  unsupported_qop,       // qop offered, but only auth-int
  other_realm,           // only realms other than the configured one
};

struct DigestClientError {
  DigestClientErrc code = DigestClientErrc::no_digest_challenge;
  std::string reason; // for the operator: "the provider offered only auth-int"
};

// The challenge that will be answered: the strongest usable one of a response.
struct DigestChallengeChoice {
  ChallengeRole role = ChallengeRole::user_agent; // 401 (user_agent) or 407 (proxy)
  DigestAlgorithm algorithm = DigestAlgorithm::md5;
  std::string realm; // quoted-pairs decoded
  std::string nonce; // quoted-pairs decoded
  bool stale = false;
  bool qop_auth = false; // false: the RFC 2069 form without qop, cnonce and nc
};

// The header a request carries to answer a challenge, and its value.
struct AuthorizationHeader {
  HeaderId id = HeaderId::authorization; // or HeaderId::proxy_authorization
  std::string value;

  [[nodiscard]] std::string_view name() const { return header_name(id); }
};

// Yields a fresh client nonce per request; injectable so tests can use RFC 7616's values.
using CnonceSource = std::function<std::string()>;

// 128 random bits from OpenSSL, as 32 hex digits. The cnonce keeps a server from choosing
// the whole input of the hash (RFC 7616 §5.9), so it comes from the CSPRNG.
std::string random_cnonce();

// Answers the challenges of one server (a registrar or a proxy) for one account. It keeps
// the last challenge and the nonce count, so that later requests (a REGISTER refresh) can
// carry credentials before being challenged again (RFC 3261 §22.3), with nc counting up.
// Not thread-safe: one per trunk, used on its shard.
class DigestClient {
public:
  explicit DigestClient(DigestClientCredentials credentials, CnonceSource cnonce = random_cnonce);

  // Picks the challenge to answer among the WWW-Authenticate (401) or Proxy-Authenticate
  // (407) values of `response` and keeps it for authorize().
  std::expected<DigestChallengeChoice, DigestClientError> on_challenge(const Message& response);
  // The same with the challenge values given directly, all of one header kind.
  std::expected<DigestChallengeChoice, DigestClientError>
  on_challenge(ChallengeRole role, std::span<const std::string_view> challenges);

  // The Authorization or Proxy-Authorization for a request, with the kept challenge and the
  // next nonce count; nothing before a challenge was accepted.
  [[nodiscard]] std::optional<AuthorizationHeader> authorize(std::string_view method,
                                                             std::string_view request_uri);

  [[nodiscard]] const std::optional<DigestChallengeChoice>& challenge() const { return challenge_; }
  // Forgets the kept challenge: the next request goes without credentials.
  void reset();

private:
  DigestClientCredentials credentials_;
  CnonceSource cnonce_;
  std::optional<DigestChallengeChoice> challenge_;
  std::optional<std::string> opaque_; // echoed unchanged (RFC 7616 §3.4); pairs decoded
  std::string algorithm_name_;        // as the challenge named it; empty when it named none
  std::string ha1_;                   // H(username:realm:password) for the kept challenge
  std::uint32_t nonce_count_ = 0;
};

// For callers that answer a single 401/407 and keep no state: the header to add to the
// re-sent request. `client` keeps the challenge for later requests.
std::expected<AuthorizationHeader, DigestClientError>
answer_challenge(DigestClient& client, const Message& response, std::string_view method,
                 std::string_view request_uri);

} // namespace starling::sip
