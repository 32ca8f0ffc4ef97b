// Loads and reloads the HTTPS certificate with the TLS policy of every Starling port.
#include "http/tls_certificate.h"

#include <array>

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace starling::http {

std::expected<std::unique_ptr<TlsCertificate>, net::TlsError>
TlsCertificate::load(net::TlsServerSettings settings) {
  auto context = net::make_tls_server_context(settings);
  if (!context) {
    return std::unexpected(context.error());
  }
  return std::make_unique<TlsCertificate>(
      std::move(settings), std::make_shared<boost::asio::ssl::context>(std::move(*context)));
}

TlsCertificate::TlsCertificate(net::TlsServerSettings settings,
                               std::shared_ptr<boost::asio::ssl::context> context)
    : settings_(std::move(settings)), context_(std::move(context)) {}

std::shared_ptr<boost::asio::ssl::context> TlsCertificate::current() const {
  const std::scoped_lock lock(mutex_);
  return context_;
}

std::expected<std::string, net::TlsError> TlsCertificate::reload() {
  auto context = net::make_tls_server_context(settings_);
  if (!context) {
    return std::unexpected(context.error());
  }
  auto replacement = std::make_shared<boost::asio::ssl::context>(std::move(*context));
  auto fingerprint = certificate_fingerprint(*replacement);
  const std::scoped_lock lock(mutex_);
  context_ = std::move(replacement);
  return fingerprint;
}

std::string TlsCertificate::fingerprint() const {
  return certificate_fingerprint(*current());
}

std::string certificate_fingerprint(boost::asio::ssl::context& context) {
  X509* certificate = SSL_CTX_get0_certificate(context.native_handle());
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (certificate == nullptr || X509_digest(certificate, EVP_sha256(), digest.data(), &size) != 1) {
    return "unknown";
  }
  std::string text;
  for (unsigned int i = 0; i < size; ++i) {
    text += fmt::format("{}{:02X}", i == 0 ? "" : ":", digest.at(i));
  }
  return text;
}

} // namespace starling::http
