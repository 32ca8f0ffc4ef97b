// Builds the TLS server and client contexts with Starling's one TLS policy.
#include "net/tls_context.h"

#include <cerrno>
#include <cstring>
#include <system_error>

#include <fmt/format.h>
#include <openssl/ssl.h>
#include <unistd.h>

#include "net/self_signed_certificate.h"
#include "net/tls_openssl_handles.h"

namespace starling::net {

namespace {

namespace fs = std::filesystem;
namespace ssl = boost::asio::ssl;
using detail::take_openssl_error;

std::unexpected<TlsError> fail(std::string message) {
  return std::unexpected(TlsError{std::move(message)});
}

// Settings both directions share: TLS 1.0 and 1.1 are refused everywhere (DESIGN.md).
std::expected<void, TlsError> apply_policy(ssl::context& context) {
  SSL_CTX* native = context.native_handle();
  SSL_CTX_set_options(native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1) {
    return fail("cannot require TLS 1.2: " + take_openssl_error());
  }
  if (SSL_CTX_set_cipher_list(native, kTls12CipherList) != 1) {
    return fail("cannot set the TLS 1.2 cipher list: " + take_openssl_error());
  }
  return {};
}

// Says which file is missing or unreadable before OpenSSL says something vaguer.
std::expected<void, TlsError> check_readable(const fs::path& path, std::string_view what) {
  if (::access(path.c_str(), R_OK) != 0) {
    return fail(
        fmt::format("the TLS {} {} cannot be read: {}", what, path.string(), std::strerror(errno)));
  }
  return {};
}

std::expected<void, TlsError> load_certificate(ssl::context& context, const fs::path& chain,
                                               const fs::path& key) {
  if (auto ok = check_readable(chain, "certificate chain"); !ok) {
    return ok;
  }
  if (auto ok = check_readable(key, "private key"); !ok) {
    return ok;
  }
  SSL_CTX* native = context.native_handle();
  // Key first: OpenSSL then drops a certificate's mismatching key quietly and the check
  // below can say so, instead of a key load failing with "key values mismatch".
  if (SSL_CTX_use_PrivateKey_file(native, key.c_str(), SSL_FILETYPE_PEM) != 1) {
    return fail(fmt::format("the TLS private key {} is not an unencrypted PEM private key ({})",
                            key.string(), take_openssl_error()));
  }
  if (SSL_CTX_use_certificate_chain_file(native, chain.c_str()) != 1) {
    return fail(fmt::format("the TLS certificate chain {} is not a PEM certificate chain ({})",
                            chain.string(), take_openssl_error()));
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    ERR_clear_error();
    return fail(fmt::format("the TLS private key {} does not belong to the certificate in {}",
                            key.string(), chain.string()));
  }
  return {};
}

} // namespace

std::expected<ssl::context, TlsError> make_tls_server_context(const TlsServerSettings& settings) {
  const bool has_chain = !settings.certificate_chain_file.empty();
  const bool has_key = !settings.private_key_file.empty();
  if (has_chain != has_key) {
    return fail("a TLS certificate chain and private key go together: configure both files, "
                "or neither to use a self-signed certificate");
  }
  CertificateFiles files{settings.certificate_chain_file, settings.private_key_file};
  if (!has_chain) {
    auto self_signed =
        ensure_self_signed_certificate(settings.self_signed_directory, settings.hostname);
    if (!self_signed) {
      return std::unexpected(self_signed.error());
    }
    files = *self_signed;
  }
  ssl::context context(ssl::context::tls_server);
  if (auto ok = apply_policy(context); !ok) {
    return std::unexpected(ok.error());
  }
  // The server picks: clients (old phones especially) often list weak suites first.
  SSL_CTX_set_options(context.native_handle(), SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (auto ok = load_certificate(context, files.certificate_chain_file, files.private_key_file);
      !ok) {
    return std::unexpected(ok.error());
  }
  return context;
}

std::expected<ssl::context, TlsError> make_tls_client_context(const TlsClientSettings& settings) {
  ssl::context context(ssl::context::tls_client);
  if (auto ok = apply_policy(context); !ok) {
    return std::unexpected(ok.error());
  }
  SSL_CTX* native = context.native_handle();
  if (!settings.verify_peer) {
    SSL_CTX_set_verify(native, SSL_VERIFY_NONE, nullptr);
    return context;
  }
  SSL_CTX_set_verify(native, SSL_VERIFY_PEER, nullptr);
  if (settings.ca_file.empty()) {
    if (SSL_CTX_set_default_verify_paths(native) != 1) {
      return fail("cannot load the system's trusted CA certificates (" + take_openssl_error() +
                  "); install ca-certificates or configure a CA file");
    }
    return context;
  }
  if (auto ok = check_readable(settings.ca_file, "CA file"); !ok) {
    return std::unexpected(ok.error());
  }
  if (SSL_CTX_load_verify_locations(native, settings.ca_file.c_str(), nullptr) != 1) {
    return fail(fmt::format("the TLS CA file {} holds no PEM certificates ({})",
                            settings.ca_file.string(), take_openssl_error()));
  }
  return context;
}

} // namespace starling::net
