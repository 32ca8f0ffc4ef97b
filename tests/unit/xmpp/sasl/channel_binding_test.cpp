// Tests of TLS channel bindings (RFC 5929, RFC 9266) over real in-memory TLS connections.
#include <memory>

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "net/self_signed_certificate.h"
#include "net/tls_openssl_handles.h"
#include "sasl_test_support.h"
#include "xmpp/sasl/channel_binding.h"
#include "xmpp/sasl/mechanisms.h"

namespace starling::xmpp::sasl {
namespace {

using testing::challenge_text;
using testing::failure_of;
using testing::ScramTestClient;
using testing::TestLookup;

using net::detail::EvpPkeyPtr;
using net::detail::SslCtxPtr;
using net::detail::SslPtr;
using net::detail::X509Ptr;

// A certificate and key like the one every Starling TLS port falls back to.
struct Identity {
  X509Ptr certificate;
  EvpPkeyPtr key;
};

std::optional<Identity> self_signed_identity() {
  const auto pem = net::create_self_signed_certificate("xmpp.example.com");
  if (!pem) {
    return std::nullopt;
  }
  const net::detail::BioPtr certificate(
      BIO_new_mem_buf(pem->certificate.data(), static_cast<int>(pem->certificate.size())));
  const net::detail::BioPtr key(
      BIO_new_mem_buf(pem->private_key.data(), static_cast<int>(pem->private_key.size())));
  Identity identity{X509Ptr(PEM_read_bio_X509(certificate.get(), nullptr, nullptr, nullptr)),
                    EvpPkeyPtr(PEM_read_bio_PrivateKey(key.get(), nullptr, nullptr, nullptr))};
  if (!identity.certificate || !identity.key) {
    return std::nullopt;
  }
  return identity;
}

// A client and a server connected through an in-memory BIO pair, handshake done.
struct TlsPair {
  SslCtxPtr server_context;
  SslCtxPtr client_context;
  SslPtr server;
  SslPtr client;
};

std::optional<TlsPair> connect(int max_version, std::uint64_t server_options = 0) {
  const auto identity = self_signed_identity();
  if (!identity) {
    return std::nullopt;
  }
  TlsPair pair{SslCtxPtr(SSL_CTX_new(TLS_server_method())),
               SslCtxPtr(SSL_CTX_new(TLS_client_method())), nullptr, nullptr};
  if (!pair.server_context || !pair.client_context ||
      SSL_CTX_use_certificate(pair.server_context.get(), identity->certificate.get()) != 1 ||
      SSL_CTX_use_PrivateKey(pair.server_context.get(), identity->key.get()) != 1 ||
      SSL_CTX_set_max_proto_version(pair.client_context.get(), max_version) != 1) {
    return std::nullopt;
  }
  SSL_CTX_set_options(pair.server_context.get(), server_options);
  SSL_CTX_set_options(pair.client_context.get(), server_options);
  pair.server.reset(SSL_new(pair.server_context.get()));
  pair.client.reset(SSL_new(pair.client_context.get()));
  BIO* server_end = nullptr;
  BIO* client_end = nullptr;
  if (!pair.server || !pair.client || BIO_new_bio_pair(&server_end, 0, &client_end, 0) != 1) {
    return std::nullopt;
  }
  SSL_set_bio(pair.server.get(), server_end, server_end);
  SSL_set_bio(pair.client.get(), client_end, client_end);
  SSL_set_accept_state(pair.server.get());
  SSL_set_connect_state(pair.client.get());
  bool server_done = false;
  bool client_done = false;
  for (int round = 0; round < 20 && !(server_done && client_done); ++round) {
    for (auto [ssl, done] :
         {std::pair{pair.client.get(), &client_done}, std::pair{pair.server.get(), &server_done}}) {
      if (*done) {
        continue;
      }
      const int result = SSL_do_handshake(ssl);
      if (result == 1) {
        *done = true;
      } else if (const int error = SSL_get_error(ssl, result);
                 error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) {
        return std::nullopt;
      }
    }
  }
  if (!server_done || !client_done) {
    return std::nullopt;
  }
  return pair;
}

TEST(ChannelBinding, Tls13OffersOnlyTlsExporterAndBothEndsAgreeOnIt) {
  auto pair = connect(TLS1_3_VERSION);
  ASSERT_TRUE(pair);
  ASSERT_EQ(SSL_version(pair->server.get()), TLS1_3_VERSION);
  const ChannelBindings server = channel_bindings(pair->server.get());
  const ChannelBindings client = channel_bindings(pair->client.get());
  ASSERT_EQ(server.size(), 1U);
  ASSERT_EQ(client.size(), 1U);
  EXPECT_EQ(server[0].type, ChannelBindingType::tls_exporter);
  EXPECT_EQ(server[0].data.size(), kTlsExporterLength);
  EXPECT_EQ(server[0].data, client[0].data);
  EXPECT_EQ(find_channel_binding(server, ChannelBindingType::tls_unique), nullptr);
  EXPECT_EQ(advertised_channel_binding_types(server),
            (std::vector<std::string_view>{"tls-exporter"}));
}

TEST(ChannelBinding, ExporterValueDiffersBetweenConnections) {
  auto one = connect(TLS1_3_VERSION);
  auto two = connect(TLS1_3_VERSION);
  ASSERT_TRUE(one && two);
  EXPECT_NE(channel_bindings(one->server.get())[0].data,
            channel_bindings(two->server.get())[0].data);
}

TEST(ChannelBinding, Tls12WithExtendedMasterSecretOffersExporterThenUnique) {
  auto pair = connect(TLS1_2_VERSION);
  ASSERT_TRUE(pair);
  ASSERT_EQ(SSL_version(pair->server.get()), TLS1_2_VERSION);
  const ChannelBindings server = channel_bindings(pair->server.get());
  const ChannelBindings client = channel_bindings(pair->client.get());
  ASSERT_EQ(server.size(), 2U);
  ASSERT_EQ(client.size(), 2U);
  EXPECT_EQ(server[0].type, ChannelBindingType::tls_exporter);
  EXPECT_EQ(server[1].type, ChannelBindingType::tls_unique);
  EXPECT_EQ(server[0].data, client[0].data);
  EXPECT_EQ(server[1].data, client[1].data);
  EXPECT_EQ(server[1].data.size(), 12U); // TLS 1.2 verify_data (RFC 5246 §7.4.9)
  EXPECT_EQ(advertised_channel_binding_types(server),
            (std::vector<std::string_view>{"tls-exporter", "tls-unique"}));
}

TEST(ChannelBinding, Tls12WithoutExtendedMasterSecretOffersNothing) {
  auto pair = connect(TLS1_2_VERSION, SSL_OP_NO_EXTENDED_MASTER_SECRET);
  ASSERT_TRUE(pair);
  EXPECT_TRUE(channel_bindings(pair->server.get()).empty());
  EXPECT_TRUE(channel_bindings(pair->client.get()).empty());
}

TEST(ChannelBinding, UnfinishedOrMissingConnectionOffersNothing) {
  EXPECT_TRUE(channel_bindings(nullptr).empty());
  const SslCtxPtr context(SSL_CTX_new(TLS_server_method()));
  const SslPtr ssl(SSL_new(context.get()));
  EXPECT_TRUE(channel_bindings(ssl.get()).empty());
}

TEST(ChannelBinding, TypeNamesRoundTrip) {
  for (const auto type : {ChannelBindingType::tls_exporter, ChannelBindingType::tls_unique}) {
    EXPECT_EQ(parse_channel_binding_type(to_string(type)), type);
  }
  EXPECT_FALSE(parse_channel_binding_type("tls-server-end-point"));
  EXPECT_FALSE(parse_channel_binding_type("TLS-EXPORTER"));
}

class ScramOverTls : public ::testing::Test {
protected:
  void SetUp() override { lookup_.add_user("user", "pencil", random_scram_salt()); }

  Mechanisms mechanisms(SSL* server) {
    return {lookup_, SaslSettings{.domain = "example.com", .fake_salt_secret = Bytes(32, 7)},
            StreamSecurity{.tls = true, .channel_bindings = channel_bindings(server)}};
  }

  static Step run(const Mechanisms& mechanisms, std::string_view name, ScramTestClient& client) {
    auto exchange = mechanisms.start(name, as_bytes(client.client_first()));
    if (!std::holds_alternative<Challenge>(exchange.step)) {
      return exchange.step;
    }
    return exchange.mechanism->step(as_bytes(client.client_final(challenge_text(exchange.step))));
  }

  TestLookup lookup_;
};

TEST_F(ScramOverTls, ScramSha256PlusSucceedsWithTheClientsOwnExporterValue) {
  auto pair = connect(TLS1_3_VERSION);
  ASSERT_TRUE(pair);
  const auto sasl = mechanisms(pair->server.get());
  EXPECT_EQ(sasl.offered().front(), "SCRAM-SHA-256-PLUS");
  ScramTestClient client{.gs2_header = "p=tls-exporter,,",
                         .channel_binding_data = channel_bindings(pair->client.get()).at(0).data};
  const Step result = run(sasl, "SCRAM-SHA-256-PLUS", client);
  EXPECT_TRUE(std::holds_alternative<Success>(result)) << challenge_text(result);
}

TEST_F(ScramOverTls, ExporterValueOfAnotherConnectionIsRefused) {
  auto pair = connect(TLS1_3_VERSION);
  auto other = connect(TLS1_3_VERSION);
  ASSERT_TRUE(pair && other);
  const auto sasl = mechanisms(pair->server.get());
  ScramTestClient client{.gs2_header = "p=tls-exporter,,",
                         .channel_binding_data = channel_bindings(other->client.get()).at(0).data};
  EXPECT_EQ(failure_of(run(sasl, "SCRAM-SHA-256-PLUS", client)), Condition::not_authorized);
}

TEST_F(ScramOverTls, TlsUniqueIsRefusedOnTls13) {
  auto pair = connect(TLS1_3_VERSION);
  ASSERT_TRUE(pair);
  const auto sasl = mechanisms(pair->server.get());
  EXPECT_EQ(sasl.channel_binding_types(), (std::vector<std::string_view>{"tls-exporter"}));
  ScramTestClient client{.gs2_header = "p=tls-unique,,"};
  EXPECT_EQ(failure_of(run(sasl, "SCRAM-SHA-256-PLUS", client)), Condition::not_authorized);
}

TEST_F(ScramOverTls, TlsUniqueBindsOnTls12) {
  auto pair = connect(TLS1_2_VERSION);
  ASSERT_TRUE(pair);
  const auto sasl = mechanisms(pair->server.get());
  ScramTestClient client{.hash = ScramHash::sha1,
                         .gs2_header = "p=tls-unique,,",
                         .channel_binding_data = channel_bindings(pair->client.get()).at(1).data};
  const Step result = run(sasl, "SCRAM-SHA-1-PLUS", client);
  EXPECT_TRUE(std::holds_alternative<Success>(result)) << challenge_text(result);
}

} // namespace
} // namespace starling::xmpp::sasl
