// Tests of the TLS contexts and the self-signed certificate every TLS port falls back to.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "net/self_signed_certificate.h"
#include "net/tls_context.h"

namespace starling::net {
namespace {

namespace fs = std::filesystem;

class TlsContextTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "starling-tls-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
  }
  void TearDown() override { fs::remove_all(directory_); }

  static std::string read(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  fs::path directory_;
};

TEST_F(TlsContextTest, CreatesTheSelfSignedCertificateOnceAndReusesItAfter) {
  const auto first = ensure_self_signed_certificate(directory_ / "tls", "pbx.example.com");
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_TRUE(first->created);
  EXPECT_EQ(first->certificate_chain_file, directory_ / "tls" / "cert.pem");
  const std::string certificate = read(first->certificate_chain_file);
  const std::string key = read(first->private_key_file);

  const auto second = ensure_self_signed_certificate(directory_ / "tls", "pbx.example.com");
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_FALSE(second->created);
  EXPECT_EQ(read(second->certificate_chain_file), certificate);
  EXPECT_EQ(read(second->private_key_file), key);
}

TEST_F(TlsContextTest, WritesThePrivateKeyReadableByTheOwnerOnly) {
  const auto files = ensure_self_signed_certificate(directory_, "pbx");
  ASSERT_TRUE(files);
  EXPECT_EQ(fs::status(files->private_key_file).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
}

TEST_F(TlsContextTest, SelfSignedCertificateNamesTheHostAndLoopback) {
  const auto pem = create_self_signed_certificate("pbx.example.com");
  ASSERT_TRUE(pem) << pem.error().message;
  BIO* bio = BIO_new_mem_buf(pem->certificate.data(), static_cast<int>(pem->certificate.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  ASSERT_NE(cert, nullptr);
  EXPECT_EQ(X509_check_host(cert, "pbx.example.com", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_host(cert, "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(cert, "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(cert, "::1", 0), 1);
  EXPECT_EQ(X509_check_host(cert, "other.example.com", 0, 0, nullptr), 0);
  EXPECT_EQ(EVP_PKEY_get_base_id(X509_get0_pubkey(cert)), EVP_PKEY_EC);
  // About two years from now.
  int days = 0;
  int seconds = 0;
  ASSERT_EQ(ASN1_TIME_diff(&days, &seconds, nullptr, X509_get0_notAfter(cert)), 1);
  EXPECT_GT(days, 700);
  EXPECT_LT(days, 740);
  X509_free(cert);
}

TEST_F(TlsContextTest, ServerContextRequiresTls12AndUsesTheSelfSignedCertificate) {
  auto context = make_tls_server_context({{}, {}, directory_ / "tls", "pbx"});
  ASSERT_TRUE(context) << context.error().message;
  SSL_CTX* native = context->native_handle();
  EXPECT_EQ(SSL_CTX_get_min_proto_version(native), TLS1_2_VERSION);
  EXPECT_NE(SSL_CTX_get_options(native) & SSL_OP_NO_COMPRESSION, 0U);
  EXPECT_NE(SSL_CTX_get_options(native) & SSL_OP_NO_RENEGOTIATION, 0U);
  EXPECT_NE(SSL_CTX_get0_certificate(native), nullptr);
  EXPECT_TRUE(fs::exists(directory_ / "tls" / "key.pem"));
}

TEST_F(TlsContextTest, ServerContextLoadsConfiguredPemFiles) {
  const auto files = ensure_self_signed_certificate(directory_ / "own", "pbx");
  ASSERT_TRUE(files);
  const auto context = make_tls_server_context(
      {files->certificate_chain_file, files->private_key_file, directory_ / "unused", ""});
  ASSERT_TRUE(context) << context.error().message;
  EXPECT_FALSE(fs::exists(directory_ / "unused"));
}

TEST_F(TlsContextTest, NamesTheMissingCertificateFile) {
  const fs::path missing = directory_ / "missing.pem";
  const auto context = make_tls_server_context({missing, missing, {}, ""});
  ASSERT_FALSE(context);
  EXPECT_EQ(context.error().message, "the TLS certificate chain " + missing.string() +
                                         " cannot be read: No such file or directory");
}

TEST_F(TlsContextTest, RefusesACertificateWithoutItsKey) {
  const auto context = make_tls_server_context({directory_ / "cert.pem", {}, {}, ""});
  ASSERT_FALSE(context);
  EXPECT_NE(context.error().message.find("configure both files"), std::string::npos);
}

TEST_F(TlsContextTest, RefusesAKeyThatDoesNotBelongToTheCertificate) {
  const auto one = ensure_self_signed_certificate(directory_ / "one", "pbx");
  const auto two = ensure_self_signed_certificate(directory_ / "two", "pbx");
  ASSERT_TRUE(one && two);
  const auto context =
      make_tls_server_context({one->certificate_chain_file, two->private_key_file, {}, ""});
  ASSERT_FALSE(context);
  EXPECT_NE(context.error().message.find("does not belong to the certificate"), std::string::npos);
}

TEST_F(TlsContextTest, RefusesAFileThatIsNotPem) {
  const fs::path junk = directory_ / "junk.pem";
  std::ofstream(junk) << "not a certificate\n";
  const auto files = ensure_self_signed_certificate(directory_, "pbx");
  ASSERT_TRUE(files);
  const auto context = make_tls_server_context({junk, files->private_key_file, {}, ""});
  ASSERT_FALSE(context);
  EXPECT_NE(context.error().message.find(junk.string() + " is not a PEM certificate chain"),
            std::string::npos);
}

TEST_F(TlsContextTest, ClientContextVerifiesPeersUnlessToldNotTo) {
  auto verifying = make_tls_client_context({});
  ASSERT_TRUE(verifying) << verifying.error().message;
  EXPECT_EQ(SSL_CTX_get_verify_mode(verifying->native_handle()), SSL_VERIFY_PEER);
  auto trusting = make_tls_client_context({.verify_peer = false, .ca_file = {}});
  ASSERT_TRUE(trusting);
  EXPECT_EQ(SSL_CTX_get_verify_mode(trusting->native_handle()), SSL_VERIFY_NONE);
  EXPECT_EQ(SSL_CTX_get_min_proto_version(trusting->native_handle()), TLS1_2_VERSION);
}

TEST_F(TlsContextTest, ClientContextNamesAMissingCaFile) {
  const auto context = make_tls_client_context({.verify_peer = true, .ca_file = directory_ / "ca"});
  ASSERT_FALSE(context);
  EXPECT_NE(context.error().message.find((directory_ / "ca").string()), std::string::npos);
}

} // namespace
} // namespace starling::net
