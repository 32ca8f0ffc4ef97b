// Parsing of Digest credentials and challenges: comma-separated auth-params.
#include "sip/digest.h"

#include <algorithm>
#include <array>
#include <optional>
#include <utility>

#include "sip/comma_list.h"
#include "sip/detail/chars.h"
#include "sip/detail/scanner.h"
#include "sip/limits.h"

namespace starling::sip {

namespace {

using detail::Scanner;

struct AuthParam {
  std::string_view name;
  std::string_view value; // without quotes
};

// The auth-params after "Digest": name EQUAL ( token / quoted-string ) separated by COMMA.
// Quoted and token forms are both taken for every parameter: phones quote algorithm and
// qop, which RFC 7616 writes as tokens, and rejecting them would lock those phones out.
template <typename Sink>
std::optional<ValueError> scan_auth_params(std::string_view value, Sink sink) {
  Scanner s{detail::trim_lws(value)};
  if (!detail::iequals(s.take_token(), "Digest")) {
    return ValueError{"not a Digest authentication scheme", 0};
  }
  if (!s.skip_lws()) {
    return ValueError{"missing Digest parameters", s.pos()};
  }
  for (std::size_t count = 0; !s.at_end(); ++count) {
    const std::string_view name = s.take_token();
    if (name.empty() || count >= kMaxParamCount || !s.consume_separator('=')) {
      return ValueError{"malformed Digest parameter", s.pos()};
    }
    std::optional<std::string_view> v;
    if (s.peek() == '"') {
      v = s.take_quoted_string();
    } else {
      const std::string_view token = s.take_token();
      v = token.empty() ? std::nullopt : std::optional{token};
    }
    if (!v) {
      return ValueError{"malformed Digest parameter value", s.pos()};
    }
    if (auto failure = sink(AuthParam{name, *v})) {
      return ValueError{failure->reason, s.pos()};
    }
    s.skip_lws();
    if (!s.at_end() && !s.consume_separator(',')) {
      return ValueError{"expected comma between Digest parameters", s.pos()};
    }
  }
  return std::nullopt;
}

// Each known parameter once: a second "response" would let a client pick which one counts.
std::optional<ValueError> assign(std::string_view& field, std::string_view value) {
  if (field.data() != nullptr) {
    return ValueError{"duplicate Digest parameter", 0};
  }
  field = value.empty() ? std::string_view{value.data(), 0} : value;
  return std::nullopt;
}

bool is_true(std::string_view v) {
  return detail::iequals(v, "true");
}

std::optional<ValueError> check_credentials(DigestCredentials& c) {
  if (c.username.data() == nullptr || c.realm.data() == nullptr || c.nonce.data() == nullptr ||
      c.uri.data() == nullptr || c.response.data() == nullptr) {
    return ValueError{"missing Digest parameter", 0};
  }
  if (!c.algorithm_name.empty()) {
    c.algorithm = digest_algorithm_from_name(c.algorithm_name);
  }
  // The verifier compares hex case-insensitively; here only the length and alphabet count.
  if (c.response.size() != digest_hex_length(c.algorithm) ||
      !std::ranges::all_of(c.response, detail::is_hex)) {
    return ValueError{"malformed Digest response", 0};
  }
  if (!c.qop.empty() &&
      (c.cnonce.empty() || c.nc.size() != 8 || !std::ranges::all_of(c.nc, detail::is_hex))) {
    return ValueError{"qop without cnonce or nc", 0};
  }
  return std::nullopt;
}

} // namespace

DigestAlgorithm digest_algorithm_from_name(std::string_view name) {
  static constexpr std::array kNames = std::to_array<std::pair<std::string_view, DigestAlgorithm>>({
      {"MD5", DigestAlgorithm::md5},
      {"MD5-sess", DigestAlgorithm::md5_sess},
      {"SHA-256", DigestAlgorithm::sha256},
      {"SHA-256-sess", DigestAlgorithm::sha256_sess},
      {"SHA-512-256", DigestAlgorithm::sha512_256},
      {"SHA-512-256-sess", DigestAlgorithm::sha512_256_sess},
  });
  for (const auto& [text, algorithm] : kNames) {
    if (detail::iequals(text, name)) {
      return algorithm;
    }
  }
  return DigestAlgorithm::unknown;
}

bool is_session_algorithm(DigestAlgorithm algorithm) {
  return algorithm == DigestAlgorithm::md5_sess || algorithm == DigestAlgorithm::sha256_sess ||
         algorithm == DigestAlgorithm::sha512_256_sess;
}

std::size_t digest_hex_length(DigestAlgorithm algorithm) {
  switch (algorithm) {
  case DigestAlgorithm::md5:
  case DigestAlgorithm::md5_sess:
    return 32;
  case DigestAlgorithm::unknown:
    return 0;
  default:
    return 64;
  }
}

std::string_view auth_scheme(std::string_view value) {
  Scanner s{detail::trim_lws(value)};
  return s.take_token();
}

std::expected<DigestCredentials, ValueError> parse_digest_credentials(std::string_view value) {
  DigestCredentials c;
  const auto failure =
      scan_auth_params(value, [&c](const AuthParam& p) -> std::optional<ValueError> {
        const auto is = [&p](std::string_view name) { return detail::iequals(p.name, name); };
        if (is("username"))
          return assign(c.username, p.value);
        if (is("realm"))
          return assign(c.realm, p.value);
        if (is("nonce"))
          return assign(c.nonce, p.value);
        if (is("uri"))
          return assign(c.uri, p.value);
        if (is("response"))
          return assign(c.response, p.value);
        if (is("algorithm"))
          return assign(c.algorithm_name, p.value);
        if (is("cnonce"))
          return assign(c.cnonce, p.value);
        if (is("opaque"))
          return assign(c.opaque, p.value);
        if (is("qop"))
          return assign(c.qop, p.value);
        if (is("nc"))
          return assign(c.nc, p.value);
        if (is("userhash"))
          c.userhash = is_true(p.value);
        return std::nullopt; // auth-param extensions are ignored (RFC 7616 §3.4)
      });
  if (failure) {
    return std::unexpected(*failure);
  }
  if (auto invalid = check_credentials(c)) {
    return std::unexpected(*invalid);
  }
  return c;
}

std::expected<DigestChallenge, ValueError> parse_digest_challenge(std::string_view value) {
  DigestChallenge c;
  std::string_view stale;
  const auto failure =
      scan_auth_params(value, [&](const AuthParam& p) -> std::optional<ValueError> {
        const auto is = [&p](std::string_view name) { return detail::iequals(p.name, name); };
        if (is("realm"))
          return assign(c.realm, p.value);
        if (is("domain"))
          return assign(c.domain, p.value);
        if (is("nonce"))
          return assign(c.nonce, p.value);
        if (is("opaque"))
          return assign(c.opaque, p.value);
        if (is("stale"))
          return assign(stale, p.value);
        if (is("algorithm"))
          return assign(c.algorithm_name, p.value);
        if (is("qop"))
          return assign(c.qop_options, p.value);
        if (is("charset"))
          return assign(c.charset, p.value);
        if (is("userhash"))
          c.userhash = is_true(p.value);
        return std::nullopt;
      });
  if (failure) {
    return std::unexpected(*failure);
  }
  if (c.realm.data() == nullptr || c.nonce.data() == nullptr) {
    return std::unexpected(ValueError{"missing Digest parameter", 0});
  }
  c.stale = is_true(stale);
  if (!c.algorithm_name.empty()) {
    c.algorithm = digest_algorithm_from_name(c.algorithm_name);
  }
  return c;
}

bool DigestChallenge::offers_qop(std::string_view qop) const {
  for (std::string_view option : CommaList{qop_options}) {
    if (detail::iequals(option, qop)) {
      return true;
    }
  }
  return false;
}

} // namespace starling::sip
