// The SASL mechanisms a stream offers, and the start of an exchange (RFC 6120 §6.3.3, §6.4.2).
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "xmpp/sasl/credential_lookup.h"
#include "xmpp/sasl/mechanism.h"
#include "xmpp/sasl/settings.h"

namespace starling::xmpp::sasl {

// Strongest first, which is the client's order of preference too (RFC 6120 §6.3.3):
// SCRAM-SHA-256-PLUS, SCRAM-SHA-1-PLUS (only when TLS has channel bindings), SCRAM-SHA-256,
// SCRAM-SHA-1, PLAIN (only inside TLS), less those the settings turn off.
[[nodiscard]] std::vector<std::string_view> offered_mechanisms(const SaslSettings& settings,
                                                               const StreamSecurity& security);

struct Exchange {
  // Step it with each <response/> while `step` is a Challenge; drop it afterwards. Null when
  // the mechanism could not be started.
  std::unique_ptr<Mechanism> mechanism;
  // What to send for the <auth/>: an empty Challenge when it had no initial response
  // (RFC 6120 §6.4.2), else the mechanism's answer to it.
  Step step;
};

// One per stream, made when its security is known (after STARTTLS, or for a direct-TLS port).
class Mechanisms {
public:
  // `lookup` must outlive this object and every mechanism it starts. Throws
  // std::invalid_argument when the fake-salt secret is shorter than kMinFakeSaltSecretLength.
  Mechanisms(const CredentialLookup& lookup, SaslSettings settings, StreamSecurity security);

  // The <mechanisms/> feature's children, in order.
  [[nodiscard]] std::vector<std::string_view> offered() const;
  // XEP-0440's <sasl-channel-binding/> children; empty when no -PLUS mechanism is offered.
  [[nodiscard]] std::vector<std::string_view> channel_binding_types() const;

  // <auth mechanism='…'>: invalid-mechanism for unknown names and -PLUS without channel
  // bindings, encryption-required for PLAIN or -PLUS outside TLS, mechanism-too-weak for
  // those the settings turn off. `initial_response` is the decoded element text, absent
  // when the element was empty (and present but empty when it was "=").
  [[nodiscard]] Exchange start(std::string_view mechanism,
                               std::optional<std::span<const std::uint8_t>> initial_response) const;

private:
  const CredentialLookup& lookup_;
  SaslSettings settings_;
  StreamSecurity security_;
};

} // namespace starling::xmpp::sasl
