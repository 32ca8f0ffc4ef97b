// Choosing among a response's Digest challenges and computing the credentials that answer it.
#include "sip/auth/digest_client.h"

#include <array>
#include <iterator>
#include <stdexcept>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <openssl/rand.h>

#include "sip/auth/digest_hash.h"
#include "sip/detail/chars.h"
#include "sip/name_addr.h"

namespace starling::sip {

namespace {

// RFC 8760 §2.4 / RFC 7616 §3.7: the client uses the strongest algorithm it supports,
// whatever order the server listed them in. 0 means "cannot answer".
int strength(DigestAlgorithm algorithm) {
  switch (algorithm) {
  case DigestAlgorithm::sha256:
    return 2;
  case DigestAlgorithm::md5:
    return 1;
  default:
    return 0;
  }
}

// Why no challenge could be answered. When several reasons apply, the one closest to
// success is reported: "wrong realm" tells the operator more than "malformed".
struct Rejection {
  DigestClientErrc code = DigestClientErrc::no_digest_challenge;
  std::string reason = "no Digest challenge";

  void note(DigestClientErrc candidate, std::string text) {
    if (rank(candidate) > rank(code)) {
      code = candidate;
      reason = std::move(text);
    }
  }
  static int rank(DigestClientErrc c) {
    switch (c) {
    case DigestClientErrc::other_realm:
      return 5;
    case DigestClientErrc::unsupported_qop:
      return 4;
    case DigestClientErrc::unsupported_algorithm:
      return 3;
    case DigestClientErrc::malformed_challenge:
      return 2;
    default:
      return 1;
    }
  }
};

// quoted-string content: '"' and '\' become quoted-pairs (RFC 3261 §25.1). Usernames come
// from configuration and nonces from the network, so either may hold them.
void append_quoted(std::string& out, std::string_view name, std::string_view value) {
  out.append(", ").append(name).append("=\"");
  for (const char c : value) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
    }
    out.push_back(c);
  }
  out.push_back('"');
}

std::string_view canonical_name(DigestAlgorithm algorithm) {
  return algorithm == DigestAlgorithm::sha256 ? "SHA-256" : "MD5";
}

} // namespace

std::string random_cnonce() {
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    // Only when OpenSSL has no entropy source: a broken installation, not an input.
    throw std::runtime_error("RAND_bytes could not produce a cnonce");
  }
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (const unsigned char byte : bytes) {
    fmt::format_to(std::back_inserter(hex), "{:02x}", byte);
  }
  return hex;
}

DigestClient::DigestClient(DigestClientCredentials credentials, CnonceSource cnonce)
    : credentials_(std::move(credentials)), cnonce_(std::move(cnonce)) {}

std::expected<DigestChallengeChoice, DigestClientError>
DigestClient::on_challenge(const Message& response) {
  const std::uint16_t status = response.status_code();
  if (!response.is_response() || (status != challenge_status_code(ChallengeRole::user_agent) &&
                                  status != challenge_status_code(ChallengeRole::proxy))) {
    return std::unexpected(
        DigestClientError{DigestClientErrc::not_a_challenge,
                          fmt::format("a {} response is not a challenge", status)});
  }
  // RFC 3261 §22.2, §22.3: a 401 carries WWW-Authenticate, a 407 Proxy-Authenticate.
  const ChallengeRole role = status == challenge_status_code(ChallengeRole::proxy)
                                 ? ChallengeRole::proxy
                                 : ChallengeRole::user_agent;
  const HeaderId header =
      role == ChallengeRole::proxy ? HeaderId::proxy_authenticate : HeaderId::www_authenticate;
  std::vector<std::string_view> values;
  for (const HeaderField& field : response.headers()) {
    if (field.id == header) {
      values.push_back(field.value);
    }
  }
  return on_challenge(role, values);
}

std::expected<DigestChallengeChoice, DigestClientError>
DigestClient::on_challenge(ChallengeRole role, std::span<const std::string_view> challenges) {
  Rejection rejection;
  std::optional<DigestChallenge> best;
  for (const std::string_view value : challenges) {
    // RFC 7616 §3.3 lets a server offer several schemes; only Digest is answered.
    if (!detail::iequals(auth_scheme(value), "Digest")) {
      continue;
    }
    auto parsed = parse_digest_challenge(value);
    if (!parsed) {
      rejection.note(DigestClientErrc::malformed_challenge,
                     fmt::format("malformed Digest challenge: {}", parsed.error().reason));
      continue;
    }
    if (strength(parsed->algorithm) == 0) {
      rejection.note(DigestClientErrc::unsupported_algorithm,
                     fmt::format("the provider offered only unsupported algorithms ({})",
                                 parsed->algorithm_name));
      continue;
    }
    // Without qop the RFC 2069 form is answered; with qop only "auth" is: auth-int would
    // need the body's hash, which no provider asks of a REGISTER or INVITE in practice.
    if (!parsed->qop_options.empty() && !parsed->offers_qop("auth")) {
      rejection.note(DigestClientErrc::unsupported_qop, "the provider offered only auth-int");
      continue;
    }
    if (!credentials_.realm.empty() && unquote(parsed->realm) != credentials_.realm) {
      rejection.note(DigestClientErrc::other_realm,
                     fmt::format(R"(the provider challenged for realm "{}", not "{}")",
                                 unquote(parsed->realm), credentials_.realm));
      continue;
    }
    // Strictly stronger only, so that of equals the server's first (its preference) wins.
    if (!best || strength(parsed->algorithm) > strength(best->algorithm)) {
      best = *parsed;
    }
  }
  if (!best) {
    return std::unexpected(DigestClientError{rejection.code, std::move(rejection.reason)});
  }

  DigestChallengeChoice choice{.role = role,
                               .algorithm = best->algorithm,
                               .realm = unquote(best->realm),
                               .nonce = unquote(best->nonce),
                               .stale = best->stale,
                               .qop_auth = !best->qop_options.empty()};
  // RFC 7616 §3.4: nc counts the requests sent with one nonce. A re-challenge with the same
  // nonce continues the count, or the server would take the next request for a replay.
  const bool same_nonce = challenge_ && challenge_->nonce == choice.nonce &&
                          challenge_->realm == choice.realm &&
                          challenge_->algorithm == choice.algorithm;
  if (!same_nonce) {
    nonce_count_ = 0;
  }
  ha1_ = digest_ha1(choice.algorithm, credentials_.username, choice.realm, credentials_.password);
  opaque_ = best->opaque.data() != nullptr ? std::optional{unquote(best->opaque)} : std::nullopt;
  algorithm_name_ = best->algorithm_name.empty() ? "" : canonical_name(choice.algorithm);
  challenge_ = choice;
  return choice;
}

std::optional<AuthorizationHeader> DigestClient::authorize(std::string_view method,
                                                           std::string_view request_uri) {
  if (!challenge_) {
    return std::nullopt;
  }
  const DigestChallengeChoice& c = *challenge_;
  std::string response;
  std::string cnonce;
  std::string nc;
  if (c.qop_auth) {
    ++nonce_count_;
    nc = fmt::format("{:08x}", nonce_count_);
    cnonce = cnonce_();
    response = digest_response(c.algorithm, ha1_,
                               {.method = method,
                                .uri = request_uri,
                                .nonce = c.nonce,
                                .nc = nc,
                                .cnonce = cnonce,
                                .qop = "auth"})
                   .view();
  } else {
    // RFC 2069 / RFC 7616 §3.4.1 without qop: H(HA1 ":" nonce ":" H(method ":" uri)).
    const std::string ha2 = digest_hash_hex(c.algorithm, fmt::format("{}:{}", method, request_uri));
    response = digest_hash_hex(c.algorithm, fmt::format("{}:{}:{}", ha1_, c.nonce, ha2));
  }

  std::string value = "Digest ";
  std::string params;
  append_quoted(params, "username", credentials_.username);
  append_quoted(params, "realm", c.realm);
  append_quoted(params, "nonce", c.nonce);
  append_quoted(params, "uri", request_uri);
  append_quoted(params, "response", response);
  // Echoed only when the challenge named it: an RFC 2069 server may not know the parameter.
  if (!algorithm_name_.empty()) {
    params.append(", algorithm=").append(algorithm_name_);
  }
  if (c.qop_auth) {
    append_quoted(params, "cnonce", cnonce);
  }
  if (opaque_) {
    append_quoted(params, "opaque", *opaque_);
  }
  if (c.qop_auth) {
    // qop and nc are tokens, not quoted-strings (RFC 7616 §3.4); some servers insist.
    params.append(", qop=auth, nc=").append(nc);
  }
  value.append(std::string_view{params}.substr(2)); // without the first ", "
  return AuthorizationHeader{.id = c.role == ChallengeRole::proxy ? HeaderId::proxy_authorization
                                                                  : HeaderId::authorization,
                             .value = std::move(value)};
}

void DigestClient::reset() {
  challenge_.reset();
  opaque_.reset();
  algorithm_name_.clear();
  ha1_.clear();
  nonce_count_ = 0;
}

std::expected<AuthorizationHeader, DigestClientError>
answer_challenge(DigestClient& client, const Message& response, std::string_view method,
                 std::string_view request_uri) {
  auto choice = client.on_challenge(response);
  if (!choice) {
    return std::unexpected(std::move(choice.error()));
  }
  // A challenge was just kept, so authorize() has one to answer.
  return *client.authorize(method, request_uri);
}

} // namespace starling::sip
