// A self-signed certificate for TLS ports when the operator configured none: created on the
// first start in the data directory and reused after, so phones that pinned it keep working.
#pragma once

#include <chrono>
#include <expected>
#include <filesystem>
#include <string>
#include <string_view>

#include "net/tls_context.h"

namespace starling::net {

// About two years: long enough that nobody has to think about it, short enough that a key
// that leaked does not stay trusted forever.
inline constexpr std::chrono::days kSelfSignedValidity{730};

// A certificate that expires within this is replaced at start rather than reused.
inline constexpr std::chrono::days kSelfSignedRenewBefore{30};

inline constexpr std::string_view kSelfSignedCertificateName = "cert.pem";
inline constexpr std::string_view kSelfSignedKeyName = "key.pem";

struct CertificateFiles {
  std::filesystem::path certificate_chain_file;
  std::filesystem::path private_key_file;
  bool created = false; // false: an earlier start's certificate was reused
};

// The PEM text of a new certificate and its private key (EC P-256, SHA-256 signature),
// for CN=hostname with SAN = hostname (when it is a DNS name or an IP address), localhost,
// 127.0.0.1 and ::1.
struct SelfSignedPem {
  std::string certificate;
  std::string private_key;
};
std::expected<SelfSignedPem, TlsError> create_self_signed_certificate(std::string_view hostname);

// <directory>/cert.pem and key.pem: reused when both exist and the certificate is valid for
// another kSelfSignedRenewBefore, else created (the directory too; key.pem mode 0600).
std::expected<CertificateFiles, TlsError>
ensure_self_signed_certificate(const std::filesystem::path& directory, std::string_view hostname);

} // namespace starling::net
