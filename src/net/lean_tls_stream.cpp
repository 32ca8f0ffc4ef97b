// TLS on a socket's descriptor, driven by readiness waits instead of asio's BIO pair.
#include "net/lean_tls_stream.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <openssl/err.h>

namespace starling::net {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

error_code openssl_error() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  return {static_cast<int>(ERR_GET_REASON(code)), asio::error::get_ssl_category()};
}

} // namespace

LeanTlsStream::LeanTlsStream(asio::ip::tcp::socket socket) : socket_(std::move(socket)) {
  error_code ignored;
  socket_.non_blocking(true, ignored);
}

template <typename Call>
asio::awaitable<std::pair<error_code, int>> LeanTlsStream::drive(Call call) {
  for (;;) {
    // OpenSSL holds the descriptor's number, not the socket: once closed, that number may
    // already be another connection's.
    if (!socket_.is_open()) {
      co_return std::pair{error_code(asio::error::bad_descriptor), 0};
    }
    ERR_clear_error();
    const int result = call();
    if (result > 0) {
      co_return std::pair{error_code{}, result};
    }
    switch (SSL_get_error(ssl_.get(), result)) {
    case SSL_ERROR_WANT_READ: {
      auto [error] = co_await socket_.async_wait(asio::ip::tcp::socket::wait_read, kAwait);
      if (error) {
        co_return std::pair{error, 0};
      }
      break;
    }
    case SSL_ERROR_WANT_WRITE: {
      auto [error] = co_await socket_.async_wait(asio::ip::tcp::socket::wait_write, kAwait);
      if (error) {
        co_return std::pair{error, 0};
      }
      break;
    }
    case SSL_ERROR_ZERO_RETURN: // the peer's close_notify
      co_return std::pair{error_code(asio::error::eof), 0};
    case SSL_ERROR_SYSCALL: {
      // The peer went away without close_notify, or the socket failed.
      const error_code error =
          ERR_peek_error() != 0 ? openssl_error() : error_code(asio::error::connection_reset);
      co_return std::pair{error, 0};
    }
    default:
      co_return std::pair{openssl_error(), 0};
    }
  }
}

asio::awaitable<error_code> LeanTlsStream::accept_tls(asio::ssl::context& context) {
  ssl_.reset(SSL_new(context.native_handle()));
  if (!ssl_ || SSL_set_fd(ssl_.get(), socket_.native_handle()) != 1) {
    co_return openssl_error();
  }
  SSL_set_mode(ssl_.get(), SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE |
                               SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  auto [error, result] = co_await drive([this] { return SSL_accept(ssl_.get()); });
  co_return error;
}

asio::awaitable<std::pair<error_code, std::size_t>>
LeanTlsStream::read_some(std::span<char> buffer) {
  if (ssl_) {
    auto [error, read] = co_await drive(
        [&] { return SSL_read(ssl_.get(), buffer.data(), static_cast<int>(buffer.size())); });
    co_return std::pair{error, static_cast<std::size_t>(read)};
  }
  for (;;) {
    error_code error;
    const std::size_t read = socket_.read_some(asio::buffer(buffer.data(), buffer.size()), error);
    if (error != asio::error::would_block) {
      co_return std::pair{error, read};
    }
    auto [waited] = co_await socket_.async_wait(asio::ip::tcp::socket::wait_read, kAwait);
    if (waited) {
      co_return std::pair{waited, std::size_t{0}};
    }
  }
}

asio::awaitable<error_code> LeanTlsStream::write_all(std::string_view bytes) {
  while (!bytes.empty()) {
    if (ssl_) {
      auto [error, written] = co_await drive(
          [&] { return SSL_write(ssl_.get(), bytes.data(), static_cast<int>(bytes.size())); });
      if (error) {
        co_return error;
      }
      bytes.remove_prefix(static_cast<std::size_t>(written));
      continue;
    }
    error_code error;
    const std::size_t written = socket_.write_some(asio::buffer(bytes), error);
    if (error == asio::error::would_block) {
      auto [waited] = co_await socket_.async_wait(asio::ip::tcp::socket::wait_write, kAwait);
      if (waited) {
        co_return waited;
      }
      continue;
    }
    if (error) {
      co_return error;
    }
    bytes.remove_prefix(written);
  }
  co_return error_code{};
}

void LeanTlsStream::close() {
  error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

} // namespace starling::net
