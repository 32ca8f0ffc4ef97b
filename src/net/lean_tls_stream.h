// A TCP connection that may switch to TLS (at once, or after STARTTLS), with OpenSSL working
// on the socket's descriptor directly. Asio's ssl::stream keeps two 17 KiB record buffers
// and a BIO pair per connection; with ten thousand idle chat clients that is most of the
// server's memory. Here OpenSSL releases its buffers while a connection is idle
// (SSL_MODE_RELEASE_BUFFERS), and reads go into a buffer the caller shares between
// connections: an idle connection costs the SSL object and the socket.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <system_error>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>

#include "net/tls_openssl_handles.h"

namespace starling::net {

// One coroutine may read while another writes; two reads (or two writes) at once are not
// allowed. Everything runs on the socket's executor, which must be single-threaded.
class LeanTlsStream {
public:
  explicit LeanTlsStream(boost::asio::ip::tcp::socket socket);

  // The server side of a TLS handshake over the socket; from then on reads and writes are
  // encrypted. Bytes the peer sent before (plaintext after STARTTLS) must have been read.
  boost::asio::awaitable<boost::system::error_code> accept_tls(boost::asio::ssl::context& context);

  // Waits for data and reads what there is into `buffer`, which only has to live until the
  // call returns (so one buffer can serve every connection of a thread). 0 bytes with
  // boost::asio::error::eof at the end of the stream.
  boost::asio::awaitable<std::pair<boost::system::error_code, std::size_t>>
  read_some(std::span<char> buffer);
  // Writes all of `bytes`, which must stay valid until the call returns.
  boost::asio::awaitable<boost::system::error_code> write_all(std::string_view bytes);

  // Closes the connection at once (no TLS close_notify): a pending read or write ends with
  // an error.
  void close();

  [[nodiscard]] bool is_open() const { return socket_.is_open(); }
  [[nodiscard]] bool tls() const { return ssl_ != nullptr; }
  // The TLS session, for channel bindings; null before accept_tls().
  [[nodiscard]] SSL* native_handle() const { return ssl_.get(); }
  [[nodiscard]] boost::asio::ip::tcp::socket& socket() { return socket_; }

private:
  // Runs an SSL_* call until it completes, waiting for the socket as OpenSSL asks; the
  // call's result (> 0) or an error.
  template <typename Call>
  boost::asio::awaitable<std::pair<boost::system::error_code, int>> drive(Call call);

  boost::asio::ip::tcp::socket socket_;
  detail::SslPtr ssl_;
};

} // namespace starling::net
