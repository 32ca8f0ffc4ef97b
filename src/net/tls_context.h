// The TLS policy of every TLS port and outbound TLS connection: TLS 1.2+ with AEAD ciphers.
#pragma once

#include <expected>
#include <filesystem>
#include <string>

#include <boost/asio/ssl/context.hpp>

namespace starling::net {

// A TLS set-up failure, worded for the operator: which file or setting, and what to do.
struct TlsError {
  std::string message;
};

// TLS 1.2 cipher suites: forward secrecy (ECDHE) and AEAD only. TLS 1.3 suites are OpenSSL's
// defaults, which are all AEAD already.
inline constexpr const char* kTls12CipherList =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

struct TlsServerSettings {
  // PEM files the operator configured: the chain (server certificate first) and its key.
  // Both empty: a self-signed certificate in self_signed_directory is used (and created on
  // the first start). Only one of them set is an error.
  std::filesystem::path certificate_chain_file;
  std::filesystem::path private_key_file;
  // Where the self-signed certificate lives, e.g. <data_dir>/tls.
  std::filesystem::path self_signed_directory;
  // Names the self-signed certificate is for, besides localhost, 127.0.0.1 and ::1.
  std::string hostname;
};

// A server context: TLS 1.2 minimum, no compression (CRIME), no renegotiation (a client
// could make the server redo the handshake work at will), the server's cipher preference.
std::expected<boost::asio::ssl::context, TlsError>
make_tls_server_context(const TlsServerSettings& settings);

struct TlsClientSettings {
  // Off only for peers known to present self-signed certificates (phones, test peers).
  bool verify_peer = true;
  // PEM bundle of trusted CAs; empty: the system's trust store.
  std::filesystem::path ca_file;
};

// A client context with the same protocol policy. Host name checks are per connection
// (SSL_set1_host) and belong to the code that knows the name it connects to.
std::expected<boost::asio::ssl::context, TlsError>
make_tls_client_context(const TlsClientSettings& settings);

} // namespace starling::net
