// SASL data on the XMPP wire: base64 with "=" for zero-length data.
#include "xmpp/sasl/base64.h"

namespace starling::xmpp::sasl {

std::string encode_sasl_data(std::span<const std::uint8_t> bytes) {
  if (bytes.empty()) {
    return "=";
  }
  return encode_base64(bytes);
}

std::expected<std::vector<std::uint8_t>, Condition> decode_sasl_data(std::string_view text) {
  if (text == "=" || text.empty()) {
    return std::vector<std::uint8_t>{}; // an empty element read as zero-length, as "=" is
  }
  if (text.size() > kMaxSaslTextLength) {
    return std::unexpected(Condition::malformed_request);
  }
  auto bytes = decode_base64(text);
  if (!bytes) {
    return std::unexpected(Condition::incorrect_encoding); // RFC 6120 §6.4.2 and §6.5.5
  }
  return std::move(*bytes);
}

} // namespace starling::xmpp::sasl
