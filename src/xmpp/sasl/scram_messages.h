// Parsers of the two SCRAM client messages (RFC 5802 §7): text in, views and values out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

#include "xmpp/sasl/scram_crypto.h"

namespace starling::xmpp::sasl {

// Longer client messages are refused before parsing. The longest legitimate one is a
// client-first with a 1023-octet user name and authzid, escaped (RFC 7622 §3.3.1 limits a
// localpart to 1023 octets), and a nonce: well under 4 KiB.
inline constexpr std::size_t kMaxScramMessageLength = 4096;
// RFC 5802 sets no bound; clients send 24 to 48 characters. A long nonce only makes the
// server-first message longer, but that is still no reason to echo kilobytes.
inline constexpr std::size_t kMaxClientNonceLength = 256;

// gs2-cbind-flag (RFC 5802 §6).
enum class Gs2CbindFlag : std::uint8_t {
  not_supported,         // "n": the client does no channel binding
  supported_not_offered, // "y": it would, but thinks the server cannot
  required,              // "p=<type>": it binds to the named channel
};

struct ClientFirstMessage {
  Gs2CbindFlag cbind_flag = Gs2CbindFlag::not_supported;
  std::string_view cb_name;      // the "p=" type, as sent; empty otherwise
  std::string authzid;           // unescaped; empty when the client sent none
  std::string username;          // unescaped, not yet SASLprep'ed
  std::string_view client_nonce; // printable ASCII without ','
  std::string_view gs2_header;   // e.g. "n,,": echoed back in the client-final's c=
  std::string_view bare;         // client-first-message-bare, the start of AuthMessage
};

struct ClientFinalMessage {
  Bytes channel_binding;          // c=, decoded: gs2 header and channel-binding data
  std::string_view nonce;         // r=
  Bytes proof;                    // p=, decoded
  std::string_view without_proof; // client-final-message-without-proof, for AuthMessage
};

// What was wrong, for logs; the client is told malformed-request.
struct ScramParseError {
  std::string_view reason; // a string literal
};

// Views borrow from `message`.
[[nodiscard]] std::expected<ClientFirstMessage, ScramParseError>
parse_client_first(std::string_view message);
[[nodiscard]] std::expected<ClientFinalMessage, ScramParseError>
parse_client_final(std::string_view message);

} // namespace starling::xmpp::sasl
