// XEP-0115 §5: the verification string of a disco#info answer and its hash, the 'ver' that
// a client's <c/> announces, so that the server can trust a cached answer for every client
// announcing the same 'ver'.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "xmpp/xml/element.h"

namespace starling::xmpp::im {

inline constexpr std::string_view kCapsNamespace = "http://jabber.org/protocol/caps";

// The string S of XEP-0115 §5.1 for a disco#info <query/>: identities, features and
// extended forms (XEP-0128), sorted. Nothing when §5.4 says not to process the answer
// (a duplicate identity or feature, two forms of one FORM_TYPE).
[[nodiscard]] std::optional<std::string> caps_verification_string(const xml::Element& query);

// base64(hash(S)) for a 'hash' attribute naming an IANA hash function: "sha-1" and "sha-256"
// are supported; nothing for others (§5.4: such a 'ver' is not checked, so not cached).
[[nodiscard]] std::optional<std::string> caps_ver(std::string_view hash,
                                                  std::string_view verification_string);

} // namespace starling::xmpp::im
