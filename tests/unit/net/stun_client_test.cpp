#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <gtest/gtest.h>

#include "net/stun_client.h"

namespace starling::net {
namespace {

namespace asio = boost::asio;
namespace ip = boost::asio::ip;
using std::chrono::milliseconds;

// Short waits, so a lost request costs milliseconds: 10 + 20 + 4 * 10 ms.
constexpr StunRetransmission kFastTiming{milliseconds(10), 3, 4};

using Replies = std::vector<std::vector<std::uint8_t>>;

// A STUN server on a loopback port, run on the test's io_context. `answer` decides what to
// send back for the n-th request (1-based): nothing, or the datagrams returned.
class FakeStunServer {
public:
  using Answer =
      std::function<Replies(unsigned request_number, const std::vector<std::uint8_t>& request,
                            const ip::udp::endpoint& from)>;

  FakeStunServer(asio::io_context& io, Answer answer)
      : socket_(io, ip::udp::endpoint(ip::make_address("127.0.0.1"), 0)),
        answer_(std::move(answer)) {
    receive();
  }

  [[nodiscard]] std::string address() const {
    return "127.0.0.1:" + std::to_string(socket_.local_endpoint().port());
  }
  [[nodiscard]] unsigned requests() const { return requests_; }
  void close() { socket_.close(); }

private:
  void receive() {
    socket_.async_receive_from(
        asio::buffer(buffer_), from_, [this](boost::system::error_code error, std::size_t size) {
          if (error) {
            return;
          }
          ++requests_;
          const std::vector<std::uint8_t> request(buffer_.begin(), buffer_.begin() + size);
          for (const auto& reply : answer_(requests_, request, from_)) {
            socket_.send_to(asio::buffer(reply), from_);
          }
          receive();
        });
  }

  ip::udp::socket socket_;
  Answer answer_;
  std::array<std::uint8_t, 1500> buffer_{};
  ip::udp::endpoint from_;
  unsigned requests_ = 0;
};

void put16(std::vector<std::uint8_t>& out, unsigned value) {
  out.push_back(static_cast<std::uint8_t>(value >> 8U));
  out.push_back(static_cast<std::uint8_t>(value & 0xFFU));
}

// A Binding response to `request` (same transaction id) with `attributes`.
std::vector<std::uint8_t> reply_to(const std::vector<std::uint8_t>& request, unsigned type,
                                   const std::vector<std::uint8_t>& attributes) {
  std::vector<std::uint8_t> out;
  put16(out, type);
  put16(out, static_cast<unsigned>(attributes.size()));
  out.insert(out.end(), request.begin() + 4, request.begin() + 20);
  out.insert(out.end(), attributes.begin(), attributes.end());
  return out;
}

// XOR-MAPPED-ADDRESS of an IPv4 endpoint.
std::vector<std::uint8_t> xor_mapped(const ip::udp::endpoint& endpoint) {
  std::vector<std::uint8_t> out;
  put16(out, 0x0020);
  put16(out, 8);
  put16(out, 0x0001);
  put16(out, endpoint.port() ^ 0x2112U);
  const auto bytes = endpoint.address().to_v4().to_bytes();
  const std::array<std::uint8_t, 4> cookie = {0x21, 0x12, 0xa4, 0x42};
  for (std::size_t i = 0; i < 4; ++i) {
    out.push_back(static_cast<std::uint8_t>(bytes[i] ^ cookie[i]));
  }
  return out;
}

std::vector<std::uint8_t> success(const std::vector<std::uint8_t>& request,
                                  const ip::udp::endpoint& from) {
  return reply_to(request, 0x0101, xor_mapped(from));
}

struct Outcome {
  std::optional<StunQueryResult> result;
  milliseconds elapsed{0};
};

Outcome query(asio::io_context& io, const std::string& server,
              StunRetransmission timing = kFastTiming) {
  Outcome outcome;
  const auto started = std::chrono::steady_clock::now();
  query_stun_server(
      io, server,
      [&](StunQueryResult result) {
        outcome.result = std::move(result);
        outcome.elapsed =
            std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started);
        io.stop();
      },
      timing);
  io.run_for(std::chrono::seconds(10));
  // Let the fake server count what already arrived before the result was in.
  io.restart();
  io.poll();
  return outcome;
}

TEST(StunClient, LearnsTheAddressAndPortTheServerSaw) {
  asio::io_context io;
  std::optional<ip::udp::endpoint> seen;
  FakeStunServer server(io, [&](unsigned, const auto& request, const auto& from) {
    seen = from;
    return Replies{success(request, from)};
  });
  const auto outcome = query(io, server.address());
  ASSERT_TRUE(outcome.result);
  ASSERT_TRUE(*outcome.result) << outcome.result->error();
  EXPECT_EQ((*outcome.result)->address, ip::make_address("127.0.0.1"));
  EXPECT_EQ((*outcome.result)->port, seen->port());
  EXPECT_EQ(server.requests(), 1U);
}

TEST(StunClient, RetransmitsUntilTheServerAnswers) {
  asio::io_context io;
  FakeStunServer server(io, [](unsigned number, const auto& request, const auto& from) {
    return number < 3 ? Replies{} : Replies{success(request, from)};
  });
  const auto outcome = query(io, server.address());
  ASSERT_TRUE(outcome.result && *outcome.result);
  EXPECT_EQ(server.requests(), 3U);
  // Requests at 0, 10 and 30 ms: the RTO doubled.
  EXPECT_GE(outcome.elapsed, milliseconds(30));
}

TEST(StunClient, GivesUpAfterTheLastWaitAndSaysSo) {
  asio::io_context io;
  FakeStunServer server(io, [](unsigned, const auto&, const auto&) { return Replies{}; });
  const auto outcome = query(io, server.address());
  ASSERT_TRUE(outcome.result);
  ASSERT_FALSE(*outcome.result);
  EXPECT_EQ(outcome.result->error(), "STUN server " + server.address() +
                                         ": no answer from 127.0.0.1 to 3 Binding requests "
                                         "within 0.1 s");
  EXPECT_EQ(server.requests(), 3U);
  EXPECT_GE(outcome.elapsed, milliseconds(70));
}

TEST(StunClient, DiscardsForeignAndMalformedAnswersAndKeepsWaiting) {
  asio::io_context io;
  FakeStunServer server(io, [](unsigned, auto request, const auto& from) {
    auto foreign = request;
    foreign[19] ^= 0xFF;
    return Replies{success(foreign, from), std::vector<std::uint8_t>{'\r', '\n'},
                   success(request, from)};
  });
  const auto outcome = query(io, server.address());
  ASSERT_TRUE(outcome.result && *outcome.result);
  EXPECT_EQ(server.requests(), 1U);
}

TEST(StunClient, NamesTheLastDiscardedAnswerWhenNoGoodOneCame) {
  asio::io_context io;
  FakeStunServer server(io, [](unsigned, const auto& request, const auto&) {
    return Replies{reply_to(request, 0x0101, {})};
  });
  const auto outcome = query(io, server.address());
  ASSERT_TRUE(outcome.result && !*outcome.result);
  EXPECT_NE(outcome.result->error().find("(last: discarded a response: a Binding success "
                                         "response without XOR-MAPPED-ADDRESS"),
            std::string::npos)
      << outcome.result->error();
}

TEST(StunClient, StopsAtAnErrorResponse) {
  asio::io_context io;
  FakeStunServer server(io, [](unsigned, const auto& request, const auto&) {
    // ERROR-CODE 401 "Unauthorized"
    const std::vector<std::uint8_t> error_code = {0x00, 0x09, 0x00, 0x10, 0,   0,   4,
                                                  1,    'U',  'n',  'a',  'u', 't', 'h',
                                                  'o',  'r',  'i',  'z',  'e', 'd'};
    return Replies{reply_to(request, 0x0111, error_code)};
  });
  const auto outcome = query(io, server.address());
  ASSERT_TRUE(outcome.result && !*outcome.result);
  EXPECT_EQ(outcome.result->error(),
            "STUN server " + server.address() + ": the server answered 401 Unauthorized");
  EXPECT_EQ(server.requests(), 1U);
}

TEST(StunClient, ReportsARefusedPortInTheFinalError) {
  asio::io_context io;
  std::string address;
  {
    FakeStunServer closed(io, [](unsigned, const auto&, const auto&) { return Replies{}; });
    address = closed.address();
    closed.close();
  }
  const auto outcome = query(io, address);
  ASSERT_TRUE(outcome.result && !*outcome.result);
  EXPECT_NE(outcome.result->error().find("Connection refused"), std::string::npos)
      << outcome.result->error();
}

TEST(StunClient, RefusesAServerNameWithABadPort) {
  asio::io_context io;
  const auto outcome = query(io, "127.0.0.1:99999");
  ASSERT_TRUE(outcome.result && !*outcome.result);
  EXPECT_EQ(outcome.result->error(),
            "STUN server \"127.0.0.1:99999\": the port must be a number from 1 to 65535");
}

TEST(StunClient, LearnPublicAddressHandsOverTheAddressOnly) {
  asio::io_context io;
  FakeStunServer server(io, [](unsigned, const auto& request, const auto&) {
    return Replies{reply_to(request, 0x0101,
                            xor_mapped(ip::udp::endpoint(ip::make_address("203.0.113.7"), 40000)))};
  });
  std::optional<std::expected<ip::address, std::string>> learned;
  learn_public_address(io, server.address(), [&](auto result) {
    learned = std::move(result);
    io.stop();
  });
  io.run_for(std::chrono::seconds(10));
  ASSERT_TRUE(learned && *learned);
  EXPECT_EQ(**learned, ip::make_address("203.0.113.7"));
}

TEST(StunServerAddress, SplitsHostAndPortWithTheStunDefault) {
  const auto check = [](std::string_view text, std::string_view host, std::uint16_t port) {
    const auto parsed = parse_stun_server(text);
    ASSERT_TRUE(parsed) << parsed.error();
    EXPECT_EQ(parsed->host, host) << text;
    EXPECT_EQ(parsed->port, port) << text;
  };
  check("stun.example.com", "stun.example.com", 3478);
  check("stun.example.com:19302", "stun.example.com", 19302);
  check("192.0.2.1:3479", "192.0.2.1", 3479);
  check("[2001:db8::1]:5000", "2001:db8::1", 5000);
  check("[2001:db8::1]", "2001:db8::1", 3478);
  check("2001:db8::1", "2001:db8::1", 3478);
  EXPECT_FALSE(parse_stun_server(""));
  EXPECT_FALSE(parse_stun_server("host:"));
  EXPECT_FALSE(parse_stun_server("host:0"));
  EXPECT_FALSE(parse_stun_server("host:12ab"));
  EXPECT_FALSE(parse_stun_server("[2001:db8::1"));
  EXPECT_FALSE(parse_stun_server("[2001:db8::1]5000"));
  EXPECT_FALSE(parse_stun_server(":3478"));
}

} // namespace
} // namespace starling::net
