// LeanTlsStream against asio's own TLS client on loopback: plaintext, then STARTTLS, then
// encrypted traffic both ways, and the end of the stream.
#include <cstdlib>
#include <filesystem>
#include <string>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include "net/lean_tls_stream.h"
#include "net/tls_context.h"

namespace starling::net {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using asio::ip::tcp;

class LeanTlsStreamTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "starling-lean-tls-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
    auto server = make_tls_server_context({.certificate_chain_file = {},
                                           .private_key_file = {},
                                           .self_signed_directory = directory_,
                                           .hostname = "pbx.test"});
    ASSERT_TRUE(server) << server.error().message;
    server_context_.emplace(std::move(*server));
    auto client = make_tls_client_context({.verify_peer = false, .ca_file = {}});
    ASSERT_TRUE(client) << client.error().message;
    client_context_.emplace(std::move(*client));
  }
  void TearDown() override { fs::remove_all(directory_); }

  // Reads until `expected` bytes came or the stream ended.
  static asio::awaitable<std::string> read_exactly(LeanTlsStream& stream, std::size_t expected) {
    std::string received;
    std::array<char, 1000> buffer{};
    while (received.size() < expected) {
      auto [error, read] = co_await stream.read_some(buffer);
      if (error) {
        break;
      }
      received.append(buffer.data(), read);
    }
    co_return received;
  }

  fs::path directory_;
  std::optional<asio::ssl::context> server_context_;
  std::optional<asio::ssl::context> client_context_;
  asio::io_context io_;
};

TEST_F(LeanTlsStreamTest, StartTlsThenLargeMessagesBothWaysThenEndOfStream) {
  tcp::acceptor acceptor(io_, {asio::ip::make_address("127.0.0.1"), 0});
  const std::string big(200'000, 'x'); // many TLS records, partial writes
  std::string server_got_plain;
  std::string server_got_encrypted;
  boost::system::error_code server_end;
  bool server_saw_tls13 = false;

  auto server = [&]() -> asio::awaitable<void> {
    LeanTlsStream stream(co_await acceptor.async_accept(asio::use_awaitable));
    server_got_plain = co_await read_exactly(stream, 8);
    EXPECT_FALSE(co_await stream.write_all("PROCEED\n"));
    EXPECT_FALSE(co_await stream.accept_tls(*server_context_));
    server_saw_tls13 = SSL_version(stream.native_handle()) == TLS1_3_VERSION;
    server_got_encrypted = co_await read_exactly(stream, big.size());
    EXPECT_FALSE(co_await stream.write_all(big));
    std::array<char, 10> buffer{};
    auto [error, read] = co_await stream.read_some(buffer);
    server_end = error;
  };
  auto client = [&]() -> asio::awaitable<void> {
    asio::ssl::stream<tcp::socket> tls(io_, *client_context_);
    co_await tls.next_layer().async_connect(acceptor.local_endpoint(), asio::use_awaitable);
    co_await asio::async_write(tls.next_layer(), asio::buffer(std::string("STARTTLS")),
                               asio::use_awaitable);
    std::string proceed(8, '\0');
    co_await asio::async_read(tls.next_layer(), asio::buffer(proceed), asio::use_awaitable);
    EXPECT_EQ(proceed, "PROCEED\n");
    co_await tls.async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
    co_await asio::async_write(tls, asio::buffer(big), asio::use_awaitable);
    std::string echoed(big.size(), '\0');
    co_await asio::async_read(tls, asio::buffer(echoed), asio::use_awaitable);
    EXPECT_EQ(echoed, big);
    co_await tls.async_shutdown(asio::as_tuple(asio::use_awaitable));
  };
  asio::co_spawn(io_, server, asio::detached);
  asio::co_spawn(io_, client, asio::detached);
  io_.run_for(std::chrono::seconds(20));

  EXPECT_EQ(server_got_plain, "STARTTLS");
  EXPECT_TRUE(server_saw_tls13);
  EXPECT_EQ(server_got_encrypted.size(), big.size());
  EXPECT_EQ(server_got_encrypted, big);
  EXPECT_EQ(server_end, asio::error::eof);
}

TEST_F(LeanTlsStreamTest, APeerThatIsNoTlsClientFailsTheHandshake) {
  tcp::acceptor acceptor(io_, {asio::ip::make_address("127.0.0.1"), 0});
  boost::system::error_code handshake;
  auto server = [&]() -> asio::awaitable<void> {
    LeanTlsStream stream(co_await acceptor.async_accept(asio::use_awaitable));
    handshake = co_await stream.accept_tls(*server_context_);
  };
  auto client = [&]() -> asio::awaitable<void> {
    tcp::socket socket(io_);
    co_await socket.async_connect(acceptor.local_endpoint(), asio::use_awaitable);
    co_await asio::async_write(socket, asio::buffer(std::string("GET / HTTP/1.1\r\n\r\n")),
                               asio::use_awaitable);
  };
  asio::co_spawn(io_, server, asio::detached);
  asio::co_spawn(io_, client, asio::detached);
  io_.run_for(std::chrono::seconds(10));
  EXPECT_TRUE(handshake);
}

TEST_F(LeanTlsStreamTest, AClosedStreamNoLongerUsesTheDescriptorOpenSslWasGiven) {
  // The descriptor's number goes to the next accepted connection: writing to it after close()
  // would send one client's stanzas to another.
  tcp::acceptor acceptor(io_, {asio::ip::make_address("127.0.0.1"), 0});
  boost::system::error_code write_after_close;
  boost::system::error_code read_after_close;
  std::string next_connection_got;
  auto server = [&]() -> asio::awaitable<void> {
    LeanTlsStream stream(co_await acceptor.async_accept(asio::use_awaitable));
    EXPECT_FALSE(co_await stream.accept_tls(*server_context_));
    stream.close();
    LeanTlsStream next(co_await acceptor.async_accept(asio::use_awaitable));
    write_after_close = co_await stream.write_all("for the first client only");
    std::array<char, 100> buffer{};
    read_after_close = (co_await stream.read_some(buffer)).first;
    EXPECT_FALSE(co_await next.write_all("hello"));
    next_connection_got = co_await read_exactly(next, 5);
  };
  auto client = [&]() -> asio::awaitable<void> {
    asio::ssl::stream<tcp::socket> tls(io_, *client_context_);
    co_await tls.next_layer().async_connect(acceptor.local_endpoint(), asio::use_awaitable);
    co_await tls.async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
    tcp::socket next(io_);
    co_await next.async_connect(acceptor.local_endpoint(), asio::use_awaitable);
    std::string received(5, '\0');
    co_await asio::async_read(next, asio::buffer(received), asio::use_awaitable);
    co_await asio::async_write(next, asio::buffer(received), asio::use_awaitable);
  };
  asio::co_spawn(io_, server, asio::detached);
  asio::co_spawn(io_, client, asio::detached);
  io_.run_for(std::chrono::seconds(10));

  EXPECT_EQ(write_after_close, asio::error::bad_descriptor);
  EXPECT_EQ(read_after_close, asio::error::bad_descriptor);
  EXPECT_EQ(next_connection_got, "hello");
}

} // namespace
} // namespace starling::net
