// TLS channel bindings for SCRAM-*-PLUS: tls-exporter (RFC 9266) and tls-unique (RFC 5929).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include <openssl/types.h>

#include "xmpp/sasl/scram_crypto.h"

namespace starling::xmpp::sasl {

enum class ChannelBindingType : std::uint8_t {
  tls_exporter, // RFC 9266: TLS 1.3, or TLS 1.2 with the extended master secret
  tls_unique,   // RFC 5929 §3: TLS 1.2 only; RFC 8446 §C.5 leaves it undefined for 1.3
};

// The type's name in gs2 headers and XEP-0440, e.g. "tls-exporter".
[[nodiscard]] std::string_view to_string(ChannelBindingType type);
[[nodiscard]] std::optional<ChannelBindingType> parse_channel_binding_type(std::string_view name);

struct ChannelBinding {
  ChannelBindingType type = ChannelBindingType::tls_exporter;
  Bytes data{};
};

// The bindings one TLS connection offers, most preferred first.
using ChannelBindings = std::vector<ChannelBinding>;

[[nodiscard]] const ChannelBinding* find_channel_binding(const ChannelBindings& bindings,
                                                         ChannelBindingType type);

// RFC 9266 §2: 32 bytes exported under this label with no context.
inline constexpr std::string_view kTlsExporterLabel = "EXPORTER-Channel-Binding";
inline constexpr std::size_t kTlsExporterLength = 32;

// What `ssl`, after its handshake, can bind to (the same on both ends of the connection):
//   TLS 1.3:            tls-exporter
//   TLS 1.2 with EMS:   tls-exporter, tls-unique
//   anything else:      nothing (SCRAM-*-PLUS is then not offered)
// TLS 1.2 without the extended master secret (RFC 7627) gets neither: both bindings are then
// open to the triple-handshake attack (RFC 9266 §3, RFC 7627 §1). tls-unique is the first
// Finished message of the latest handshake, so call this again after a renegotiation.
[[nodiscard]] ChannelBindings channel_bindings(SSL* ssl);

// The types to list in XEP-0440's <sasl-channel-binding xmlns='urn:xmpp:sasl-cb:0'/>, one
// <channel-binding type='…'/> each, in preference order.
[[nodiscard]] std::vector<std::string_view>
advertised_channel_binding_types(const ChannelBindings& bindings);

} // namespace starling::xmpp::sasl
