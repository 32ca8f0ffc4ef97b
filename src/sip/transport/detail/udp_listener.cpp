// Receive loop and sends of the SIP UDP socket (RFC 3261 §18.1.1, §18.2.1, §18.2.2).
#include "sip/transport/detail/udp_listener.h"

#include <span>
#include <utility>

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
// Datagrams per recvmmsg, and batches handled before timers and other sockets get a turn.
constexpr std::size_t kReceiveBatch = 32;
constexpr int kBatchesPerTurn = 4;

bool is_would_block(const boost::system::error_code& error) {
  return error == asio::error::would_block || error == asio::error::try_again;
}

} // namespace

UdpListener::UdpListener(TransportCore& core, ip::udp::socket socket)
    : core_(core), socket_(std::move(socket)), receiver_(kReceiveBatch, kReceiveBufferSize) {
  boost::system::error_code error;
  const auto local = socket_.local_endpoint(error);
  local_address_ = local.address();
  local_port_ = local.port();
  // Reads and sends are tried at once and must not stall the shard.
  socket_.non_blocking(true, error);
}

void UdpListener::start() {
  asio::co_spawn(core_.io(), receive_loop(core_.shared_from_this()), log_coroutine_exception);
}

void UdpListener::close() {
  // Unless a completion of the flush under way is what closes the socket.
  if (flushing_.empty()) {
    flush();
  }
  boost::system::error_code ignored;
  socket_.close(ignored);
}

asio::awaitable<void> UdpListener::receive_loop(std::shared_ptr<TransportCore> core) {
  while (core->running() && socket_.is_open()) {
    // Readiness may be reported only when a datagram arrives (edge-triggered epoll), so the
    // socket is read until it is empty before every wait, the first included.
    while (!receive_turn() && socket_.is_open()) {
      co_await asio::post(core->io(), asio::use_awaitable);
    }
    auto [error] = co_await socket_.async_wait(ip::udp::socket::wait_read,
                                               asio::as_tuple(asio::use_awaitable));
    if (error == asio::error::operation_aborted) {
      break;
    }
  }
}

bool UdpListener::receive_turn() {
  receiving_ = true;
  const bool drained = receive_queued();
  receiving_ = false;
  // The answers leave before the next wait. A flush posted instead stood behind the
  // reactor's turn, which then polled the sockets once more for nothing: a system call per
  // turn, and a system call costs a microsecond on the development VM.
  flush();
  return drained;
}

bool UdpListener::receive_queued() {
  for (int batch = 0; batch < kBatchesPerTurn; ++batch) {
    const auto received = receiver_.receive(socket_.native_handle());
    if (!received) {
      if (is_would_block(received.error()) || !socket_.is_open()) {
        return true;
      }
      continue; // an ICMP error reported for an earlier send; the socket is still fine
    }
    for (std::size_t i = 0; i < *received; ++i) {
      on_datagram(receiver_.datagram(i), receiver_.source(i));
    }
    if (*received < receiver_.capacity()) {
      return true;
    }
  }
  return false;
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
  if (queued_.empty() && !receiving_) {
    asio::post(core_.io(), [this, core = core_.shared_from_this()] { flush(); });
  }
  queued_.push_back(
      {ip::udp::endpoint(to, flow.remote_port), std::move(bytes), std::move(on_sent)});
  Flow used = flow;
  used.local_address = local_address_;
  used.local_port = local_port_;
  used.connection_id = kNoConnection;
  return used;
}

void UdpListener::flush() {
  std::swap(queued_, flushing_);
  std::size_t next = 0;
  while (next < flushing_.size()) {
    const auto count = sender_.send(socket_.native_handle(), std::span(flushing_).subspan(next));
    if (count) {
      for (const auto end = next + *count; next < end; ++next) {
        sent({}, flushing_[next].on_sent);
      }
    } else if (is_would_block(count.error())) {
      // Only a full socket buffer makes the rest wait, each for its turn.
      for (; next < flushing_.size(); ++next) {
        asio::co_spawn(core_.io(), send_to(core_.shared_from_this(), std::move(flushing_[next])),
                       log_coroutine_exception);
      }
    } else {
      sent(count.error(), flushing_[next].on_sent);
      ++next;
    }
  }
  flushing_.clear();
}

asio::awaitable<void> UdpListener::send_to(std::shared_ptr<TransportCore> core,
                                           OutgoingDatagram datagram) {
  auto [error, size] = co_await socket_.async_send_to(asio::buffer(datagram.bytes), datagram.to,
                                                      asio::as_tuple(asio::use_awaitable));
  (void)size;
  (void)core; // held so that this listener outlives the wait
  sent(error, datagram.on_sent);
}

void UdpListener::sent(const boost::system::error_code& error, const SendCompletion& on_sent) {
  if (!error) {
    core_.metrics().sent(TransportKind::udp).increment();
  }
  if (on_sent) {
    on_sent(error);
  }
}

} // namespace starling::sip::detail
