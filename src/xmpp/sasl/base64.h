// Base64 (RFC 4648 §4) as SASL uses it: inside SCRAM messages and as XMPP's SASL element text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/base64.h"
#include "xmpp/sasl/condition.h"

namespace starling::xmpp::sasl {

// The longest SASL element text accepted (RFC 6120 §13.1 leaves it to the server). A SCRAM
// client-final with tls-exporter binding is under 200 characters; PLAIN with three 1023-octet
// fields is about 4 KiB. Checked before anything is decoded.
inline constexpr std::size_t kMaxSaslTextLength = 8192;

using core::decode_base64;
using core::encode_base64;

// The text of <auth/>, <challenge/>, <response/> and <success/>: base64, with "=" standing
// for data of zero length (RFC 6120 §6.4.2). An empty element is "no data" and is the
// caller's to tell apart (an <auth/> without an initial response).
[[nodiscard]] std::string encode_sasl_data(std::span<const std::uint8_t> bytes);
[[nodiscard]] std::expected<std::vector<std::uint8_t>, Condition>
decode_sasl_data(std::string_view text);

} // namespace starling::xmpp::sasl
