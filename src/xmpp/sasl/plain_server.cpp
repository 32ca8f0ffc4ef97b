// PLAIN: one message, verified against the stored password hash (RFC 4616 §2, §4).
#include "xmpp/sasl/plain_server.h"

#include <openssl/crypto.h>

#include "xmpp/sasl/authzid.h"
#include "xmpp/sasl/saslprep.h"

namespace starling::xmpp::sasl {

namespace {

std::unexpected<Failure> malformed(std::string_view reason) {
  return std::unexpected(Failure{Condition::malformed_request, reason});
}

} // namespace

std::expected<PlainMessage, Failure> parse_plain(std::span<const std::uint8_t> message) {
  constexpr std::size_t kMaxMessage = 2 * kMaxPlainIdentityLength + kMaxPlainPasswordLength + 2;
  if (message.size() > kMaxMessage) {
    return malformed("PLAIN message too long");
  }
  const std::string_view text{reinterpret_cast<const char*>(message.data()), message.size()};
  const std::size_t first_nul = text.find('\0');
  const std::size_t second_nul =
      first_nul == std::string_view::npos ? first_nul : text.find('\0', first_nul + 1);
  if (second_nul == std::string_view::npos || text.find('\0', second_nul + 1) != text.npos) {
    return malformed("PLAIN message needs exactly two NULs");
  }
  PlainMessage plain{.authzid = text.substr(0, first_nul),
                     .authcid = text.substr(first_nul + 1, second_nul - first_nul - 1),
                     .password = text.substr(second_nul + 1)};
  if (plain.authcid.empty() || plain.password.empty()) {
    return malformed("PLAIN message with an empty authcid or password");
  }
  if (plain.authzid.size() > kMaxPlainIdentityLength ||
      plain.authcid.size() > kMaxPlainIdentityLength ||
      plain.password.size() > kMaxPlainPasswordLength) {
    return malformed("PLAIN field too long");
  }
  // saslprep() validates UTF-8; its result is not needed here.
  for (const std::string_view field : {plain.authzid, plain.authcid, plain.password}) {
    if (auto checked = saslprep(field);
        !checked && checked.error() == SaslprepError::invalid_utf8) {
      return malformed("PLAIN field is not UTF-8");
    }
  }
  return plain;
}

PlainServer::PlainServer(const CredentialLookup& lookup, std::string domain)
    : lookup_(lookup), domain_(std::move(domain)) {}

Step PlainServer::step(std::span<const std::uint8_t> response) {
  if (done_) {
    return Failure{Condition::malformed_request, "PLAIN exchange already finished"};
  }
  done_ = true;
  const auto plain = parse_plain(response);
  if (!plain) {
    return plain.error();
  }
  // RFC 4616 §4: the server prepares authcid and password with SASLprep.
  auto username = saslprep(plain->authcid);
  auto password = saslprep(plain->password);
  if (!username || username->empty() || !password || password->empty()) {
    return Failure{Condition::malformed_request, "authcid or password refused by SASLprep"};
  }
  const auto verified = lookup_.check_password(*username, *password);
  OPENSSL_cleanse(password->data(), password->size());
  if (!verified) {
    return Failure{Condition::temporary_auth_failure, "credential store unavailable"};
  }
  if (!*verified) {
    return Failure{.condition = Condition::not_authorized,
                   .reason = "wrong password or unknown user",
                   .credentials_refused = true};
  }
  if (!authzid_allowed(plain->authzid, *username, domain_)) {
    return Failure{Condition::invalid_authzid, "authzid is not the user's own"};
  }
  switch (lookup_.account_state(*username)) {
  case AccountState::disabled:
    return Failure{Condition::account_disabled, "account disabled"};
  case AccountState::credentials_expired:
    return Failure{Condition::credentials_expired, "credentials expired"};
  case AccountState::active:
    break;
  }
  return Success{{}, std::move(*username)};
}

} // namespace starling::xmpp::sasl
