// Tests of the caps on open connections, total and per source address.
#include <gtest/gtest.h>

#include "http/connection_limiter.h"

namespace starling::http {
namespace {

namespace ip = boost::asio::ip;

class ConnectionLimiterTest : public ::testing::Test {
protected:
  core::MetricsRegistry registry_;
  HttpMetrics metrics_{registry_};
  ConnectionLimiter limiter_{3, 2, metrics_};
};

TEST_F(ConnectionLimiterTest, RefusesAThirdConnectionFromOneAddress) {
  const auto a = ip::make_address("192.0.2.1");
  auto first = limiter_.admit(a);
  auto second = limiter_.admit(a);
  EXPECT_TRUE(first && second);
  EXPECT_FALSE(limiter_.admit(a));
  // An IPv4 client on the dual-stack socket is the same client.
  EXPECT_FALSE(limiter_.admit(ip::make_address("::ffff:192.0.2.1")));
  EXPECT_NE(registry_.render().find("starling_http_rejected_total{reason=\"address_limit\"} 2"),
            std::string::npos);
}

TEST_F(ConnectionLimiterTest, RefusesConnectionsOverTheTotal) {
  auto a = limiter_.admit(ip::make_address("192.0.2.1"));
  auto b = limiter_.admit(ip::make_address("192.0.2.2"));
  auto c = limiter_.admit(ip::make_address("192.0.2.3"));
  EXPECT_FALSE(limiter_.admit(ip::make_address("192.0.2.4")));
  EXPECT_NE(registry_.render().find("starling_http_rejected_total{reason=\"connection_limit\"} 1"),
            std::string::npos);
}

TEST_F(ConnectionLimiterTest, MakesRoomWhenAConnectionCloses) {
  const auto a = ip::make_address("192.0.2.1");
  auto first = limiter_.admit(a);
  {
    auto second = limiter_.admit(a);
    EXPECT_EQ(limiter_.open(), 2U);
  }
  EXPECT_EQ(limiter_.open(), 1U);
  EXPECT_TRUE(limiter_.admit(a));
}

} // namespace
} // namespace starling::http
