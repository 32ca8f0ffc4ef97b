// What the SASL mechanisms need to know about users; implemented over the store elsewhere.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string_view>

#include "xmpp/sasl/scram_credentials.h"

namespace starling::xmpp::sasl {

enum class LookupError : std::uint8_t {
  unavailable, // the store could not answer now: temporary-auth-failure (RFC 6120 §6.5.11)
};

enum class AccountState : std::uint8_t {
  active,
  disabled,            // account-disabled (RFC 6120 §6.5.2)
  credentials_expired, // credentials-expired (RFC 6120 §6.5.3)
};

// User names arrive SASLprep'ed (see saslprep.h) and otherwise as the client sent them; an
// implementation applies its own normalisation (PRECIS UsernameCaseMapped, RFC 8265, for an
// XMPP localpart) before looking up. Mechanisms call these on the thread that steps them;
// check_password is as slow as the password hash (argon2id), so a caller that cannot block
// its thread steps PLAIN elsewhere.
class CredentialLookup {
public:
  CredentialLookup() = default;
  CredentialLookup(const CredentialLookup&) = delete;
  CredentialLookup& operator=(const CredentialLookup&) = delete;
  CredentialLookup(CredentialLookup&&) = delete;
  CredentialLookup& operator=(CredentialLookup&&) = delete;
  virtual ~CredentialLookup() = default;

  // An empty optional when the user is unknown or has no credentials for this hash: the
  // mechanism then carries on with made-up ones, so the client cannot tell the two apart.
  [[nodiscard]] virtual std::expected<std::optional<ScramCredentials>, LookupError>
  scram(std::string_view username, ScramHash hash) const = 0;

  // True when the user exists and `password` (SASLprep'ed) is theirs.
  [[nodiscard]] virtual std::expected<bool, LookupError>
  check_password(std::string_view username, std::string_view password) const = 0;

  // Asked only once the user has proven the credentials, so that whether an account is
  // disabled is never told to someone who does not know its password.
  [[nodiscard]] virtual AccountState account_state(std::string_view /*username*/) const {
    return AccountState::active;
  }
};

} // namespace starling::xmpp::sasl
