// The server identity an outbound TLS connection checks (RFC 5922 §4.1, RFC 6125): the host
// Starling meant to reach, not only a chain that some trusted CA signed.
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include <openssl/ssl.h>

#include "net/tls_context.h"

namespace starling::net {

// Before the handshake: the server's certificate must be for `host`, a domain name (also
// sent as SNI, RFC 6066 §3) or an IP literal (matched against the certificate's IP
// addresses; IPv6 with or without brackets). Partial wildcards ("f*.example.com") are not
// accepted (RFC 6125 §7.2).
std::expected<void, TlsError> expect_server_identity(SSL* connection, std::string_view host);

// After a failed handshake: why the peer's certificate was refused ("hostname mismatch",
// "unable to get local issuer certificate"), or empty when the certificate was not the cause.
std::string certificate_refusal(const SSL* connection);

} // namespace starling::net
