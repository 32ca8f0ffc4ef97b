#include <gtest/gtest.h>

#include "core/config_loader.h"

namespace starling::core {
namespace {

ConfigError error_of(std::string_view text) {
  auto parsed = parse_config(text, "test.toml");
  EXPECT_FALSE(parsed.has_value()) << "expected an error for: " << text;
  return parsed ? ConfigError{} : parsed.error();
}

TEST(ConfigLoader, EmptyTextGivesEveryBuiltInDefault) {
  auto config = parse_config("", "test.toml");
  ASSERT_TRUE(config.has_value());
  EXPECT_EQ(config->sip.udp_port, 5060);
  EXPECT_EQ(config->sip.tls_port, 5061);
  EXPECT_EQ(config->http.https_port, 443);
  EXPECT_EQ(config->media.rtp_port_min, 10000);
  EXPECT_EQ(config->media.rtp_port_max, 20000);
  EXPECT_EQ(config->data_dir, "var");
  EXPECT_FALSE(config->federation.enabled);
}

TEST(ConfigLoader, ReadsValuesFromEverySection) {
  auto config = parse_config(R"(
data_dir = "/srv/starling"
[log]
level = "debug"
format = "json"
[network]
address = "127.0.0.1"
port_offset = 100
[sip]
udp_port = 5070
realm = "pbx.example.com"
[media]
rtp_port_min = 30000
rtp_port_max = 30100
[federation]
enabled = true
)",
                             "test.toml");
  ASSERT_TRUE(config.has_value()) << config.error().to_string();
  EXPECT_EQ(config->data_dir, "/srv/starling");
  EXPECT_EQ(config->log.format, LogFormat::json);
  EXPECT_EQ(config->log.level, "debug");
  EXPECT_EQ(config->sip.udp_port, 5070);
  EXPECT_EQ(config->listen_port(config->sip.udp_port), 5170);
  EXPECT_EQ(config->listen_address(config->sip.address), "127.0.0.1");
  EXPECT_EQ(config->sip.realm, "pbx.example.com");
  EXPECT_EQ(config->media.rtp_port_max, 30100);
  EXPECT_TRUE(config->federation.enabled);
}

TEST(ConfigLoader, UnknownKeyIsNamedWithItsLine) {
  const auto error = error_of("[sip]\nudp_port = 5060\nudp_prot = 5070\n");
  EXPECT_EQ(error.line, 3U);
  EXPECT_EQ(error.key, "sip.udp_prot");
  EXPECT_EQ(error.to_string(),
            "test.toml:3: sip.udp_prot: unknown key; docs/configuration.md lists every key");
}

TEST(ConfigLoader, UnknownSectionIsAnUnknownKey) {
  const auto error = error_of("[sipp]\nudp_port = 5060\n");
  EXPECT_EQ(error.key, "sipp");
  EXPECT_EQ(error.line, 1U);
}

TEST(ConfigLoader, OutOfRangePortNamesKeyLineAndValue) {
  const auto error = error_of("\n[http]\nhttps_port = 70000\n");
  EXPECT_EQ(error.to_string(),
            "test.toml:3: http.https_port: expected an integer from 1 to 65535, got 70000");
}

TEST(ConfigLoader, WrongTypeIsRejected) {
  EXPECT_EQ(error_of("[sip]\nenabled = \"yes\"\n").key, "sip.enabled");
  EXPECT_EQ(error_of("[sip]\nudp_port = \"5060\"\n").key, "sip.udp_port");
  EXPECT_EQ(error_of("[sip]\nudp_port = 5060.0\n").key, "sip.udp_port");
  EXPECT_EQ(error_of("data_dir = 3\n").key, "data_dir");
}

TEST(ConfigLoader, BadEnumerationsAndAddressesAreRejected) {
  EXPECT_EQ(error_of("[log]\nlevel = \"loud\"\n").key, "log.level");
  EXPECT_EQ(error_of("[log]\nformat = \"xml\"\n").key, "log.format");
  EXPECT_EQ(error_of("[network]\naddress = \"localhost\"\n").key, "network.address");
  EXPECT_EQ(error_of("[sip]\naddress = \"10.0.0.300\"\n").key, "sip.address");
  EXPECT_EQ(error_of("[store]\nurl = \"mysql://x\"\n").key, "store.url");
  EXPECT_EQ(error_of("[sip]\nrealm = \"\"\n").key, "sip.realm");
}

TEST(ConfigLoader, TimeAndDnsServersAreEmptyUntilConfigured) {
  const auto defaults = parse_config("", "test.toml");
  ASSERT_TRUE(defaults.has_value());
  EXPECT_TRUE(defaults->network.ntp_servers.empty());
  EXPECT_TRUE(defaults->network.dns_server.empty());
  const auto config =
      parse_config("[network]\nntp_servers = [\"ntp.example.com\", \"127.0.0.1:1123\"]\n"
                   "dns_server = \"127.0.0.1:5353\"\n[media]\nexpected_calls = 20\n",
                   "test.toml");
  ASSERT_TRUE(config.has_value());
  EXPECT_EQ(config->network.ntp_servers,
            (std::vector<std::string>{"ntp.example.com", "127.0.0.1:1123"}));
  EXPECT_EQ(config->network.dns_server, "127.0.0.1:5353");
  EXPECT_EQ(config->media.expected_calls, 20U);
  EXPECT_EQ(error_of("[network]\nntp_servers = \"ntp.example.com\"\n").key, "network.ntp_servers");
  EXPECT_EQ(error_of("[network]\nntp_servers = [\"\"]\n").key, "network.ntp_servers");
  EXPECT_EQ(error_of("[network]\nntp_servers = [\"a b\"]\n").key, "network.ntp_servers");
}

TEST(ConfigLoader, ChatHistoryIsKeptAYearUnlessConfigured) {
  const auto defaults = parse_config("", "test.toml");
  ASSERT_TRUE(defaults.has_value());
  EXPECT_EQ(defaults->xmpp.archive_retention_days, 365U);
  const auto forever = parse_config("[xmpp]\narchive_retention_days = 0\n", "test.toml");
  ASSERT_TRUE(forever.has_value());
  EXPECT_EQ(forever->xmpp.archive_retention_days, 0U);
  EXPECT_EQ(error_of("[xmpp]\narchive_retention_days = -1\n").key, "xmpp.archive_retention_days");
}

TEST(ConfigLoader, SyntaxErrorNamesTheLine) {
  const auto error = error_of("[sip]\nudp_port = = 5\n");
  EXPECT_EQ(error.line, 2U);
  EXPECT_TRUE(error.key.empty());
}

TEST(ConfigLoader, FirstErrorInFileOrderIsReported) {
  const auto error = error_of("[xmpp]\ntls_port = 0\n[sip]\nbogus = 1\n");
  EXPECT_EQ(error.key, "xmpp.tls_port");
}

TEST(ConfigLoader, EmptyRtpRangeIsRejectedAtItsUpperBound) {
  const auto error = error_of("[media]\nrtp_port_min = 20000\nrtp_port_max = 20000\n");
  EXPECT_EQ(error.key, "media.rtp_port_max");
  EXPECT_EQ(error.line, 3U);
}

TEST(ConfigLoader, PortOffsetThatPushesAPortPast65535IsRejected) {
  const auto error = error_of("[network]\nport_offset = 16000\n");
  EXPECT_EQ(error.key, "network.port_offset");
  EXPECT_EQ(error.line, 2U);
  EXPECT_NE(error.message.find("provisioning.http_port"), std::string::npos);
}

TEST(ConfigLoader, MissingFileIsAnError) {
  auto loaded = load_config_file("/nonexistent/starling.toml");
  ASSERT_FALSE(loaded.has_value());
  EXPECT_NE(loaded.error().to_string().find("/nonexistent/starling.toml"), std::string::npos);
}

} // namespace
} // namespace starling::core
