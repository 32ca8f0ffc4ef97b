// The verification steps of a Digest response, in the order that keeps failures alike.
#include "sip/auth/digest_authenticator.h"

#include <charconv>
#include <system_error>
#include <utility>

#include "sip/auth/challenge_builder.h"
#include "sip/auth/digest_hash.h"
#include "sip/name_addr.h"
#include "sip/uri.h"

namespace starling::sip {

namespace {

// Stands in for the HA1 of an unknown user so that the same hashes are computed whether
// the username exists or not; the result is never accepted.
constexpr std::string_view kDummyHa1 =
    "0000000000000000000000000000000000000000000000000000000000000000";

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) {
      return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
    };
    if (lower(a[i]) != lower(b[i])) {
      return false;
    }
  }
  return true;
}

// The parser keeps quoted-pairs; the hashes are over the unquoted text (RFC 7616 §3.4.1).
// Every authenticated request passes here several times, so a value without quoted-pairs
// (the usual case) is not copied: the result views `value`, or `scratch` holding the
// unquoted text.
std::string_view unquoted(std::string_view value, std::string& scratch) {
  if (value.find('\\') == std::string_view::npos) {
    return value;
  }
  scratch = unquote(value);
  return scratch;
}

// RFC 3261 §22.4 wants the digest-uri to match the Request-URI. Phones differ in how they
// write an equal URI (parameter order, case of the host), so equality is §19.1.4's.
bool uri_matches(std::string_view digest_uri, std::string_view request_uri) {
  if (digest_uri == request_uri) {
    return true;
  }
  const auto a = parse_uri(digest_uri);
  const auto b = parse_uri(request_uri);
  return a && b && uri_equivalent(*a, *b);
}

DigestAuthResult failed(DigestAuthReason reason) {
  DigestAuthResult result;
  result.outcome = DigestAuthOutcome::failure;
  result.reason = reason;
  return result;
}

DigestAuthResult challenged(DigestAuthReason reason, bool stale) {
  DigestAuthResult result;
  result.outcome = DigestAuthOutcome::challenge;
  result.reason = reason;
  result.stale = stale;
  return result;
}

} // namespace

std::string_view to_string(DigestAuthReason reason) {
  switch (reason) {
  case DigestAuthReason::none:
    return "none";
  case DigestAuthReason::no_credentials:
    return "no_credentials";
  case DigestAuthReason::other_scheme:
    return "other_scheme";
  case DigestAuthReason::stale_nonce:
    return "stale_nonce";
  case DigestAuthReason::malformed_credentials:
    return "malformed_credentials";
  case DigestAuthReason::wrong_realm:
    return "wrong_realm";
  case DigestAuthReason::unsupported_algorithm:
    return "unsupported_algorithm";
  case DigestAuthReason::unsupported_qop:
    return "unsupported_qop";
  case DigestAuthReason::uri_mismatch:
    return "uri_mismatch";
  case DigestAuthReason::opaque_mismatch:
    return "opaque_mismatch";
  case DigestAuthReason::forged_nonce:
    return "forged_nonce";
  case DigestAuthReason::nonce_count_replayed:
    return "nonce_count_replayed";
  case DigestAuthReason::nonce_count_forgotten:
    return "nonce_count_forgotten";
  case DigestAuthReason::unknown_user:
    return "unknown_user";
  case DigestAuthReason::wrong_password:
    return "wrong_password";
  }
  return "unknown";
}

DigestAuthenticator::DigestAuthenticator(const core::Clock& clock, const CredentialStore& store,
                                         DigestAuthOptions options)
    : clock_(clock), store_(store),
      nonces_(clock, options.secret ? *options.secret : random_nonce_secret(),
              options.nonce_lifetime),
      nonce_counts_(options.max_tracked_nonces), opaque_(std::move(options.opaque)),
      offered_algorithms_(std::move(options.offered_algorithms)) {}

DigestAuthResult DigestAuthenticator::authenticate(const DigestAuthRequest& request) {
  if (request.credentials.empty()) {
    return challenged(DigestAuthReason::no_credentials, false);
  }
  if (!iequals(auth_scheme(request.credentials), "Digest")) {
    return challenged(DigestAuthReason::other_scheme, false);
  }
  const auto credentials = parse_digest_credentials(request.credentials);
  if (!credentials) {
    return failed(DigestAuthReason::malformed_credentials);
  }
  return verify(request, *credentials);
}

std::vector<std::string> DigestAuthenticator::challenge(std::string_view realm, bool stale) {
  return challenge(realm, stale, issue_nonce());
}

std::vector<std::string> DigestAuthenticator::challenge(std::string_view realm, bool stale,
                                                        std::string_view nonce) const {
  return build_digest_challenges({.realm = realm,
                                  .nonce = nonce,
                                  .opaque = opaque_,
                                  .stale = stale,
                                  .algorithms = offered_algorithms_});
}

// The checks that need no secret come first; from the response check on, unknown users and
// wrong passwords take the same path and cost the same hashes.
DigestAuthResult DigestAuthenticator::verify(const DigestAuthRequest& request,
                                             const DigestCredentials& c) {
  std::string scratch;
  if (unquoted(c.realm, scratch) != request.realm) {
    return failed(DigestAuthReason::wrong_realm);
  }
  // userhash (RFC 7616 §3.4.4) is never offered, so a client using it is not answering us.
  if (!is_supported_digest_algorithm(c.algorithm) || c.userhash) {
    return failed(DigestAuthReason::unsupported_algorithm);
  }
  if (!iequals(c.qop, "auth")) {
    return failed(DigestAuthReason::unsupported_qop);
  }
  if (!uri_matches(unquoted(c.uri, scratch), request.request_uri)) {
    return failed(DigestAuthReason::uri_mismatch);
  }
  if (!opaque_.empty() && unquoted(c.opaque, scratch) != opaque_) {
    return failed(DigestAuthReason::opaque_mismatch);
  }
  const NonceCheck nonce = nonces_.check(c.nonce);
  bool user_known = false;
  const bool response_ok = response_matches(request, c, user_known);
  if (!user_known) {
    return failed(DigestAuthReason::unknown_user);
  }
  if (!response_ok) {
    return failed(DigestAuthReason::wrong_password);
  }
  DigestAuthResult result = check_nonce(c, nonce);
  // An unusable nonce count with a correct digest may be a retransmission of a request
  // already answered; the caller needs the name to tell (see SipService).
  if (result.outcome == DigestAuthOutcome::authenticated || result.count_unusable()) {
    result.username = unquoted(c.username, scratch);
    result.algorithm = c.algorithm;
  }
  return result;
}

// Reached only with a correct response, so whoever sent it knows the password.
DigestAuthResult DigestAuthenticator::check_nonce(const DigestCredentials& c,
                                                  const NonceCheck& nonce) {
  // RFC 7616 §3.3: stale=true when the nonce is no longer valid but the digest is, so the
  // client retries with a new nonce without asking its user. A nonce that is not ours
  // (minted before a restart, with the old secret) is treated the same: otherwise a
  // restart would count one failure per phone, and an office of phones behind one NAT
  // address would get itself banned.
  if (nonce.validity == NonceValidity::forged) {
    return challenged(DigestAuthReason::forged_nonce, true);
  }
  if (nonce.validity == NonceValidity::expired) {
    return challenged(DigestAuthReason::stale_nonce, true);
  }
  std::uint32_t nc = 0;
  const auto [end, ec] = std::from_chars(c.nc.data(), c.nc.data() + c.nc.size(), nc, 16);
  if (ec != std::errc{} || end != c.nc.data() + c.nc.size()) {
    return failed(DigestAuthReason::malformed_credentials);
  }
  nonce_counts_.forget_issued_before(clock_.now() - nonces_.lifetime());
  switch (nonce_counts_.use(c.nonce, nonce.issued, nc)) {
  case NonceCountVerdict::accepted: {
    DigestAuthResult result;
    result.outcome = DigestAuthOutcome::authenticated;
    return result;
  }
  case NonceCountVerdict::forgotten:
    return challenged(DigestAuthReason::nonce_count_forgotten, true);
  case NonceCountVerdict::replayed:
    break;
  }
  return failed(DigestAuthReason::nonce_count_replayed);
}

bool DigestAuthenticator::response_matches(const DigestAuthRequest& request,
                                           const DigestCredentials& c, bool& user_known) const {
  std::string username_scratch;
  const auto stored = store_.find(unquoted(c.username, username_scratch), request.realm);
  const std::size_t ha1_length = digest_hex_length(c.algorithm);
  HexDigest ha1;
  if (stored) {
    ha1 = c.algorithm == DigestAlgorithm::sha256 ? stored->ha1_sha256 : stored->ha1_md5;
  }
  user_known = stored.has_value();
  // A known user without an HA1 for this algorithm fails like a wrong password.
  const bool have_ha1 = ha1.size() == ha1_length;
  if (!have_ha1) {
    ha1 = HexDigest(kDummyHa1.substr(0, ha1_length));
  }
  std::string cnonce_scratch;
  std::string uri_scratch;
  const HexDigest expected = digest_response(c.algorithm, ha1.view(),
                                             {.method = request.method,
                                              .uri = unquoted(c.uri, uri_scratch),
                                              .nonce = c.nonce,
                                              .nc = c.nc,
                                              .cnonce = unquoted(c.cnonce, cnonce_scratch),
                                              .qop = c.qop});
  return hex_equal_constant_time(expected.view(), c.response) && have_ha1 && user_known;
}

} // namespace starling::sip
