// A STUN client (RFC 8489 Binding over UDP) that asks a STUN server for our public address.
#include "net/stun_client.h"

#include <array>
#include <exception>
#include <optional>
#include <utility>
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
#include <openssl/rand.h>

#include "net/host_port.h"

namespace starling::net {
namespace {

namespace asio = boost::asio;
namespace ip = boost::asio::ip;
using namespace asio::experimental::awaitable_operators;

// A Binding response is a few dozen octets; room for a full Ethernet frame, plus one octet
// so that a larger datagram shows up truncated and fails the length check.
constexpr std::size_t kReceiveBufferSize = 1501;

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

std::chrono::milliseconds total_wait(const StunRetransmission& timing) {
  std::chrono::milliseconds total{0};
  auto rto = timing.initial_rto;
  for (unsigned request = 1; request < timing.request_count; ++request) {
    total += rto;
    rto *= 2;
  }
  return total + timing.initial_rto * timing.last_wait_factor;
}

// IPv4 first: a STUN server is asked because of a NAT, and NATs are an IPv4 matter.
std::optional<ip::udp::endpoint> pick_endpoint(const ip::udp::resolver::results_type& results) {
  std::optional<ip::udp::endpoint> chosen;
  for (const auto& entry : results) {
    if (entry.endpoint().address().is_v4()) {
      return entry.endpoint();
    }
    if (!chosen) {
      chosen = entry.endpoint();
    }
  }
  return chosen;
}

// Receives until `timer` expires: the mapped address or the server's error response, or
// nothing (time to retransmit). Malformed and foreign datagrams are discarded (RFC 8489 §6.3).
asio::awaitable<std::optional<std::expected<StunMappedAddress, std::string>>>
await_answer(ip::udp::socket& socket, asio::steady_timer& timer, const StunTransactionId& id,
             std::string& last_problem) {
  std::array<std::uint8_t, kReceiveBufferSize> buffer{};
  for (;;) {
    auto outcome =
        co_await (socket.async_receive(asio::buffer(buffer), kTuple) || timer.async_wait(kTuple));
    if (outcome.index() == 1) {
      co_return std::nullopt; // RTO expired
    }
    auto [receive_error, size] = std::get<0>(outcome);
    if (receive_error) {
      // Typically ICMP port unreachable ("connection refused"): nothing listens there (yet).
      // Wait out this RTO rather than spin on the error.
      last_problem = receive_error.message();
      co_await timer.async_wait(kTuple);
      co_return std::nullopt;
    }
    auto parsed = parse_stun_binding_response(std::span(buffer).first(size), id);
    if (parsed) {
      co_return *parsed;
    }
    if (parsed.error().kind == StunParseErrorKind::error_response) {
      co_return std::unexpected(std::move(parsed.error().reason));
    }
    last_problem = "discarded a response: " + parsed.error().reason;
  }
}

// One Binding transaction (RFC 8489 §6.2.1): send, wait RTO, resend with the wait doubled,
// until an answer, an error response, or Rc requests without one.
asio::awaitable<StunQueryResult> run_transaction(std::string server, StunServerAddress target,
                                                 StunRetransmission timing) {
  const auto fail = [&server](std::string_view what) {
    return std::unexpected(fmt::format("STUN server {}: {}", server, what));
  };
  auto executor = co_await asio::this_coro::executor;

  ip::udp::resolver resolver(executor);
  auto [resolve_error, results] = co_await resolver.async_resolve(
      target.host, std::to_string(target.port), ip::resolver_base::numeric_service, kTuple);
  const auto endpoint = resolve_error ? std::nullopt : pick_endpoint(results);
  if (!endpoint) {
    co_return fail(fmt::format("cannot resolve {}: {}", target.host,
                               resolve_error ? resolve_error.message() : "no address"));
  }

  // Connected, so the kernel drops datagrams from anyone else and reports ICMP errors.
  ip::udp::socket socket(executor);
  boost::system::error_code error;
  socket.open(endpoint->protocol(), error);
  if (!error) {
    socket.connect(*endpoint, error);
  }
  if (error) {
    co_return fail(
        fmt::format("cannot send to {}: {}", endpoint->address().to_string(), error.message()));
  }

  StunTransactionId id{};
  if (RAND_bytes(id.data(), static_cast<int>(id.size())) != 1) {
    co_return fail("no random transaction id (OpenSSL RAND_bytes failed)");
  }
  const auto request = encode_stun_binding_request(id);
  asio::steady_timer timer(executor);
  // Why the last datagrams were discarded or a receive failed, for the final message.
  std::string last_problem;

  auto rto = timing.initial_rto;
  for (unsigned request_number = 1; request_number <= timing.request_count; ++request_number) {
    auto [send_error, sent] = co_await socket.async_send(asio::buffer(request), kTuple);
    (void)sent;
    if (send_error) {
      last_problem = send_error.message();
    }
    const auto wait =
        request_number == timing.request_count ? timing.initial_rto * timing.last_wait_factor : rto;
    timer.expires_after(wait);
    auto answer = co_await await_answer(socket, timer, id, last_problem);
    if (answer) {
      if (!*answer) {
        co_return fail(answer->error());
      }
      co_return std::move(*answer);
    }
    rto *= 2;
  }
  const double seconds = std::chrono::duration<double>(total_wait(timing)).count();
  co_return fail(fmt::format("no answer from {} to {} Binding requests within {:.1f} s{}",
                             endpoint->address().to_string(), timing.request_count, seconds,
                             last_problem.empty() ? "" : " (last: " + last_problem + ")"));
}

} // namespace

std::expected<StunServerAddress, std::string> parse_stun_server(std::string_view server) {
  auto parsed = parse_host_port(server, kStunDefaultPort);
  if (!parsed) {
    return std::unexpected(fmt::format("STUN server \"{}\": {}", server, parsed.error()));
  }
  return StunServerAddress{std::move(parsed->host), parsed->port};
}

void query_stun_server(asio::io_context& io, std::string server, StunQueryHandler on_done,
                       StunRetransmission timing) {
  auto target = parse_stun_server(server);
  if (!target) {
    asio::post(io, [on_done = std::move(on_done), error = std::move(target.error())]() mutable {
      on_done(std::unexpected(std::move(error)));
    });
    return;
  }
  auto transaction = run_transaction(server, std::move(*target), timing);
  asio::co_spawn(
      io, std::move(transaction),
      [on_done = std::move(on_done),
       server = std::move(server)](const std::exception_ptr& exception, StunQueryResult result) {
        if (exception) {
          // Only a broken invariant (e.g. out of memory) gets here.
          try {
            std::rethrow_exception(exception);
          } catch (const std::exception& e) {
            result = std::unexpected(fmt::format("STUN server {}: {}", server, e.what()));
          } catch (...) {
            result = std::unexpected(fmt::format("STUN server {}: internal error", server));
          }
        }
        on_done(std::move(result));
      });
}

void learn_public_address(asio::io_context& io, std::string stun_server,
                          PublicAddressHandler on_done) {
  query_stun_server(io, std::move(stun_server),
                    [on_done = std::move(on_done)](StunQueryResult result) {
                      if (!result) {
                        on_done(std::unexpected(std::move(result.error())));
                        return;
                      }
                      on_done(result->address);
                    });
}

} // namespace starling::net
