#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <gtest/gtest.h>

#include "core/clock.h"
#include "dnsmasq_process.h"
#include "net/sip_locator.h"

namespace starling::net {
namespace {

namespace ip = boost::asio::ip;
using namespace std::chrono_literals;
using testing::DnsmasqProcess;

constexpr auto kTimeout = 2s;

// provider.test: NAPTR -> SRV -> A/AAAA, with an SCTP service Starling must skip.
// srv-only.test: SRV records without NAPTR. plain.test: only an address.
// down.test: "_sip._udp" says "not here" (target ".").
const std::vector<std::string> kRecords{
    "--naptr-record=provider.test,5,10,s,SIP+D2S,,_sip._sctp.provider.test",
    "--naptr-record=provider.test,10,10,s,SIP+D2T,,_sip._tcp.provider.test",
    "--naptr-record=provider.test,20,10,s,SIP+D2U,,_sip._udp.provider.test",
    "--srv-host=_sip._sctp.provider.test,sctp.provider.test,5060,10,0",
    "--srv-host=_sip._tcp.provider.test,backup.provider.test,5080,20,0",
    "--srv-host=_sip._tcp.provider.test,primary.provider.test,5070,10,0",
    "--srv-host=_sip._udp.provider.test,udp.provider.test,5090,10,0",
    "--host-record=primary.provider.test,127.0.0.11",
    "--host-record=backup.provider.test,127.0.0.12",
    "--host-record=udp.provider.test,127.0.0.13,::1",
    "--host-record=sctp.provider.test,127.0.0.14",
    "--srv-host=_sips._tcp.srv-only.test,tls.srv-only.test,5061,10,0",
    "--srv-host=_sip._udp.srv-only.test,udp.srv-only.test,5060,10,0",
    "--host-record=tls.srv-only.test,127.0.0.21",
    "--host-record=udp.srv-only.test,127.0.0.22",
    "--host-record=plain.test,127.0.0.31",
    "--srv-host=_sip._udp.down.test",
    "--host-record=down.test,127.0.0.41",
};

// Always the first record that the draw allows: the weights do not matter for these records.
SrvRandom zero_random() {
  return [](std::uint32_t /*upper*/) { return 0U; };
}

struct Harness {
  explicit Harness(const std::string& dns_server, std::chrono::milliseconds timeout = kTimeout)
      : locator(std::make_unique<SipLocator>(io, dns_server, timeout, clock, zero_random())) {}

  SipLocation locate(SipServerName name) {
    std::optional<SipLocation> result;
    locator->resolve(std::move(name), [&result](SipLocation location) { result = location; });
    io.restart();
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!result && std::chrono::steady_clock::now() < deadline) {
      io.run_one_for(100ms);
    }
    return result.value_or(std::unexpected(std::string("the test gave up waiting")));
  }

  boost::asio::io_context io;
  core::ManualClock clock;
  std::unique_ptr<SipLocator> locator;
};

SipServerName domain(std::string host) {
  return {std::move(host), std::nullopt, std::nullopt};
}

// A "DNS server" that never answers: a bound UDP socket nobody reads.
struct SilentServer {
  explicit SilentServer(boost::asio::io_context& io)
      : socket(io, ip::udp::endpoint(ip::make_address("127.0.0.1"), 0)) {}
  [[nodiscard]] std::string address() const {
    return "127.0.0.1:" + std::to_string(socket.local_endpoint().port());
  }
  ip::udp::socket socket;
};

TEST(SipLocator, FollowsNaptrToSrvToAddresses) {
  const DnsmasqProcess dns(kRecords);
  Harness harness(dns.address());
  const auto location = harness.locate(domain("provider.test"));
  ASSERT_TRUE(location) << location.error();
  // SCTP is skipped; TCP (NAPTR order 10) before UDP (order 20); within TCP, SRV priority 10
  // before 20; udp.provider.test has an IPv4 and an IPv6 address, in the order c-ares sorts.
  ASSERT_EQ(location->size(), 4U);
  EXPECT_EQ((*location)[0], (SipServerTarget{SipTransport::tcp, "127.0.0.11", 5070}));
  EXPECT_EQ((*location)[1], (SipServerTarget{SipTransport::tcp, "127.0.0.12", 5080}));
  const std::vector<SipServerTarget> udp(location->begin() + 2, location->end());
  EXPECT_NE(
      std::find(udp.begin(), udp.end(), SipServerTarget{SipTransport::udp, "127.0.0.13", 5090}),
      udp.end());
  EXPECT_NE(std::find(udp.begin(), udp.end(), SipServerTarget{SipTransport::udp, "::1", 5090}),
            udp.end());
}

TEST(SipLocator, AsksOnlyTheGivenTransportsSrvRecords) {
  const DnsmasqProcess dns(kRecords);
  Harness harness(dns.address());
  const auto location = harness.locate({"provider.test", std::nullopt, SipTransport::tcp});
  ASSERT_TRUE(location) << location.error();
  EXPECT_EQ(*location, (std::vector<SipServerTarget>{{SipTransport::tcp, "127.0.0.11", 5070},
                                                     {SipTransport::tcp, "127.0.0.12", 5080}}));
}

TEST(SipLocator, AsksSrvRecordsOfEveryTransportWhenThereIsNoNaptr) {
  const DnsmasqProcess dns(kRecords);
  Harness harness(dns.address());
  const auto location = harness.locate(domain("srv-only.test"));
  ASSERT_TRUE(location) << location.error();
  EXPECT_EQ(*location, (std::vector<SipServerTarget>{{SipTransport::tls, "127.0.0.21", 5061},
                                                     {SipTransport::udp, "127.0.0.22", 5060}}));
}

TEST(SipLocator, AsksOnlyForTlsForASipsUri) {
  const DnsmasqProcess dns(kRecords);
  Harness harness(dns.address());
  auto name = domain("srv-only.test");
  name.secure = true;
  const auto location = harness.locate(name);
  ASSERT_TRUE(location) << location.error();
  EXPECT_EQ(*location, (std::vector<SipServerTarget>{{SipTransport::tls, "127.0.0.21", 5061}}));
}

TEST(SipLocator, UsesOnlyAddressRecordsWhenThePortIsGiven) {
  const DnsmasqProcess dns(kRecords);
  Harness harness(dns.address());
  const auto location = harness.locate({"primary.provider.test", 5099, std::nullopt});
  ASSERT_TRUE(location) << location.error();
  EXPECT_EQ(*location, (std::vector<SipServerTarget>{{SipTransport::udp, "127.0.0.11", 5099}}));
  // provider.test has NAPTR and SRV records but no address: a port means A/AAAA only.
  const auto without_address = harness.locate({"provider.test", 5060, std::nullopt});
  ASSERT_FALSE(without_address);
  EXPECT_NE(without_address.error().find("no A/AAAA records for provider.test"), std::string::npos)
      << without_address.error();
}

TEST(SipLocator, UsesTheDomainsAddressOnTheDefaultPortWithoutSrvRecords) {
  const DnsmasqProcess dns(kRecords);
  Harness harness(dns.address());
  EXPECT_EQ(harness.locate(domain("plain.test")),
            (std::vector<SipServerTarget>{{SipTransport::udp, "127.0.0.31", 5060}}));
  EXPECT_EQ(harness.locate({"plain.test", std::nullopt, std::nullopt, true}),
            (std::vector<SipServerTarget>{{SipTransport::tls, "127.0.0.31", 5061}}));
}

TEST(SipLocator, UsesAnIpLiteralAsItIsWithoutAskingTheDns) {
  boost::asio::io_context silent_io;
  const SilentServer silent(silent_io);
  Harness harness(silent.address());
  EXPECT_EQ(harness.locate(domain("127.0.0.1")),
            (std::vector<SipServerTarget>{{SipTransport::udp, "127.0.0.1", 5060}}));
  EXPECT_EQ(harness.locate({"[::1]", std::nullopt, SipTransport::tls}),
            (std::vector<SipServerTarget>{{SipTransport::tls, "::1", 5061}}));
  EXPECT_EQ(harness.locate({"::1", 5070, SipTransport::tcp}),
            (std::vector<SipServerTarget>{{SipTransport::tcp, "::1", 5070}}));
  EXPECT_EQ(harness.locate({"127.0.0.1", std::nullopt, std::nullopt, true}),
            (std::vector<SipServerTarget>{{SipTransport::tls, "127.0.0.1", 5061}}));
}

TEST(SipLocator, RefusesUdpForASipsUri) {
  Harness harness("127.0.0.1:53");
  const auto location = harness.locate({"127.0.0.1", std::nullopt, SipTransport::udp, true});
  ASSERT_FALSE(location);
  EXPECT_NE(location.error().find("SIPS needs TLS"), std::string::npos) << location.error();
}

TEST(SipLocator, ReportsANameThatDoesNotExist) {
  const DnsmasqProcess dns(kRecords);
  Harness harness(dns.address());
  const auto location = harness.locate(domain("nowhere.test"));
  ASSERT_FALSE(location);
  EXPECT_NE(location.error().find("no NAPTR, SRV or A/AAAA records for nowhere.test"),
            std::string::npos)
      << location.error();
}

TEST(SipLocator, ReportsAServiceThatIsDecidedlyNotAvailable) {
  const DnsmasqProcess dns(kRecords);
  Harness harness(dns.address());
  const auto location = harness.locate({"down.test", std::nullopt, SipTransport::udp});
  ASSERT_FALSE(location);
  EXPECT_NE(location.error().find("decidedly not available at down.test"), std::string::npos)
      << location.error();
}

TEST(SipLocator, AnswersFromTheCacheWithinTheTtlOnceTheServerHasGone) {
  DnsmasqProcess dns(kRecords, 300);
  Harness harness(dns.address());
  const auto first = harness.locate(domain("provider.test"));
  ASSERT_TRUE(first) << first.error();
  dns.stop();
  harness.clock.advance(299s);
  EXPECT_EQ(harness.locate(domain("provider.test")), first);
  harness.clock.advance(2s);
  EXPECT_FALSE(harness.locate(domain("provider.test")));
}

TEST(SipLocator, RemembersThatANameDoesNotExistForAShortWhile) {
  DnsmasqProcess dns(kRecords);
  Harness harness(dns.address());
  const auto first = harness.locate(domain("nowhere.test"));
  ASSERT_FALSE(first);
  dns.stop();
  EXPECT_EQ(harness.locate(domain("nowhere.test")), first);
}

TEST(SipLocator, CallsBackLaterEvenWhenTheAnswerIsCached) {
  const DnsmasqProcess dns(kRecords);
  Harness harness(dns.address());
  ASSERT_TRUE(harness.locate(domain("plain.test")));
  bool called = false;
  harness.locator->resolve(domain("plain.test"), [&called](const SipLocation&) { called = true; });
  EXPECT_FALSE(called);
  harness.io.restart();
  harness.io.run_for(100ms);
  EXPECT_TRUE(called);
}

TEST(SipLocator, ReportsADnsServerThatDoesNotAnswer) {
  boost::asio::io_context silent_io;
  const SilentServer silent(silent_io);
  Harness harness(silent.address(), 300ms);
  const auto started = std::chrono::steady_clock::now();
  const auto location = harness.locate(domain("provider.test"));
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(location);
  EXPECT_NE(
      location.error().find("DNS server " + silent.address() + " did not answer within 0.3 s"),
      std::string::npos)
      << location.error();
  EXPECT_LT(took, 2s);
}

TEST(SipLocator, LocatesSeveralNamesAtOnce) {
  const DnsmasqProcess dns(kRecords);
  Harness harness(dns.address());
  std::vector<std::optional<SipLocation>> results(4);
  const std::vector<std::string> names{"provider.test", "srv-only.test", "plain.test",
                                       "nowhere.test"};
  for (std::size_t i = 0; i < names.size(); ++i) {
    harness.locator->resolve(domain(names[i]),
                             [&results, i](SipLocation location) { results[i] = location; });
  }
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::any_of(results.begin(), results.end(), [](const auto& r) { return !r; }) &&
         std::chrono::steady_clock::now() < deadline) {
    harness.io.run_one_for(100ms);
  }
  ASSERT_TRUE(results[0] && results[1] && results[2] && results[3]);
  EXPECT_EQ(results[0]->value().size(), 4U);
  EXPECT_EQ(results[1]->value().size(), 2U);
  EXPECT_EQ(results[2]->value().size(), 1U);
  EXPECT_FALSE(*results[3]);
}

TEST(SipLocator, NeverCallsBackOnceDestroyedWithLocationsInFlight) {
  boost::asio::io_context silent_io;
  const SilentServer silent(silent_io);
  Harness harness(silent.address(), 300ms);
  bool called = false;
  harness.locator->resolve(domain("provider.test"),
                           [&called](const SipLocation&) { called = true; });
  harness.io.run_for(50ms); // the NAPTR query is on its way
  harness.locator.reset();
  harness.io.restart();
  harness.io.run_for(500ms);
  EXPECT_FALSE(called);
}

} // namespace
} // namespace starling::net
