// A blocking HTTP/HTTPS/WebSocket client on loopback for the HTTP server's tests.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "http/handler.h"

namespace starling::http::testing {

// One connection to 127.0.0.1:port, kept open across requests (keep-alive).
class TestClient {
public:
  TestClient(std::uint16_t port, bool tls);

  // Sends the request and reads the answer; an error_code when the server closed instead.
  Response exchange(Request request);
  // Writes raw bytes, for requests a well-behaved client would not send.
  void write_raw(std::string_view bytes);
  Response read_response();
  // Whether the server has closed the connection (waits up to `timeout_ms` for it).
  bool closed_by_server(int timeout_ms);

private:
  boost::asio::io_context io_;
  boost::asio::ssl::context context_{boost::asio::ssl::context::tls_client};
  boost::asio::ip::tcp::socket socket_{io_};
  std::unique_ptr<boost::asio::ssl::stream<boost::asio::ip::tcp::socket&>> tls_;
  boost::beast::flat_buffer buffer_;
};

// A WebSocket to wss://127.0.0.1:port/api/v1/events with `cookie` as the credential.
class TestEventClient {
public:
  TestEventClient(std::uint16_t port, const std::string& cookie);
  // The next text message, or "" when none came within `timeout_ms`.
  std::string next_message(int timeout_ms);
  // The close code the server sent, once it closes.
  int close_code(int timeout_ms);

private:
  boost::asio::io_context io_;
  boost::asio::ssl::context context_{boost::asio::ssl::context::tls_client};
  boost::beast::websocket::stream<boost::asio::ssl::stream<boost::asio::ip::tcp::socket>> socket_{
      io_, context_};
  boost::beast::flat_buffer buffer_;
};

// A GET for target with a Host header.
Request get(std::string_view target);

} // namespace starling::http::testing
