// Checks a TLS port from outside, as a client would: old versions refused, 1.2+ accepted.
#include "net/tls_probe.h"

#include <cerrno>
#include <cstring>
#include <memory>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <fmt/format.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "net/tls_openssl_handles.h"

namespace starling::net {
namespace {

using detail::SslCtxPtr;
using detail::SslPtr;

class Socket {
public:
  explicit Socket(int fd) : fd_(fd) {}
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  Socket(Socket&&) = delete;
  Socket& operator=(Socket&&) = delete;
  ~Socket() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  [[nodiscard]] int fd() const { return fd_; }

private:
  int fd_;
};

std::expected<std::unique_ptr<Socket>, std::string>
connect_tcp(const std::string& address, std::uint16_t port, std::chrono::milliseconds timeout) {
  boost::system::error_code invalid;
  const auto ip = boost::asio::ip::make_address(address, invalid);
  if (invalid) {
    return std::unexpected(fmt::format("\"{}\" is not an IP address", address));
  }
  const boost::asio::ip::tcp::endpoint endpoint(ip, port);
  auto socket = std::make_unique<Socket>(::socket(endpoint.data()->sa_family, SOCK_STREAM, 0));
  if (socket->fd() < 0) {
    return std::unexpected(std::string(std::strerror(errno)));
  }
  // Linux applies the send timeout to connect() too, and the receive one to the handshake.
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout);
  const timeval limit{
      seconds.count(),
      static_cast<suseconds_t>(
          std::chrono::duration_cast<std::chrono::microseconds>(timeout - seconds).count())};
  setsockopt(socket->fd(), SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof(limit));
  setsockopt(socket->fd(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof(limit));
  if (::connect(socket->fd(), endpoint.data(), static_cast<socklen_t>(endpoint.size())) != 0) {
    return std::unexpected(std::string(std::strerror(errno)));
  }
  return socket;
}

struct Handshake {
  SslPtr ssl;
  std::unique_ptr<Socket> socket;
};

// One handshake offering only [min_version, max_version]; no certificate verification, since
// the point is to see what the server presents.
std::expected<Handshake, std::string> handshake(const std::string& address, std::uint16_t port,
                                                std::chrono::milliseconds timeout, int min_version,
                                                int max_version) {
  SslCtxPtr context(SSL_CTX_new(TLS_client_method()));
  if (!context) {
    return std::unexpected(detail::take_openssl_error());
  }
  SSL_CTX_set_min_proto_version(context.get(), min_version);
  SSL_CTX_set_max_proto_version(context.get(), max_version);
  // OpenSSL 3 does not offer TLS 1.0/1.1 at its default security level; the probe must, to
  // find a server that would still accept them.
  if (min_version < TLS1_2_VERSION) {
    SSL_CTX_set_security_level(context.get(), 0);
    SSL_CTX_set_cipher_list(context.get(), "DEFAULT:@SECLEVEL=0");
  }
  auto socket = connect_tcp(address, port, timeout);
  if (!socket) {
    return std::unexpected(socket.error());
  }
  SslPtr ssl(SSL_new(context.get()));
  if (!ssl || SSL_set_fd(ssl.get(), (*socket)->fd()) != 1) {
    return std::unexpected(detail::take_openssl_error());
  }
  if (SSL_connect(ssl.get()) != 1) {
    ERR_clear_error();
    return std::unexpected(std::string("handshake refused"));
  }
  return Handshake{std::move(ssl), std::move(*socket)};
}

} // namespace

std::expected<TlsProbeResult, std::string>
probe_tls_port(const std::string& address, std::uint16_t port, std::chrono::milliseconds timeout) {
  auto modern = handshake(address, port, timeout, TLS1_2_VERSION, TLS1_3_VERSION);
  if (!modern) {
    return std::unexpected(modern.error() == "handshake refused"
                               ? std::string("TLS 1.2 and 1.3 handshakes fail")
                               : modern.error());
  }
  TlsProbeResult result;
  result.version = SSL_get_version(modern->ssl.get());
  detail::X509Ptr certificate(SSL_get1_peer_certificate(modern->ssl.get()));
  if (!certificate) {
    return std::unexpected(std::string("the server presented no certificate"));
  }
  auto info = certificate_info(*certificate);
  if (!info) {
    return std::unexpected(std::string("the certificate has an unreadable expiry date"));
  }
  result.certificate = std::move(*info);
  auto old = handshake(address, port, timeout, TLS1_VERSION, TLS1_1_VERSION);
  if (old) {
    result.old_version_accepted = SSL_get_version(old->ssl.get());
  }
  return result;
}

} // namespace starling::net
