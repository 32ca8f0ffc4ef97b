// SCRAM server state machine (RFC 5802 §5 and §6).
#include "xmpp/sasl/scram_server.h"

#include <array>
#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "xmpp/sasl/authzid.h"
#include "xmpp/sasl/base64.h"
#include "xmpp/sasl/saslprep.h"
#include "xmpp/sasl/scram_messages.h"

namespace starling::xmpp::sasl {

namespace {

// 18 random bytes are 24 base64 characters (none of them ','): 144 bits, plenty for a nonce.
constexpr std::size_t kServerNonceBytes = 18;

std::string random_server_nonce() {
  std::array<std::uint8_t, kServerNonceBytes> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
    throw std::runtime_error("OpenSSL's random generator is not seeded");
  }
  return encode_base64(random);
}

Bytes to_bytes(std::string_view text) {
  const auto bytes = as_bytes(text);
  return {bytes.begin(), bytes.end()};
}

bool well_formed(const ScramCredentials& credentials, ScramHash hash) {
  return credentials.hash == hash && !credentials.salt.empty() && credentials.iterations > 0 &&
         credentials.stored_key.size() == digest_size(hash) &&
         credentials.server_key.size() == digest_size(hash);
}

} // namespace

std::string_view scram_mechanism_name(ScramHash hash, bool plus) {
  if (hash == ScramHash::sha1) {
    return plus ? "SCRAM-SHA-1-PLUS" : "SCRAM-SHA-1";
  }
  return plus ? "SCRAM-SHA-256-PLUS" : "SCRAM-SHA-256";
}

ScramServer::ScramServer(ScramHash hash, bool plus, const CredentialLookup& lookup,
                         const SaslSettings& settings, const StreamSecurity& security,
                         std::string server_nonce)
    : hash_(hash), plus_(plus), lookup_(lookup), domain_(settings.domain),
      fake_salt_secret_(settings.fake_salt_secret), fake_iterations_(settings.scram_iterations),
      y_means_downgrade_(offers_channel_binding(security) &&
                         find_channel_binding(security.channel_bindings,
                                              ChannelBindingType::tls_unique) != nullptr),
      channel_bindings_(security.tls ? security.channel_bindings : ChannelBindings{}),
      server_nonce_(server_nonce.empty() ? random_server_nonce() : std::move(server_nonce)) {
  if (fake_salt_secret_.size() < kMinFakeSaltSecretLength) {
    throw std::invalid_argument("SCRAM needs a fake-salt secret of at least 16 bytes");
  }
}

std::string_view ScramServer::name() const {
  return scram_mechanism_name(hash_, plus_);
}

Step ScramServer::step(std::span<const std::uint8_t> response) {
  const std::string_view message{reinterpret_cast<const char*>(response.data()), response.size()};
  switch (state_) {
  case State::awaiting_client_first:
    return on_client_first(message);
  case State::awaiting_client_final:
    return on_client_final(message);
  case State::done:
    break;
  }
  return Failure{Condition::malformed_request, "SCRAM exchange already finished"};
}

Failure ScramServer::fail(Condition condition, std::string_view reason) {
  state_ = State::done;
  return Failure{condition, reason};
}

ScramCredentials ScramServer::fake_credentials(std::string_view username) const {
  std::string input = "starling-scram-fake-salt";
  input += '\0';
  input += to_string(hash_);
  input += '\0';
  input += username;
  Bytes salt = scram_hmac(ScramHash::sha256, fake_salt_secret_, input);
  salt.resize(kScramSaltLength);
  // Random keys: no proof can match them, and verifying against them costs what a real
  // verification costs.
  Bytes keys(2 * digest_size(hash_));
  if (RAND_bytes(keys.data(), static_cast<int>(keys.size())) != 1) {
    throw std::runtime_error("OpenSSL's random generator is not seeded");
  }
  const auto half = static_cast<std::ptrdiff_t>(digest_size(hash_));
  return ScramCredentials{.hash = hash_,
                          .salt = std::move(salt),
                          .iterations = fake_iterations_,
                          .stored_key = Bytes(keys.begin(), keys.begin() + half),
                          .server_key = Bytes(keys.begin() + half, keys.end())};
}

Step ScramServer::on_client_first(std::string_view message) {
  auto first = parse_client_first(message);
  if (!first) {
    return fail(Condition::malformed_request, first.error().reason);
  }
  // RFC 5802 §6: the gs2-cbind-flag against the mechanism and against what was offered.
  if (plus_) {
    if (first->cbind_flag != Gs2CbindFlag::required) {
      return fail(Condition::malformed_request, "-PLUS mechanism without p= in gs2 header");
    }
    const auto type = parse_channel_binding_type(first->cb_name);
    const ChannelBinding* binding = type ? find_channel_binding(channel_bindings_, *type) : nullptr;
    if (binding == nullptr) {
      return fail(Condition::not_authorized, "channel-binding type not available");
    }
    expected_cbind_input_ = to_bytes(first->gs2_header);
    expected_cbind_input_.insert(expected_cbind_input_.end(), binding->data.begin(),
                                 binding->data.end());
  } else {
    if (first->cbind_flag == Gs2CbindFlag::required) {
      return fail(Condition::malformed_request, "p= in gs2 header of a non-PLUS mechanism");
    }
    if (first->cbind_flag == Gs2CbindFlag::supported_not_offered && y_means_downgrade_) {
      // RFC 5802 §6: the client saw no -PLUS mechanism, but one was offered: someone removed
      // it from the feature list on the way.
      return fail(Condition::not_authorized, "client says y but -PLUS was offered (downgrade)");
    }
    expected_cbind_input_ = to_bytes(first->gs2_header);
  }
  auto username = saslprep(first->username);
  if (!username || username->empty()) {
    return fail(Condition::malformed_request, "user name refused by SASLprep");
  }
  auto stored = lookup_.scram(*username, hash_);
  if (!stored) {
    return fail(Condition::temporary_auth_failure, "credential store unavailable");
  }
  if (stored->has_value() && !well_formed(**stored, hash_)) {
    return fail(Condition::temporary_auth_failure, "stored SCRAM credentials are malformed");
  }
  known_user_ = stored->has_value();
  credentials_ = known_user_ ? std::move(**stored) : fake_credentials(*username);
  username_ = std::move(*username);
  authzid_ = std::move(first->authzid);
  client_first_bare_ = first->bare;
  nonce_ = std::string(first->client_nonce) + server_nonce_;
  // RFC 5802 §5.1: server-first-message = nonce "," salt "," iteration-count
  server_first_ = "r=" + nonce_ + ",s=" + encode_base64(credentials_.salt) +
                  ",i=" + std::to_string(credentials_.iterations);
  state_ = State::awaiting_client_final;
  return Challenge{to_bytes(server_first_)};
}

Step ScramServer::on_client_final(std::string_view message) {
  const auto final_message = parse_client_final(message);
  if (!final_message) {
    return fail(Condition::malformed_request, final_message.error().reason);
  }
  if (final_message->nonce != nonce_) {
    return fail(Condition::not_authorized, "nonce differs from the server-first's");
  }
  // RFC 5802 §6: c= is the gs2 header, and with "p=" the channel's binding data after it.
  if (!constant_time_equal(final_message->channel_binding, expected_cbind_input_)) {
    return fail(Condition::not_authorized, "channel binding does not match");
  }
  if (final_message->proof.size() != digest_size(hash_)) {
    return fail(Condition::malformed_request, "proof has the wrong length for the hash");
  }
  // RFC 5802 §3: AuthMessage, ClientSignature, and ClientKey = ClientProof XOR ClientSignature.
  const std::string auth_message =
      client_first_bare_ + "," + server_first_ + "," + std::string(final_message->without_proof);
  Bytes client_key = scram_hmac(hash_, credentials_.stored_key, auth_message);
  for (std::size_t i = 0; i < client_key.size(); ++i) {
    client_key[i] ^= final_message->proof[i];
  }
  const bool proven = constant_time_equal(scram_h(hash_, client_key), credentials_.stored_key);
  OPENSSL_cleanse(client_key.data(), client_key.size());
  if (!known_user_ || !proven) {
    state_ = State::done;
    return Failure{.condition = Condition::not_authorized,
                   .reason = known_user_ ? "wrong password" : "unknown user",
                   .credentials_refused = true};
  }
  if (!authzid_allowed(authzid_, username_, domain_)) {
    return fail(Condition::invalid_authzid, "authzid is not the user's own");
  }
  switch (lookup_.account_state(username_)) {
  case AccountState::disabled:
    return fail(Condition::account_disabled, "account disabled");
  case AccountState::credentials_expired:
    return fail(Condition::credentials_expired, "credentials expired");
  case AccountState::active:
    break;
  }
  // RFC 5802 §5.1: server-final-message = verifier; RFC 6120 §6.4.6 carries it in <success/>.
  const Bytes server_signature = scram_hmac(hash_, credentials_.server_key, auth_message);
  state_ = State::done;
  return Success{to_bytes("v=" + encode_base64(server_signature)), username_};
}

} // namespace starling::xmpp::sasl
