// /system: version, ports, certificates, health and metrics, and who may read them.
#include <boost/json/array.hpp>

#include "api_fixture.h"
#include "net/self_signed_certificate.h"

namespace starling::api {
namespace {

TEST_F(ApiTest, HealthIsOpenToEveryone) {
  const auto response = send(http::Verb::get, "/api/v1/system/health");
  ASSERT_EQ(response.result(), http::Status::ok);
  EXPECT_EQ(json(response).at("status"), "ok");
}

TEST_F(ApiTest, SystemSaysTheVersionAndUptime) {
  const auto alice = log_in("alice");
  clock_.advance(std::chrono::seconds(90));
  const auto response = as(alice, http::Verb::get, "/api/v1/system");
  ASSERT_EQ(response.result(), http::Status::ok);
  EXPECT_FALSE(json(response).at("version").as_string().empty());
  EXPECT_EQ(json(response).at("started_at"), "2026-01-01T00:00:00Z");
  EXPECT_EQ(json(response).at("uptime_seconds"), 90);
}

TEST_F(ApiTest, PortsCertificatesAndMetricsAreForAdministrators) {
  const auto alice = log_in("alice");
  for (const auto* path :
       {"/api/v1/system/ports", "/api/v1/system/certificates", "/api/v1/system/metrics"}) {
    EXPECT_EQ(as(alice, http::Verb::get, path).result(), http::Status::forbidden) << path;
  }
  const auto boss = log_in("boss");
  const auto ports = as(boss, http::Verb::get, "/api/v1/system/ports");
  ASSERT_EQ(ports.result(), http::Status::ok);
  EXPECT_EQ(json(ports).at(0).at("service"), "sip");
  EXPECT_EQ(json(ports).at(0).at("first_port"), 5060);

  metrics_.counter("starling_test_total", "A test counter").increment(3);
  const auto metrics = as(boss, http::Verb::get, "/api/v1/system/metrics");
  ASSERT_EQ(metrics.result(), http::Status::ok);
  EXPECT_TRUE(metrics[http::Field::content_type].starts_with("text/plain; version=0.0.4"));
  EXPECT_NE(metrics.body().find("starling_test_total 3"), std::string::npos) << metrics.body();
}

TEST_F(ApiTest, CertificatesDescribeTheSelfSignedCertificate) {
  config_.data_dir = data_dir_;
  ASSERT_TRUE(net::ensure_self_signed_certificate(data_dir_ / "tls", "pbx.test"));
  const auto response = as(log_in("boss"), http::Verb::get, "/api/v1/system/certificates");
  ASSERT_EQ(response.result(), http::Status::ok) << response.body();
  const auto first = json(response).at(0).as_object();
  EXPECT_EQ(first.at("subject"), "CN=pbx.test,O=Starling (self-signed)");
  EXPECT_EQ(first.at("issuer"), first.at("subject"));
  EXPECT_EQ(first.at("self_signed"), true);
  // The fixture's clock says 2026-01-01, before the certificate made now expires.
  EXPECT_GT(first.at("days_left").as_int64(), 700);
}

TEST_F(ApiTest, AMissingCertificateIsReportedNotFailed) {
  config_.tls.certificate = (data_dir_ / "missing.pem").string();
  const auto response = as(log_in("boss"), http::Verb::get, "/api/v1/system/certificates");
  ASSERT_EQ(response.result(), http::Status::ok);
  EXPECT_NE(json(response).at(0).at("error").as_string().find("missing.pem"), std::string::npos);
}

} // namespace
} // namespace starling::api
