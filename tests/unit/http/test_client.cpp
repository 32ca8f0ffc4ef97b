// The tests' blocking client: Beast over plain TCP or TLS, and a WebSocket.
#include "test_client.h"

#include <array>
#include <cerrno>
#include <chrono>
#include <stdexcept>

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/ssl.hpp>

namespace starling::http::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;

namespace {

tcp::endpoint loopback(std::uint16_t port) {
  return {asio::ip::make_address("127.0.0.1"), port};
}

} // namespace

Request get(std::string_view target) {
  Request request{Verb::get, target, 11};
  request.set(Field::host, "127.0.0.1");
  return request;
}

TestClient::TestClient(std::uint16_t port, bool tls) {
  socket_.connect(loopback(port));
  if (tls) {
    context_.set_verify_mode(asio::ssl::verify_none);
    tls_ = std::make_unique<asio::ssl::stream<tcp::socket&>>(socket_, context_);
    tls_->handshake(asio::ssl::stream_base::client);
  }
}

Response TestClient::exchange(Request request) {
  request.prepare_payload();
  if (tls_) {
    beast::http::write(*tls_, request);
  } else {
    beast::http::write(socket_, request);
  }
  return read_response();
}

void TestClient::write_raw(std::string_view bytes) {
  if (tls_) {
    asio::write(*tls_, asio::buffer(bytes));
  } else {
    asio::write(socket_, asio::buffer(bytes));
  }
}

Response TestClient::read_response() {
  beast::http::response_parser<beast::http::string_body> parser;
  parser.body_limit(16 * 1024 * 1024);
  if (tls_) {
    beast::http::read(*tls_, buffer_, parser);
  } else {
    beast::http::read(socket_, buffer_, parser);
  }
  return parser.release();
}

bool TestClient::closed_by_server(int timeout_ms) {
  // Raw reads with a receive timeout, skipping what TLS sends after the handshake (session
  // tickets): EOF or a reset means the server closed.
  const timeval timeout{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  std::array<char, 4096> bytes{};
  while (std::chrono::steady_clock::now() < deadline) {
    const auto received = ::recv(socket_.native_handle(), bytes.data(), bytes.size(), 0);
    if (received == 0 || (received < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
      return true;
    }
    if (received < 0) {
      return false;
    }
  }
  return false;
}

TestEventClient::TestEventClient(std::uint16_t port, const std::string& cookie) {
  context_.set_verify_mode(asio::ssl::verify_none);
  beast::get_lowest_layer(socket_).connect(loopback(port));
  socket_.next_layer().handshake(asio::ssl::stream_base::client);
  socket_.set_option(beast::websocket::stream_base::decorator(
      [cookie](beast::websocket::request_type& request) { request.set(Field::cookie, cookie); }));
  socket_.handshake("127.0.0.1", "/api/v1/events");
}

std::string TestEventClient::next_message(int timeout_ms) {
  const timeval timeout{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  const auto native = beast::get_lowest_layer(socket_).native_handle();
  ::setsockopt(native, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  boost::system::error_code error;
  socket_.read(buffer_, error);
  if (error) {
    return "";
  }
  auto text = beast::buffers_to_string(buffer_.data());
  buffer_.consume(buffer_.size());
  return text;
}

int TestEventClient::close_code(int timeout_ms) {
  while (next_message(timeout_ms) != "") {
  }
  return static_cast<int>(socket_.reason().code);
}

} // namespace starling::http::testing
