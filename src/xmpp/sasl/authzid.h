// Which authorization identities a user may ask for (RFC 6120 §6.3.8, RFC 4422 §3.4.1).
#pragma once

#include <string_view>

namespace starling::xmpp::sasl {

// Users act only as themselves: the authzid must be absent (empty), the user name itself, or
// the user's bare JID, username@domain. Compared as xmpp::Jid canonicalises: ASCII case
// folded in both parts, the domain's trailing dot ignored (RFC 7622 §3.2). Anything else,
// a full JID included, is invalid-authzid.
[[nodiscard]] bool authzid_allowed(std::string_view authzid, std::string_view username,
                                   std::string_view domain);

} // namespace starling::xmpp::sasl
