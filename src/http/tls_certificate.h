// The HTTPS server's TLS context, replaceable while running (SIGHUP reloads the certificate).
#pragma once

#include <expected>
#include <memory>
#include <mutex>
#include <string>

#include <boost/asio/ssl/context.hpp>

#include "net/tls_context.h"

namespace starling::http {

// Each connection keeps the context it was accepted with (a shared_ptr), so replacing the
// context never disturbs a connection already open.
class TlsCertificate {
public:
  // Loads the certificate (or the self-signed one) for the first time.
  static std::expected<std::unique_ptr<TlsCertificate>, net::TlsError>
  load(net::TlsServerSettings settings);

  // The context for the next connection. Thread-safe.
  [[nodiscard]] std::shared_ptr<boost::asio::ssl::context> current() const;

  // Reads the files again. On failure the current context stays and the error says why;
  // on success the new certificate's SHA-256 fingerprint is returned.
  std::expected<std::string, net::TlsError> reload();

  [[nodiscard]] std::string fingerprint() const;

  // load() is the way to make one; this is public for std::make_unique.
  TlsCertificate(net::TlsServerSettings settings,
                 std::shared_ptr<boost::asio::ssl::context> context);

private:
  const net::TlsServerSettings settings_;
  mutable std::mutex mutex_;
  std::shared_ptr<boost::asio::ssl::context> context_;
};

// The SHA-256 fingerprint of a context's certificate, "AB:CD:…" as `openssl x509
// -fingerprint -sha256` prints it.
[[nodiscard]] std::string certificate_fingerprint(boost::asio::ssl::context& context);

} // namespace starling::http
