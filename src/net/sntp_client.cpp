// An SNTP client (RFC 4330 over UDP) that measures the local clock's offset from an NTP server.
#include "net/sntp_client.h"

#include <array>
#include <exception>
#include <optional>
#include <variant>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

#include "net/host_port.h"

namespace starling::net {
namespace {

namespace asio = boost::asio;
namespace ip = boost::asio::ip;
using namespace asio::experimental::awaitable_operators;
using std::chrono::system_clock;

// An NTP packet with extension fields or a MAC is longer than 48 octets; they are ignored.
constexpr std::size_t kReceiveBufferSize = 1500;

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

struct Answer {
  SntpResponse response;
  system_clock::time_point received;
};

// Receives until `timer` expires; kiss-o'-death and unsynchronized servers end the query.
asio::awaitable<std::optional<std::expected<Answer, std::string>>>
await_answer(ip::udp::socket& socket, asio::steady_timer& timer, NtpTimestamp request_transmit,
             std::string& last_problem) {
  std::array<std::uint8_t, kReceiveBufferSize> buffer{};
  for (;;) {
    auto outcome =
        co_await (socket.async_receive(asio::buffer(buffer), kTuple) || timer.async_wait(kTuple));
    if (outcome.index() == 1) {
      co_return std::nullopt;
    }
    const auto received = system_clock::now();
    auto [receive_error, size] = std::get<0>(outcome);
    if (receive_error) {
      // ICMP port unreachable: nothing listens there. Wait out this try rather than spin.
      last_problem = receive_error.message();
      co_await timer.async_wait(kTuple);
      co_return std::nullopt;
    }
    auto parsed = parse_sntp_response(std::span(buffer).first(size), request_transmit);
    if (parsed) {
      co_return Answer{*parsed, received};
    }
    if (parsed.error().kind == SntpErrorKind::kiss_of_death ||
        parsed.error().kind == SntpErrorKind::unsynchronized) {
      co_return std::unexpected(std::move(parsed.error().reason));
    }
    last_problem = "discarded an answer: " + parsed.error().reason;
  }
}

asio::awaitable<SntpQueryResult> run_query(HostPort target, SntpTiming timing) {
  const auto fail = [](std::string_view what) { return std::unexpected(std::string(what)); };
  auto executor = co_await asio::this_coro::executor;
  ip::udp::resolver resolver(executor);
  auto [resolve_error, results] = co_await resolver.async_resolve(
      target.host, std::to_string(target.port), ip::resolver_base::numeric_service, kTuple);
  if (resolve_error || results.empty()) {
    co_return fail(fmt::format("cannot resolve {}: {}", target.host,
                               resolve_error ? resolve_error.message() : "no address"));
  }
  const auto endpoint = results.begin()->endpoint();
  // Connected, so the kernel drops datagrams from anyone else and reports ICMP errors.
  ip::udp::socket socket(executor);
  boost::system::error_code error;
  socket.open(endpoint.protocol(), error);
  if (!error) {
    socket.connect(endpoint, error);
  }
  if (error) {
    co_return fail(fmt::format("cannot send: {}", error.message()));
  }
  asio::steady_timer timer(executor);
  std::string last_problem;
  for (unsigned attempt = 1; attempt <= timing.attempts; ++attempt) {
    const auto sent = system_clock::now();
    const auto transmit = to_ntp_time(sent);
    const auto request = encode_sntp_request(transmit);
    auto [send_error, bytes] = co_await socket.async_send(asio::buffer(request), kTuple);
    (void)bytes;
    if (send_error) {
      last_problem = send_error.message();
    }
    timer.expires_after(timing.wait);
    auto answer = co_await await_answer(socket, timer, transmit, last_problem);
    if (answer) {
      if (!*answer) {
        co_return fail(answer->error());
      }
      co_return clock_sample(sent, (*answer)->response, (*answer)->received);
    }
  }
  const double seconds = std::chrono::duration<double>(timing.wait * timing.attempts).count();
  co_return fail(fmt::format("no answer to {} requests within {:.1f} s{}", timing.attempts, seconds,
                             last_problem.empty() ? "" : " (last: " + last_problem + ")"));
}

} // namespace

void query_sntp_server(asio::io_context& io, const std::string& server, SntpQueryHandler on_done,
                       SntpTiming timing) {
  auto target = parse_host_port(server, kNtpDefaultPort);
  if (!target) {
    asio::post(io, [on_done = std::move(on_done), server, error = std::move(target.error())] {
      on_done(std::unexpected(fmt::format("\"{}\": {}", server, error)));
    });
    return;
  }
  auto query = run_query(std::move(*target), timing);
  asio::co_spawn(
      io, std::move(query),
      [on_done = std::move(on_done)](const std::exception_ptr& exception, SntpQueryResult result) {
        if (exception) {
          // Only a broken invariant (e.g. out of memory) gets here.
          try {
            std::rethrow_exception(exception);
          } catch (const std::exception& e) {
            result = std::unexpected(std::string(e.what()));
          }
        }
        on_done(std::move(result));
      });
}

} // namespace starling::net
