// String preparation of SASL user names and passwords (RFC 4013 SASLprep, partly) and the
// SCRAM saslname escaping (RFC 5802 §5.1).
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

namespace starling::xmpp::sasl {

enum class SaslprepError : std::uint8_t {
  invalid_utf8,         // not well-formed UTF-8 (overlong forms and surrogates included)
  prohibited_character, // RFC 4013 §2.3: controls, private use, non-characters, …
};

// SASLprep without its two table-driven steps. Done: the mappings of RFC 4013 §2.1 (non-ASCII
// spaces to U+0020, RFC 3454 B.1 characters to nothing) and the prohibited output of §2.3
// (RFC 3454 C.1.2–C.9: ASCII and non-ASCII controls, private use, non-characters, …).
// Not done: NFKC normalisation (§2.2) and the bidirectional check (§2.4), which need the
// Unicode tables; unassigned code points are let through (RFC 4013 §2.5 "queries").
// ASCII strings, which is what almost every XMPP user name and password is, come out exactly
// as full SASLprep would give them. Non-ASCII strings are compared as sent, so a client that
// sends a different normalisation form of the same password than was stored fails.
// Hash the output of this, not the raw password, when storing credentials.
[[nodiscard]] std::expected<std::string, SaslprepError> saslprep(std::string_view text);

// saslname (RFC 5802 §5.1): ',' is sent as "=2C" and '=' as "=3D".
[[nodiscard]] std::string escape_saslname(std::string_view name);
// Nothing when '=' is followed by anything but "2C" or "3D", or the text holds a ',' or NUL.
[[nodiscard]] std::optional<std::string> unescape_saslname(std::string_view saslname);

} // namespace starling::xmpp::sasl
