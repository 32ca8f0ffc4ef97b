// Tests of a call's media session on a real relay on loopback: the SDP each phone is sent,
// hold detection, media activity and the release of ports.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/metrics.h"
#include "loopback_relay.h"
#include "media/sdp.h"
#include "pbx/media_session.h"

namespace starling::pbx {
namespace {

namespace ip = boost::asio::ip;
using namespace std::chrono_literals;

constexpr auto kPatience = 3s; // passing tests never wait this long
constexpr std::string_view kRelayAddress = "192.0.2.1";

bool wait_until(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) {
      return false;
    }
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

// A phone's SDP with its media on loopback (so that nothing relayed leaves the host).
std::string phone_sdp(std::uint16_t port, std::string_view direction = "sendrecv",
                      std::string_view session_id = "1001") {
  return fmt::format("v=0\r\n"
                     "o=phone {} 1 IN IP4 127.0.0.1\r\n"
                     "s=-\r\n"
                     "c=IN IP4 127.0.0.1\r\n"
                     "t=0 0\r\n"
                     "m=audio {} RTP/AVP 0 101\r\n"
                     "a=rtpmap:101 telephone-event/8000\r\n"
                     "a={}\r\n",
                     session_id, port, direction);
}

struct Sent {
  std::string address;
  std::uint16_t port = 0;
  std::string origin_version;
  std::string origin_session;
  media::MediaDirection direction = media::MediaDirection::sendrecv;
};

Sent describe(const std::string& sdp) {
  const auto parsed = media::parse_sdp(sdp);
  EXPECT_TRUE(parsed.has_value()) << sdp;
  if (!parsed || parsed->media.empty()) {
    return {};
  }
  const auto& stream = parsed->media.front();
  return {std::string(stream.connection_address), stream.port,
          parsed->origin ? std::string(parsed->origin->session_version) : "",
          parsed->origin ? std::string(parsed->origin->session_id) : "", stream.direction};
}

class MediaSessionTest : public testing::Test {
protected:
  void SetUp() override {
    auto started = test::start_loopback_relay(metrics_, 8);
    ASSERT_TRUE(started.relay) << "no free window of relay ports";
    relay_ = std::move(started.relay);
    port_min_ = started.port_min;
    port_max_ = started.port_max;
  }
  void TearDown() override {
    if (relay_) {
      relay_->stop();
    }
  }

  bool in_range(std::uint16_t port) const { return port >= port_min_ && port <= port_max_; }

  // The caller's offer through the session; returns the SDP for the callee.
  std::string offer(MediaSession& session, std::string_view direction = "sendrecv") {
    auto sdp =
        session.relay(media::Side::a, phone_sdp(40000, direction), "127.0.0.1", kRelayAddress);
    EXPECT_TRUE(sdp.has_value()) << sdp.error();
    return sdp.value_or("");
  }
  std::string answer(MediaSession& session, std::string_view direction = "sendrecv") {
    auto sdp = session.relay(media::Side::b, phone_sdp(40010, direction, "2002"), "127.0.0.1",
                             kRelayAddress);
    EXPECT_TRUE(sdp.has_value()) << sdp.error();
    return sdp.value_or("");
  }

  core::MetricsRegistry metrics_;
  std::unique_ptr<media::MediaRelay> relay_;
  std::uint16_t port_min_ = 0;
  std::uint16_t port_max_ = 0;
};

TEST_F(MediaSessionTest, SendsTheCalleeAnOfferNamingTheRelayInsteadOfTheCaller) {
  MediaSession session(*relay_);
  const Sent to_callee = describe(offer(session));
  EXPECT_EQ(to_callee.address, kRelayAddress);
  EXPECT_TRUE(in_range(to_callee.port)) << to_callee.port;
  EXPECT_EQ(to_callee.port % 2, 0);
  EXPECT_EQ(relay_->open_streams(), 1U);
}

TEST_F(MediaSessionTest, SendsTheCallerTheAnswerWithTheRelayPortOfItsOwnSide) {
  MediaSession session(*relay_);
  const Sent to_callee = describe(offer(session));
  const Sent to_caller = describe(answer(session));
  EXPECT_EQ(to_caller.address, kRelayAddress);
  EXPECT_TRUE(in_range(to_caller.port)) << to_caller.port;
  EXPECT_NE(to_caller.port, to_callee.port);
  EXPECT_EQ(relay_->open_streams(), 1U); // both directions of one m= line share a stream
}

TEST_F(MediaSessionTest, KeepsTheSamePortsAcrossARenegotiation) {
  MediaSession session(*relay_);
  const Sent first = describe(offer(session));
  (void)answer(session);
  const Sent second = describe(offer(session));
  EXPECT_EQ(second.port, first.port);
  EXPECT_EQ(relay_->open_streams(), 1U);
}

TEST_F(MediaSessionTest, RaisesTheOriginVersionOfEachDirectionWithEveryDescription) {
  MediaSession session(*relay_);
  const Sent first = describe(offer(session));
  const Sent second = describe(offer(session));
  EXPECT_EQ(second.origin_session, first.origin_session);
  EXPECT_EQ(std::stoull(second.origin_version), std::stoull(first.origin_version) + 1);
}

TEST_F(MediaSessionTest, SeesHoldWhenAPhoneSendsSendonlyAndResumeWithSendrecv) {
  MediaSession session(*relay_);
  (void)offer(session);
  (void)answer(session);
  EXPECT_FALSE(session.held());
  const Sent hold = describe(offer(session, "sendonly"));
  EXPECT_TRUE(session.held());
  EXPECT_EQ(hold.direction, media::MediaDirection::sendonly); // the callee learns of it
  (void)answer(session, "recvonly");
  EXPECT_TRUE(session.held());
  (void)offer(session, "sendrecv");
  (void)answer(session, "sendrecv");
  EXPECT_FALSE(session.held());
}

TEST_F(MediaSessionTest, SeesHoldWhenAPhoneSetsItsStreamInactive) {
  MediaSession session(*relay_);
  (void)offer(session);
  (void)answer(session, "inactive");
  EXPECT_TRUE(session.held());
}

TEST_F(MediaSessionTest, NoticesPacketsSentToTheRelay) {
  MediaSession session(*relay_);
  const Sent to_callee = describe(offer(session));
  (void)answer(session);
  EXPECT_FALSE(session.packets_arrived());

  boost::asio::io_context io;
  ip::udp::socket callee(io, ip::udp::endpoint(ip::make_address("127.0.0.1"), 0));
  const std::string rtp("\x80\x00\x00\x01\x00\x00\x00\xa0\x12\x34\x56\x78", 12);
  callee.send_to(boost::asio::buffer(rtp),
                 ip::udp::endpoint(ip::make_address("127.0.0.1"), to_callee.port));
  EXPECT_TRUE(wait_until([&] { return session.packets_arrived(); }));
  EXPECT_FALSE(session.packets_arrived()); // nothing new since
}

TEST_F(MediaSessionTest, RefusesAnUnparseableDescription) {
  MediaSession session(*relay_);
  const auto refused = session.relay(media::Side::a, "not sdp", "127.0.0.1", kRelayAddress);
  ASSERT_FALSE(refused.has_value());
  EXPECT_FALSE(refused.error().empty());
  EXPECT_EQ(relay_->open_streams(), 0U);
}

TEST_F(MediaSessionTest, OpensNoStreamForARejectedMediaLine) {
  MediaSession session(*relay_);
  auto sdp = phone_sdp(40000) + "m=video 0 RTP/AVP 96\r\n";
  const auto relayed = session.relay(media::Side::a, sdp, "127.0.0.1", kRelayAddress);
  ASSERT_TRUE(relayed.has_value()) << relayed.error();
  const auto parsed = media::parse_sdp(*relayed);
  ASSERT_TRUE(parsed.has_value());
  ASSERT_EQ(parsed->media.size(), 2U);
  EXPECT_EQ(parsed->media[1].port, 0);
  EXPECT_EQ(relay_->open_streams(), 1U);
}

TEST_F(MediaSessionTest, FreesItsPortsOnCloseForTheNextCall) {
  // Calls until the relay's ports run out (other programs may hold a few of its window).
  std::vector<std::unique_ptr<MediaSession>> calls;
  for (;;) {
    auto session = std::make_unique<MediaSession>(*relay_);
    if (!session->relay(media::Side::a, phone_sdp(40000), "127.0.0.1", kRelayAddress)) {
      break;
    }
    calls.push_back(std::move(session));
    ASSERT_LE(calls.size(), 8U);
  }
  ASSERT_FALSE(calls.empty());
  const std::size_t open = relay_->open_streams();

  calls.front()->close();
  EXPECT_EQ(relay_->open_streams(), open - 1);
  MediaSession next(*relay_);
  // The relay's thread closes the sockets a moment later.
  EXPECT_TRUE(wait_until([&] {
    return next.relay(media::Side::a, phone_sdp(40000), "127.0.0.1", kRelayAddress).has_value();
  }));
}

} // namespace
} // namespace starling::pbx
