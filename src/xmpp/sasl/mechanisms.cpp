// Mechanism negotiation: what to offer on a stream, and which refusal fits a request.
#include "xmpp/sasl/mechanisms.h"

#include <array>
#include <stdexcept>

#include "xmpp/sasl/plain_server.h"
#include "xmpp/sasl/scram_server.h"

namespace starling::xmpp::sasl {

namespace {

struct Descriptor {
  std::string_view name;
  bool scram = true;
  ScramHash hash = ScramHash::sha256;
  bool plus = false;
};

constexpr std::array<Descriptor, 5> kDescriptors{{
    {"SCRAM-SHA-256-PLUS", true, ScramHash::sha256, true},
    {"SCRAM-SHA-1-PLUS", true, ScramHash::sha1, true},
    {"SCRAM-SHA-256", true, ScramHash::sha256, false},
    {"SCRAM-SHA-1", true, ScramHash::sha1, false},
    {"PLAIN", false, ScramHash::sha256, false},
}};

// Why this stream may not use the mechanism; nothing when it may.
std::optional<Failure> refusal(const Descriptor& mechanism, const SaslSettings& settings,
                               const StreamSecurity& security) {
  if (!mechanism.scram) {
    if (!security.tls) {
      return Failure{Condition::encryption_required, "PLAIN outside TLS"};
    }
    if (!settings.allow_plain) {
      return Failure{Condition::mechanism_too_weak, "PLAIN turned off"};
    }
    return std::nullopt;
  }
  if (mechanism.plus && !security.tls) {
    return Failure{Condition::encryption_required, "channel binding outside TLS"};
  }
  if (mechanism.plus && !offers_channel_binding(security)) {
    return Failure{Condition::invalid_mechanism, "no channel binding on this TLS connection"};
  }
  if (mechanism.hash == ScramHash::sha1 && !settings.allow_scram_sha1) {
    return Failure{Condition::mechanism_too_weak, "SCRAM-SHA-1 turned off"};
  }
  return std::nullopt;
}

} // namespace

std::vector<std::string_view> offered_mechanisms(const SaslSettings& settings,
                                                 const StreamSecurity& security) {
  std::vector<std::string_view> names;
  for (const auto& mechanism : kDescriptors) {
    if (!refusal(mechanism, settings, security)) {
      names.push_back(mechanism.name);
    }
  }
  return names;
}

Mechanisms::Mechanisms(const CredentialLookup& lookup, SaslSettings settings,
                       StreamSecurity security)
    : lookup_(lookup), settings_(std::move(settings)), security_(std::move(security)) {
  if (settings_.fake_salt_secret.size() < kMinFakeSaltSecretLength) {
    throw std::invalid_argument("SASL needs a fake-salt secret of at least 16 bytes");
  }
  if (!security_.tls) {
    security_.channel_bindings.clear();
  }
}

std::vector<std::string_view> Mechanisms::offered() const {
  return offered_mechanisms(settings_, security_);
}

std::vector<std::string_view> Mechanisms::channel_binding_types() const {
  return advertised_channel_binding_types(security_.channel_bindings);
}

Exchange Mechanisms::start(std::string_view mechanism,
                           std::optional<std::span<const std::uint8_t>> initial_response) const {
  const Descriptor* descriptor = nullptr;
  for (const auto& candidate : kDescriptors) {
    if (candidate.name == mechanism) { // RFC 4422 §3.1: names are compared exactly
      descriptor = &candidate;
    }
  }
  if (descriptor == nullptr) {
    return {nullptr, Failure{Condition::invalid_mechanism, "unknown mechanism"}};
  }
  if (auto refused = refusal(*descriptor, settings_, security_)) {
    return {nullptr, *refused};
  }
  Exchange exchange;
  if (descriptor->scram) {
    exchange.mechanism = std::make_unique<ScramServer>(descriptor->hash, descriptor->plus, lookup_,
                                                       settings_, security_);
  } else {
    exchange.mechanism = std::make_unique<PlainServer>(lookup_, settings_.domain);
  }
  // RFC 6120 §6.4.2: without an initial response the server sends an empty challenge.
  exchange.step =
      initial_response ? exchange.mechanism->step(*initial_response) : Step{Challenge{}};
  return exchange;
}

} // namespace starling::xmpp::sasl
