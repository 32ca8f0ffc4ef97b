// What an operator wants to know of a PEM certificate: who it is for, who signed it, expiry.
#pragma once

#include <expected>
#include <filesystem>
#include <optional>
#include <string>

#include <openssl/x509.h>

#include "net/tls_context.h"

namespace starling::net {

struct CertificateInfo {
  std::string subject; // RFC 2253 form, e.g. "CN=pbx.example.com"
  std::string issuer;
  std::int64_t not_after = 0; // Unix seconds
  bool self_signed = false;   // issued by its own key
};

// What a certificate in memory says, e.g. one a server presented; empty when its expiry date
// cannot be read.
std::optional<CertificateInfo> certificate_info(X509& certificate);

// The first certificate of a PEM file (a chain starts with the server's own).
std::expected<CertificateInfo, TlsError> read_certificate_info(const std::filesystem::path& pem);

} // namespace starling::net
