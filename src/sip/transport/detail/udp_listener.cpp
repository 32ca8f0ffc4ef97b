// Receive loop and sends of the SIP UDP socket (RFC 3261 §18.1.1, §18.2.1, §18.2.2).
#include "sip/transport/detail/udp_listener.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "sip/transport/detail/transport_core.h"
#include "sip/transport/keepalive.h"

namespace starling::sip::detail {

namespace {

namespace asio = boost::asio;
namespace ip = boost::asio::ip;

// Room for the largest datagram plus one octet, so a larger one shows as too large.
constexpr std::size_t kReceiveBufferSize = kMaxDatagramSize + 1;

void count_sent(TransportCore& core, const boost::system::error_code& error) {
  if (!error) {
    core.metrics().sent(TransportKind::udp).increment();
  }
}

} // namespace

UdpListener::UdpListener(TransportCore& core, ip::udp::socket socket)
    : core_(core), socket_(std::move(socket)), buffer_(kReceiveBufferSize) {
  boost::system::error_code error;
  const auto local = socket_.local_endpoint(error);
  local_address_ = local.address();
  local_port_ = local.port();
  // Sends are tried at once and must not stall the shard when the buffer is full.
  socket_.non_blocking(true, error);
}

void UdpListener::start() {
  asio::co_spawn(core_.io(), receive_loop(core_.shared_from_this()), log_coroutine_exception);
}

void UdpListener::close() {
  boost::system::error_code ignored;
  socket_.close(ignored);
}

asio::awaitable<void> UdpListener::receive_loop(std::shared_ptr<TransportCore> core) {
  ip::udp::endpoint from;
  while (core->running() && socket_.is_open()) {
    auto [error, size] = co_await socket_.async_receive_from(asio::buffer(buffer_), from,
                                                             asio::as_tuple(asio::use_awaitable));
    if (error == asio::error::operation_aborted || !socket_.is_open()) {
      break;
    }
    if (error) {
      continue; // an ICMP error reported for an earlier send; the socket is still fine
    }
    on_datagram(std::string_view(buffer_.data(), size), from);
  }
}

void UdpListener::on_datagram(std::string_view datagram, const ip::udp::endpoint& from) {
  const Flow flow{TransportKind::udp, unmapped(from.address()),
                  from.port(),        local_address_,
                  local_port_,        kNoConnection};
  if (core_.should_drop(flow.remote_address)) {
    return;
  }
  if (is_crlf_keepalive(datagram) || is_stun(datagram)) {
    core_.metrics().keepalives(TransportKind::udp).increment();
    // RFC 5626 §4.4.2: the UA learns from the reply whether its NAT binding changed.
    if (auto reply = stun_binding_response(datagram, flow.remote_address, flow.remote_port)) {
      (void)send(flow, std::move(*reply), {});
    }
    return;
  }
  if (datagram.size() > core_.limits().max_message_size) {
    core_.metrics().rejected(RejectReason::too_large).increment();
    return;
  }
  core_.deliver(datagram, flow, Framing::datagram);
}

std::expected<Flow, TransportError> UdpListener::send(const Flow& flow, std::string bytes,
                                                      SendCompletion on_sent) {
  if (bytes.size() > kMaxDatagramSize) {
    return std::unexpected(TransportError{"message too large for UDP; send it over TCP"});
  }
  ip::address to = flow.remote_address;
  if (to.is_v4() && local_address_.is_v6()) {
    to = ip::make_address_v6(ip::v4_mapped, to.to_v4()); // dual-stack socket
  } else if (to.is_v6() && local_address_.is_v4()) {
    return std::unexpected(
        TransportError{"the SIP UDP socket is IPv4 only and cannot reach " + to.to_string()});
  }
  const ip::udp::endpoint destination(to, flow.remote_port);
  // A UDP send almost never has to wait: trying it at once saves a coroutine per message,
  // which was an eighth of the CPU of a registration (measured). Only a full socket buffer
  // makes it wait its turn.
  boost::system::error_code error;
  socket_.send_to(asio::buffer(bytes), destination, 0, error);
  if (error == asio::error::would_block || error == asio::error::try_again) {
    asio::co_spawn(
        core_.io(),
        send_to(core_.shared_from_this(), destination, std::move(bytes), std::move(on_sent)),
        log_coroutine_exception);
  } else {
    sent_at_once(error, std::move(on_sent));
  }
  Flow used = flow;
  used.local_address = local_address_;
  used.local_port = local_port_;
  used.connection_id = kNoConnection;
  return used;
}

asio::awaitable<void> UdpListener::send_to(std::shared_ptr<TransportCore> core,
                                           ip::udp::endpoint to, std::string bytes,
                                           SendCompletion on_sent) {
  auto [error, size] =
      co_await socket_.async_send_to(asio::buffer(bytes), to, asio::as_tuple(asio::use_awaitable));
  (void)size;
  count_sent(*core, error);
  if (on_sent) {
    on_sent(error);
  }
}

void UdpListener::sent_at_once(const boost::system::error_code& error, SendCompletion on_sent) {
  count_sent(core_, error);
  if (on_sent) {
    // Completions always run later, as they do after a send that had to wait, so a caller
    // never sees its completion before send() has returned.
    asio::post(core_.io(), [on_sent = std::move(on_sent), error] { on_sent(error); });
  }
}

} // namespace starling::sip::detail
