// Tests of SIP over TLS on loopback: TLS 1.2 and 1.3 work, 1.0 and 1.1 are refused, slow
// handshakes time out, and outbound TLS connections reach another transport.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include "net/tls_context.h"
#include "transport_fixture.h"

namespace starling::sip::test {
namespace {

namespace ip = boost::asio::ip;
namespace ssl = boost::asio::ssl;
using namespace std::chrono_literals;
using TlsClient = StreamClient<ssl::stream<ip::tcp::socket>>;

std::filesystem::path make_temp_directory() {
  std::string pattern = (std::filesystem::temp_directory_path() / "starling-tls-XXXXXX").string();
  const char* made = ::mkdtemp(pattern.data());
  EXPECT_NE(made, nullptr);
  return pattern;
}

// A client that offers exactly one protocol version. Security level 0 lets OpenSSL offer
// TLS 1.0/1.1 at all, so a refusal comes from the server and not from this client.
ssl::context client_context(int version) {
  ssl::context context(ssl::context::tls_client);
  SSL_CTX* native = context.native_handle();
  SSL_CTX_set_security_level(native, 0);
  SSL_CTX_set_cipher_list(native, "DEFAULT:@SECLEVEL=0");
  SSL_CTX_set_min_proto_version(native, version);
  SSL_CTX_set_max_proto_version(native, version);
  SSL_CTX_set_verify(native, SSL_VERIFY_NONE, nullptr);
  return context;
}

class TlsTransport : public TransportTest {
protected:
  void SetUp() override {
    directory_ = make_temp_directory();
    auto context = net::make_tls_server_context({{}, {}, directory_ / "tls", "pbx.example.com"});
    ASSERT_TRUE(context) << context.error().message;
    server_context_.emplace(std::move(*context));
    TransportConfig config = loopback_config();
    config.tls_port = 0;
    start(config, TlsContexts{&*server_context_, nullptr});
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  // Connects and runs the handshake; the error is the handshake's.
  boost::system::error_code handshake(TlsClient& client) {
    client.stream().next_layer().connect(
        ip::tcp::endpoint(ip::make_address("127.0.0.1"), port(TransportKind::tls)));
    boost::system::error_code result = boost::asio::error::would_block;
    client.stream().async_handshake(
        ssl::stream_base::client, [&](const boost::system::error_code& error) { result = error; });
    run_until([&] { return result != boost::asio::error::would_block; });
    return result;
  }

  std::filesystem::path directory_;
  std::optional<ssl::context> server_context_;
};

class TlsVersions : public TlsTransport, public ::testing::WithParamInterface<int> {};

TEST_P(TlsVersions, CompletesTheHandshakeAndCarriesMessagesBothWays) {
  ssl::context context = client_context(GetParam());
  TlsClient client(io_, context);
  ASSERT_FALSE(handshake(client));
  EXPECT_EQ(SSL_version(client.stream().native_handle()), GetParam());
  client.start_reading();
  client.write(options_request());
  ASSERT_TRUE(run_until([&] { return received_.size() == 1; }));
  EXPECT_EQ(received_[0].flow.transport, TransportKind::tls);
  ASSERT_TRUE(transport_->send(received_[0].flow, kOkResponse));
  ASSERT_TRUE(run_until([&] { return client.received == kOkResponse; }));
}

INSTANTIATE_TEST_SUITE_P(ModernVersions, TlsVersions,
                         ::testing::Values(TLS1_2_VERSION, TLS1_3_VERSION));

class OldTlsVersions : public TlsTransport, public ::testing::WithParamInterface<int> {};

TEST_P(OldTlsVersions, AreRefusedByTheServer) {
  ssl::context context = client_context(GetParam());
  TlsClient client(io_, context);
  EXPECT_TRUE(handshake(client));
  ASSERT_TRUE(run_until([&] { return rejected("tls_handshake_failed") == 1; }));
  EXPECT_TRUE(run_until([&] { return transport_->connection_count() == 0; }));
}

INSTANTIATE_TEST_SUITE_P(Tls10And11, OldTlsVersions,
                         ::testing::Values(TLS1_VERSION, TLS1_1_VERSION));

TEST_F(TlsTransport, PresentsTheSelfSignedCertificateFromTheDataDirectory) {
  ssl::context context = client_context(TLS1_3_VERSION);
  TlsClient client(io_, context);
  ASSERT_FALSE(handshake(client));
  X509* presented = SSL_get0_peer_certificate(client.stream().native_handle());
  ASSERT_NE(presented, nullptr);
  FILE* file = std::fopen((directory_ / "tls" / "cert.pem").c_str(), "r");
  ASSERT_NE(file, nullptr);
  X509* stored = PEM_read_X509(file, nullptr, nullptr, nullptr);
  std::fclose(file);
  ASSERT_NE(stored, nullptr);
  EXPECT_EQ(X509_cmp(presented, stored), 0);
  X509_free(stored);
}

TEST_F(TlsTransport, ClosesAConnectionThatNeverCompletesTheHandshake) {
  TcpClient silent(io_);
  silent.stream().connect(
      ip::tcp::endpoint(ip::make_address("127.0.0.1"), port(TransportKind::tls)));
  silent.start_reading();
  ASSERT_TRUE(run_until([&] { return transport_->connection_count() == 1; }));
  clock_.advance(11s);
  ASSERT_TRUE(run_until([&] { return silent.closed; }));
  EXPECT_EQ(rejected("handshake_timeout"), 1U);
}

TEST_F(TlsTransport, OpensAnOutboundTlsConnectionToAnotherTransport) {
  auto client_tls = net::make_tls_client_context({.verify_peer = false, .ca_file = {}});
  ASSERT_TRUE(client_tls) << client_tls.error().message;
  core::MetricsRegistry sender_metrics;
  TransportLayer sender(io_, loopback_config(), sender_metrics, clock_,
                        TlsContexts{nullptr, &*client_tls});
  ASSERT_TRUE(sender.start());
  const auto used = sender.send(flow_to(TransportKind::tls, "127.0.0.1", port(TransportKind::tls)),
                                options_request());
  ASSERT_TRUE(used) << used.error().message;
  ASSERT_TRUE(run_until([&] { return received_.size() == 1; }));
  EXPECT_EQ(received_[0].flow.transport, TransportKind::tls);
  EXPECT_EQ(sender.connection_count(), 1U);
}

// A sender that trusts the server's self-signed certificate as its CA, so that only the
// name decides.
class TlsServerName : public TlsTransport {
protected:
  void SetUp() override {
    TlsTransport::SetUp();
    auto context = net::make_tls_client_context(
        {.verify_peer = true, .ca_file = directory_ / "tls" / "cert.pem"});
    ASSERT_TRUE(context) << context.error().message;
    client_context_.emplace(std::move(*context));
    sender_.emplace(io_, loopback_config(), sender_metrics_, clock_,
                    TlsContexts{nullptr, &*client_context_});
    ASSERT_TRUE(sender_->start());
  }

  // Sends an OPTIONS to the TLS port expecting the certificate to be for `name`; the
  // completion's error, once the connection opened or failed.
  boost::system::error_code send_expecting(const std::string& name) {
    Flow flow = flow_to(TransportKind::tls, "127.0.0.1", port(TransportKind::tls));
    flow.server_name = name;
    boost::system::error_code result = boost::asio::error::would_block;
    const auto used = sender_->send(
        flow, options_request(), [&](const boost::system::error_code& error) { result = error; });
    EXPECT_TRUE(used) << used.error().message;
    run_until([&] { return result != boost::asio::error::would_block; });
    return result;
  }

  std::optional<ssl::context> client_context_;
  core::MetricsRegistry sender_metrics_;
  std::optional<TransportLayer> sender_;
};

TEST_F(TlsServerName, ConnectsWhenTheCertificateIsForTheName) {
  EXPECT_FALSE(send_expecting("pbx.example.com"));
  ASSERT_TRUE(run_until([&] { return received_.size() == 1; }));
}

TEST_F(TlsServerName, ConnectsWhenTheCertificateIsForTheAddress) {
  EXPECT_FALSE(send_expecting("127.0.0.1"));
  ASSERT_TRUE(run_until([&] { return received_.size() == 1; }));
}

TEST_F(TlsServerName, RefusesAServerWhoseCertificateIsForAnotherName) {
  EXPECT_TRUE(send_expecting("provider.example.net"));
  EXPECT_TRUE(run_until([&] { return sender_->connection_count() == 0; }));
  EXPECT_TRUE(received_.empty());
}

TEST_F(TlsServerName, DoesNotReuseAConnectionProvedForAnotherName) {
  EXPECT_FALSE(send_expecting("pbx.example.com"));
  EXPECT_TRUE(send_expecting("provider.example.net"));
  EXPECT_EQ(received_.size(), 1U);
}

TEST_F(TlsTransport, RefusesToStartATlsPortWithoutACertificate) {
  core::MetricsRegistry metrics;
  TransportConfig config = loopback_config();
  config.tls_port = 0;
  TransportLayer without_certificate(io_, config, metrics, clock_);
  const auto started = without_certificate.start();
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().message, "sip.tls_port is set but no TLS certificate was loaded");
}

} // namespace
} // namespace starling::sip::test
