// What the SASL mechanisms are told by the server's configuration and by the stream's TLS.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "xmpp/sasl/channel_binding.h"
#include "xmpp/sasl/scram_credentials.h"

namespace starling::xmpp::sasl {

// A shorter fake-salt secret is refused (std::invalid_argument) by the mechanisms.
inline constexpr std::size_t kMinFakeSaltSecretLength = 16;

// Server-wide, from the configuration; the same for every stream.
struct SaslSettings {
  // The XMPP domain: an authzid may be the user's bare JID, localpart@domain.
  std::string domain{};
  // Key of the HMAC that makes up salts for unknown users (see ScramServer). Must stay the
  // same across restarts: a salt that changes when the server restarts marks the user name
  // as unknown, since real users' salts do not change.
  Bytes fake_salt_secret{};
  // The iteration count unknown users appear to have; real credentials should use it too.
  std::uint32_t scram_iterations = kDefaultScramIterations;
  // Policy: a mechanism turned off here is not offered, and a client that picks it anyway
  // gets mechanism-too-weak (RFC 6120 §6.5.9).
  bool allow_scram_sha1 = true;
  bool allow_plain = true;
};

// Per stream, known once TLS is up (or known to be absent).
struct StreamSecurity {
  bool tls = false;
  ChannelBindings channel_bindings{}; // channel_bindings(ssl); ignored without tls
};

// Whether SCRAM-*-PLUS is offered on this stream; a client that then says "y" is being
// downgraded (RFC 5802 §6).
[[nodiscard]] inline bool offers_channel_binding(const StreamSecurity& security) {
  return security.tls && !security.channel_bindings.empty();
}

} // namespace starling::xmpp::sasl
