// Server-side Digest authentication of SIP requests (RFC 3261 §22, RFC 7616, RFC 8760).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "sip/auth/challenge_builder.h"
#include "sip/auth/credential_store.h"
#include "sip/auth/nonce_count_tracker.h"
#include "sip/auth/nonce_issuer.h"
#include "sip/digest.h"

namespace starling::sip {

struct DigestAuthOptions {
  // Nothing: a random secret of this authenticator's own. Create one authenticator per
  // process and share it between shards (it is thread-safe), or give every instance the same
  // secret, so that a nonce minted on one shard is accepted on another.
  std::optional<NonceSecret> secret;
  core::Clock::Duration nonce_lifetime = kDefaultNonceLifetime;
  // Sent in challenges and required back unchanged when not empty (RFC 7616 §3.3). The
  // nonce already carries all state, so the default leaves it out.
  std::string opaque;
  std::size_t max_tracked_nonces = kDefaultMaxTrackedNonces;
  // Challenged for, most preferred first: md5 and/or sha256.
  std::vector<DigestAlgorithm> offered_algorithms{kDefaultOfferedAlgorithms.begin(),
                                                  kDefaultOfferedAlgorithms.end()};
};

// One request to verify. Views borrow from the caller's message for the call's duration.
struct DigestAuthRequest {
  std::string_view method;      // the request's method, as in the request line
  std::string_view request_uri; // the Request-URI, as in the request line
  std::string_view credentials; // the Authorization / Proxy-Authorization value; empty if none
  std::string_view realm;       // the realm this server challenges with
};

enum class DigestAuthOutcome : std::uint8_t {
  authenticated,
  challenge, // no usable credentials yet, or stale ones: answer 401/407, not a failure
  failure,   // wrong credentials: answer 401/407 as well, and count it against the source
};

// Why a request failed or was challenged, for logs and metrics only: the client must see the
// same challenge whatever the reason, or it could probe which usernames exist.
enum class DigestAuthReason : std::uint8_t {
  none,
  no_credentials,
  other_scheme, // "Basic", or an unknown scheme as in RFC 4475 regaut01
  stale_nonce,
  malformed_credentials,
  wrong_realm,
  unsupported_algorithm,
  unsupported_qop,
  uri_mismatch,
  opaque_mismatch,
  forged_nonce,
  nonce_count_replayed,
  nonce_count_forgotten, // the nonce's counts were dropped to bound memory: stale=true
  unknown_user,
  wrong_password,
};

struct DigestAuthResult {
  DigestAuthOutcome outcome = DigestAuthOutcome::failure;
  DigestAuthReason reason = DigestAuthReason::none;
  std::string username;                             // when authenticated
  DigestAlgorithm algorithm = DigestAlgorithm::md5; // when authenticated
  bool stale = false;                               // challenge with stale=true (RFC 7616 §3.3)

  // The digest is right but its nonce count cannot be accepted (again). The request may be a
  // retransmission of one already answered; `username` names whose.
  [[nodiscard]] bool count_unusable() const {
    return reason == DigestAuthReason::nonce_count_replayed ||
           reason == DigestAuthReason::nonce_count_forgotten;
  }
};

std::string_view to_string(DigestAuthReason reason);

// Verifies credentials against stateless nonces and the CredentialStore. Only qop=auth is
// accepted: RFC 3261 §22.4 has servers offer qop, every phone in use answers with it, and
// the RFC 2069 form without qop has neither cnonce nor nc, so replays could not be caught.
// auth-int is not offered (it needs the body hash and no phone asks for it).
// authenticate() and challenge() may run on several threads at once if the CredentialStore
// allows it: nonces are stateless and the nonce-count table has its own lock.
class DigestAuthenticator {
public:
  // Throws std::runtime_error when no random secret can be made (start-up only).
  DigestAuthenticator(const core::Clock& clock, const CredentialStore& store,
                      DigestAuthOptions options = {});

  [[nodiscard]] DigestAuthResult authenticate(const DigestAuthRequest& request);

  // The WWW-Authenticate or Proxy-Authenticate values for a 401/407, with a fresh nonce.
  // Pass result.stale so clients that knew the password retry without asking the user.
  [[nodiscard]] std::vector<std::string> challenge(std::string_view realm, bool stale);
  // The same with `nonce`, one issue_nonce() made: to send a challenge again as it was.
  [[nodiscard]] std::vector<std::string> challenge(std::string_view realm, bool stale,
                                                   std::string_view nonce) const;
  [[nodiscard]] std::string issue_nonce() { return nonces_.issue(); }

private:
  DigestAuthResult verify(const DigestAuthRequest& request, const DigestCredentials& c);
  DigestAuthResult check_nonce(const DigestCredentials& c, const NonceCheck& nonce);
  [[nodiscard]] bool response_matches(const DigestAuthRequest& request, const DigestCredentials& c,
                                      bool& user_known) const;

  const core::Clock& clock_;
  const CredentialStore& store_;
  NonceIssuer nonces_;
  NonceCountTracker nonce_counts_;
  std::string opaque_;
  std::vector<DigestAlgorithm> offered_algorithms_;
};

} // namespace starling::sip
