// The server side of SCRAM (RFC 5802, RFC 7677), with channel binding (RFC 5929, RFC 9266).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "xmpp/sasl/credential_lookup.h"
#include "xmpp/sasl/mechanism.h"
#include "xmpp/sasl/settings.h"

namespace starling::xmpp::sasl {

// "SCRAM-SHA-1", "SCRAM-SHA-256-PLUS", …
[[nodiscard]] std::string_view scram_mechanism_name(ScramHash hash, bool plus);

// RFC 5802 §5, server side:
//   client-first  →  server-first (challenge)     r=<c-nonce><s-nonce>,s=<salt>,i=<count>
//   client-final  →  server-final (success data)  v=<ServerSignature>
// Unknown users (and users without credentials for this hash) get a server-first made from
// a salt that HMAC(fake_salt_secret, hash, user name) derives, with the configured iteration
// count, so that it looks the same on every attempt as a real one does; their exchange fails
// only at the proof, with not-authorized, as a wrong password does.
class ScramServer final : public Mechanism {
public:
  // `lookup` must outlive this object. `server_nonce` is for tests (RFC 5802 §5 examples);
  // empty means 24 random characters. Throws std::invalid_argument when the settings' fake
  // salt secret is shorter than kMinFakeSaltSecretLength.
  ScramServer(ScramHash hash, bool plus, const CredentialLookup& lookup,
              const SaslSettings& settings, const StreamSecurity& security,
              std::string server_nonce = {});

  [[nodiscard]] std::string_view name() const override;
  [[nodiscard]] Step step(std::span<const std::uint8_t> response) override;

private:
  enum class State : std::uint8_t { awaiting_client_first, awaiting_client_final, done };

  Step on_client_first(std::string_view message);
  Step on_client_final(std::string_view message);
  Failure fail(Condition condition, std::string_view reason);
  [[nodiscard]] ScramCredentials fake_credentials(std::string_view username) const;

  ScramHash hash_;
  bool plus_;
  const CredentialLookup& lookup_;
  std::string domain_;
  Bytes fake_salt_secret_;
  std::uint32_t fake_iterations_;
  // RFC 5802 §6: a client that says "y" (it binds, but saw no -PLUS) has been downgraded when
  // -PLUS was offered. Only tls-unique, which every -PLUS client implements (RFC 5802 §6.1),
  // makes that sure: over TLS 1.3 just tls-exporter is offered, and a client that binds with
  // tls-unique alone (slixmpp, for one) says "y" truthfully. Refusing it would lock such
  // clients out; accepting it leaves them SCRAM without binding, as any "n" client has.
  bool y_means_downgrade_;
  ChannelBindings channel_bindings_;
  std::string server_nonce_;
  State state_ = State::awaiting_client_first;

  // From the client-first message, for the client-final one.
  std::string username_;
  std::string authzid_;
  std::string nonce_;          // client nonce + server nonce
  Bytes expected_cbind_input_; // gs2 header, then the channel-binding data with "p="
  std::string client_first_bare_;
  std::string server_first_;
  ScramCredentials credentials_;
  bool known_user_ = false;
};

} // namespace starling::xmpp::sasl
