// Per-connection identity checks on top of the client context's chain verification.
#include "net/tls_server_identity.h"

#include <boost/asio/ip/address.hpp>
#include <fmt/format.h>
#include <openssl/x509v3.h>

#include "net/tls_openssl_handles.h"

namespace starling::net {

namespace {

std::string_view without_brackets(std::string_view host) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    return host.substr(1, host.size() - 2);
  }
  return host;
}

std::unexpected<TlsError> refuse(std::string_view host) {
  return std::unexpected(TlsError{
      fmt::format("cannot check the TLS server name {}: {}", host, detail::take_openssl_error())});
}

} // namespace

std::expected<void, TlsError> expect_server_identity(SSL* connection, std::string_view host) {
  const std::string name(without_brackets(host));
  X509_VERIFY_PARAM* checks = SSL_get0_param(connection);
  boost::system::error_code not_an_address;
  const auto address = boost::asio::ip::make_address(name, not_an_address);
  if (!not_an_address) {
    if (X509_VERIFY_PARAM_set1_ip_asc(checks, address.to_string().c_str()) != 1) {
      return refuse(host);
    }
    return {};
  }
  X509_VERIFY_PARAM_set_hostflags(checks, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  // SSL_set_tlsext_host_name, spelled out: the macro casts in C style.
  if (SSL_set1_host(connection, name.c_str()) != 1 ||
      SSL_ctrl(connection, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
               const_cast<char*>(name.c_str())) != 1) {
    return refuse(host);
  }
  return {};
}

std::string certificate_refusal(const SSL* connection) {
  const long result = SSL_get_verify_result(connection);
  if (result == X509_V_OK) {
    return {};
  }
  return X509_verify_cert_error_string(result);
}

} // namespace starling::net
