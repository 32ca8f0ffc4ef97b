// Shared by the transport tests: a TransportLayer on loopback driven by a bounded io_context loop,
// and clients that read in the background into a string.
#pragma once

#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include "core/clock.h"
#include "core/metrics.h"
#include "sip/message.h"
#include "sip/transport/transport_layer.h"

namespace starling::sip::test {

inline constexpr std::chrono::seconds kDeadline{5};

struct Received {
  Message message;
  Flow flow;
};

// A request with everything a UAS needs; `body` sets Content-Length.
inline std::string options_request(std::string_view call_id = "abc", std::string_view body = "") {
  return "OPTIONS sip:100@127.0.0.1 SIP/2.0\r\n"
         "Via: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bK-1;rport\r\n"
         "Max-Forwards: 70\r\nFrom: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:100@127.0.0.1>\r\n"
         "Call-ID: " +
         std::string(call_id) +
         "\r\nCSeq: 1 OPTIONS\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
         std::string(body);
}

inline const std::string kOkResponse =
    "SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bK-1\r\n"
    "From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:100@127.0.0.1>;tag=2\r\nCall-ID: abc\r\n"
    "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";

inline Flow flow_to(TransportKind kind, const std::string& address, std::uint16_t port,
                    ConnectionId connection = kNoConnection) {
  Flow flow;
  flow.transport = kind;
  flow.remote_address = boost::asio::ip::make_address(address);
  flow.remote_port = port;
  flow.connection_id = connection;
  return flow;
}

// Reads whatever arrives into `received` until the peer closes.
template <typename Stream> class StreamClient {
public:
  template <typename... Args>
  explicit StreamClient(Args&&... args) : stream_(std::forward<Args>(args)...) {}

  Stream& stream() { return stream_; }
  void start_reading() {
    stream_.async_read_some(boost::asio::buffer(buffer_),
                            [this](const boost::system::error_code& error, std::size_t size) {
                              received.append(buffer_.data(), size);
                              if (error) {
                                closed = true;
                                return;
                              }
                              start_reading();
                            });
  }
  void write(std::string bytes) {
    auto owned = std::make_shared<std::string>(std::move(bytes));
    boost::asio::async_write(stream_, boost::asio::buffer(*owned),
                             [owned](const boost::system::error_code&, std::size_t) {});
  }

  std::string received;
  bool closed = false;

private:
  Stream stream_;
  std::array<char, 4096> buffer_{};
};

using TcpClient = StreamClient<boost::asio::ip::tcp::socket>;

class TransportTest : public ::testing::Test {
protected:
  // Loopback, ephemeral ports, short sweep so clock steps take effect at once.
  static TransportConfig loopback_config(std::string address = "127.0.0.1") {
    TransportConfig config;
    config.address = std::move(address);
    config.udp_port = 0;
    config.tcp_port = 0;
    config.tls_port = std::nullopt;
    config.limits.sweep_interval = std::chrono::milliseconds(5);
    return config;
  }

  void start(TransportConfig config, TlsContexts tls = {}) {
    transport_ = std::make_unique<TransportLayer>(io_, std::move(config), metrics_, clock_, tls);
    transport_->set_message_handler([this](Message message, const Flow& flow) {
      received_.push_back(Received{std::move(message), flow});
    });
    const auto started = transport_->start();
    ASSERT_TRUE(started) << started.error().message;
  }

  // Runs the io_context until `done` holds or the deadline passes; returns `done()`.
  bool run_until(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + kDeadline;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      io_.restart();
      io_.run_for(std::chrono::milliseconds(5));
    }
    return done();
  }

  // Lets pending work (a write, a read) happen, so the next write is a separate segment.
  void run_briefly() {
    io_.restart();
    io_.run_for(std::chrono::milliseconds(10));
  }

  std::uint64_t rejected(std::string_view reason) {
    return metrics_
        .counter("starling_sip_messages_rejected_total", "SIP input refused, by reason",
                 {{"reason", std::string(reason)}})
        .value();
  }

  std::uint16_t port(TransportKind kind) const { return transport_->local_port(kind).value(); }

  std::unique_ptr<TcpClient> connect_tcp(const std::string& address = "127.0.0.1",
                                         std::uint16_t to_port = 0) {
    auto client = std::make_unique<TcpClient>(io_);
    const boost::asio::ip::tcp::endpoint to(boost::asio::ip::make_address(address),
                                            to_port != 0 ? to_port : port(TransportKind::tcp));
    client->stream().connect(to); // the kernel completes a loopback connect on its own
    client->start_reading();
    return client;
  }

  boost::asio::io_context io_;
  core::MetricsRegistry metrics_;
  core::ManualClock clock_;
  std::vector<Received> received_;
  std::unique_ptr<TransportLayer> transport_;
};

} // namespace starling::sip::test
