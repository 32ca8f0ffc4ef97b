// Doctor: whether a SIP server answers, so that a trunk check can tell "found" from "reachable".
#include "app/doctor/sip_probe.h"

#include <algorithm>
#include <array>
#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <fmt/format.h>

#include "net/tls_context.h"
#include "net/tls_server_identity.h"
#include "sip/host.h"
#include "sip/identifiers.h"
#include "sip/parser.h"
#include "sip/request_builder.h"

namespace starling::app::doctor {
namespace {

using boost::asio::ip::tcp;
using boost::asio::ip::udp;
using Clock = std::chrono::steady_clock;

// RFC 3261 §17.1.2.2 Timer E: a lost datagram is sent again after T1, then after 2·T1 …
constexpr std::chrono::milliseconds kT1{500};
// RFC 3261 §18.1.1: a response that does not fit is not a UDP answer anyway.
constexpr std::size_t kMaxDatagram = 65'535;

std::string seconds_text(std::chrono::milliseconds timeout) {
  return fmt::format("{:g} s", std::chrono::duration<double>(timeout).count());
}

std::string options_request(const udp::endpoint& local, const udp::endpoint& server) {
  const std::string server_uri =
      fmt::format("sip:{}", sip::host_port(server.address().to_string(), server.port()));
  const std::string local_host = sip::host_port(local.address().to_string(), local.port());
  // rport (RFC 3581): the answer comes back through a NAT to the port this socket sends from.
  sip::RequestBuilder request("OPTIONS", server_uri);
  request
      .add_header("Via",
                  fmt::format("SIP/2.0/UDP {};rport;branch={}", local_host, sip::new_branch()))
      .add_header("Max-Forwards", "70")
      .add_header("From", fmt::format("<sip:doctor@{}>;tag={}", local_host, sip::new_tag()))
      .add_header("To", fmt::format("<{}>", server_uri))
      .add_header("Call-ID", sip::new_call_id())
      .add_header("CSeq", "1 OPTIONS")
      .add_header("User-Agent", "starling doctor");
  return std::move(request).finish();
}

std::expected<SipProbeAnswer, std::string>
sip_answer(std::string_view datagram, Clock::time_point sent, const std::string& server) {
  const auto message = sip::parse_message(datagram);
  if (!message || !message->is_response()) {
    return std::unexpected(
        fmt::format("{} answered with something that is not a SIP response", server));
  }
  return SipProbeAnswer{fmt::format("answered OPTIONS with {} {}", message->status_code(),
                                    message->status_line().reason),
                        Clock::now() - sent};
}

std::expected<SipProbeAnswer, std::string>
probe_udp(const udp::endpoint& server, const std::string& text, std::chrono::milliseconds timeout) {
  boost::asio::io_context io;
  udp::socket socket(io, server.protocol());
  boost::system::error_code error;
  // Connected, so that only the server's datagrams arrive and an ICMP "port unreachable" shows.
  socket.connect(server, error);
  if (error) {
    return std::unexpected(fmt::format("cannot send to {}: {}", text, error.message()));
  }
  const std::string request = options_request(socket.local_endpoint(), server);
  std::vector<char> datagram(kMaxDatagram);
  std::optional<boost::system::error_code> received;
  std::size_t size = 0;
  socket.async_receive(boost::asio::buffer(datagram),
                       [&received, &size](boost::system::error_code done, std::size_t bytes) {
                         received = done;
                         size = bytes;
                       });
  const auto sent = Clock::now();
  const auto deadline = sent + timeout;
  for (auto wait = std::chrono::nanoseconds(kT1); !received && Clock::now() < deadline; wait *= 2) {
    socket.send(boost::asio::buffer(request), 0, error);
    io.run_for(std::min(wait, std::chrono::nanoseconds(deadline - Clock::now())));
  }
  if (!received) {
    return std::unexpected(fmt::format("no answer from {} within {}", text, seconds_text(timeout)));
  }
  if (*received) {
    return std::unexpected(fmt::format("no answer from {}: {}", text,
                                       *received == boost::asio::error::connection_refused
                                           ? "port unreachable (ICMP), nothing listens there"
                                           : received->message()));
  }
  return sip_answer(std::string_view(datagram.data(), size), sent, text);
}

std::expected<void, std::string> connect(boost::asio::io_context& io, tcp::socket& socket,
                                         const tcp::endpoint& server, const std::string& text,
                                         std::chrono::milliseconds timeout) {
  std::optional<boost::system::error_code> connected;
  socket.async_connect(server, [&connected](boost::system::error_code done) { connected = done; });
  io.run_for(timeout);
  if (!connected) {
    return std::unexpected(
        fmt::format("no answer from {} within {} (TCP connect)", text, seconds_text(timeout)));
  }
  if (*connected) {
    return std::unexpected(fmt::format("no answer from {}: {}", text, connected->message()));
  }
  return {};
}

std::expected<SipProbeAnswer, std::string>
probe_tcp(const tcp::endpoint& server, const std::string& text, std::chrono::milliseconds timeout) {
  boost::asio::io_context io;
  tcp::socket socket(io);
  const auto started = Clock::now();
  if (auto connected = connect(io, socket, server, text, timeout); !connected) {
    return std::unexpected(std::move(connected.error()));
  }
  return SipProbeAnswer{"accepted a TCP connection", Clock::now() - started};
}

std::unexpected<SipProbeFailure> failed(std::string message) {
  return std::unexpected(SipProbeFailure{std::move(message)});
}

std::expected<SipProbeAnswer, SipProbeFailure> probe_tls(const tcp::endpoint& server,
                                                         const TlsExpectation& expected,
                                                         const std::string& text,
                                                         std::chrono::milliseconds timeout) {
  auto context = net::make_tls_client_context({.verify_peer = true, .ca_file = expected.ca_file});
  if (!context) {
    return failed(context.error().message);
  }
  boost::asio::io_context io;
  boost::asio::ssl::stream<tcp::socket> stream(io, *context);
  const auto started = Clock::now();
  if (auto connected = connect(io, stream.next_layer(), server, text, timeout); !connected) {
    return failed(std::move(connected.error()));
  }
  if (auto identity = net::expect_server_identity(stream.native_handle(), expected.server_name);
      !identity) {
    return failed(identity.error().message);
  }
  std::optional<boost::system::error_code> handshake;
  stream.async_handshake(boost::asio::ssl::stream_base::client,
                         [&handshake](boost::system::error_code done) { handshake = done; });
  io.restart();
  io.run_for(timeout);
  if (!handshake) {
    return failed(fmt::format("no TLS handshake with {} within {}", text, seconds_text(timeout)));
  }
  if (*handshake) {
    const std::string refusal = net::certificate_refusal(stream.native_handle());
    return std::unexpected(SipProbeFailure{
        fmt::format("TLS handshake with {} ({}) failed: {}", text, expected.server_name,
                    refusal.empty() ? handshake->message() : refusal),
        true});
  }
  return SipProbeAnswer{fmt::format("completed a {} handshake, certificate valid for {}",
                                    SSL_get_version(stream.native_handle()), expected.server_name),
                        Clock::now() - started};
}

} // namespace

std::expected<SipProbeAnswer, SipProbeFailure> probe_sip_server(const net::SipServerTarget& target,
                                                                const TlsExpectation& tls,
                                                                std::chrono::milliseconds timeout) {
  const std::string text = sip::host_port(target.address, target.port);
  boost::system::error_code error;
  const auto address = boost::asio::ip::make_address(target.address, error);
  if (error) {
    return failed(fmt::format("{} is not an IP address", target.address));
  }
  if (target.transport == net::SipTransport::tls) {
    return probe_tls({address, target.port}, tls, text, timeout);
  }
  auto probed = target.transport == net::SipTransport::udp
                    ? probe_udp({address, target.port}, text, timeout)
                    : probe_tcp({address, target.port}, text, timeout);
  if (!probed) {
    return failed(std::move(probed.error()));
  }
  return *probed;
}

} // namespace starling::app::doctor
