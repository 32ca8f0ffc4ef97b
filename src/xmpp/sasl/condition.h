// The SASL failure conditions an XMPP server reports (RFC 6120 §6.5).
#pragma once

#include <cstdint>
#include <string_view>

namespace starling::xmpp::sasl {

// Each is sent as the child element of <failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>.
enum class Condition : std::uint8_t {
  aborted,                // §6.5.1: the client sent <abort/>
  account_disabled,       // §6.5.2: only said after the credentials were proven
  credentials_expired,    // §6.5.3: likewise
  encryption_required,    // §6.5.4: PLAIN (or channel binding) asked for outside TLS
  incorrect_encoding,     // §6.5.5: the element's text was not valid base64
  invalid_authzid,        // §6.5.6: authzid other than the user's own JID
  invalid_mechanism,      // §6.5.7: a mechanism that was not offered
  malformed_request,      // §6.5.8: the mechanism's message broke its grammar
  mechanism_too_weak,     // §6.5.9: offered by name, refused by policy (SCRAM-SHA-1, PLAIN)
  not_authorized,         // §6.5.10: wrong password, unknown user, failed channel binding
  temporary_auth_failure, // §6.5.11: the credential store could not answer
};

// The element name, e.g. "not-authorized".
[[nodiscard]] std::string_view to_string(Condition condition);

} // namespace starling::xmpp::sasl
