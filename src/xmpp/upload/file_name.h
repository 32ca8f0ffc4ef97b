// File names of uploads (XEP-0363 §4): made safe for the disk and carried in URLs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace starling::xmpp::upload {

// ext4 and most other file systems allow no longer name.
inline constexpr std::size_t kMaxFileNameBytes = 255;

// The name to store the file under and to put in its URLs. XEP-0363 §4 asks to keep the name,
// and its ending especially, so only what is unsafe changes: path separators, control and
// bidirectional-override characters (which disguise an ending) and quotes become '_', as do
// leading dots (no hidden files, no "." or ".."); surrounding spaces go. Nullopt when
// nothing usable is left, or for a name that is not UTF-8 or longer than kMaxFileNameBytes.
[[nodiscard]] std::optional<std::string> sanitize_file_name(std::string_view name);

// One URL path segment (RFC 3986 §3.3): unreserved characters as they are, every other
// byte percent-encoded.
[[nodiscard]] std::string encode_path_segment(std::string_view segment);
// The reverse; nullopt for a broken escape or an encoded NUL or '/'.
[[nodiscard]] std::optional<std::string> decode_path_segment(std::string_view segment);

} // namespace starling::xmpp::upload
