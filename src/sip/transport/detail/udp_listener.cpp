// Receive loop and sends of the SIP UDP socket (RFC 3261 §18.1.1, §18.2.1, §18.2.2).
#include "sip/transport/detail/udp_listener.h"

#include <cstddef>
#include <iterator>
#include <span>
#include <tuple>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>
#include <sys/epoll.h>

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

std::expected<std::unique_ptr<UdpListener>, TransportError>
UdpListener::create(TransportCore& core, ip::udp::socket socket,
                    std::chrono::microseconds receive_window) {
  boost::system::error_code error;
  const auto local = socket.local_endpoint(error);
  // Reads and sends are tried at once and must not stall the shard.
  socket.non_blocking(true, error);
  if (error) {
    return std::unexpected(TransportError{"the SIP UDP socket: " + error.message()});
  }
  core::UniqueFd descriptor(socket.release(error));
  if (error) {
    return std::unexpected(TransportError{"the SIP UDP socket: " + error.message()});
  }
  auto gate = ReadinessGate::open(core.io(), descriptor.get(), EPOLLIN);
  if (!gate) {
    return std::unexpected(TransportError{fmt::format(
        "the SIP UDP socket cannot be watched: {}; raise the process's descriptor limit",
        gate.error().message())});
  }
  return std::unique_ptr<UdpListener>(
      new UdpListener(core, std::move(descriptor), local, std::move(*gate), receive_window));
}

UdpListener::UdpListener(TransportCore& core, core::UniqueFd socket, const ip::udp::endpoint& local,
                         ReadinessGate gate, std::chrono::microseconds receive_window)
    : core_(core), socket_(std::move(socket)), local_address_(local.address()),
      local_port_(local.port()), gate_(std::move(gate)), pacing_(receive_window),
      pacing_timer_(core.io()), receiver_(kReceiveBatch, kReceiveBufferSize) {}

void UdpListener::start() {
  asio::co_spawn(core_.io(), receive_loop(core_.shared_from_this()), log_coroutine_exception);
}

void UdpListener::close() {
  // Unless a completion of the flush under way is what closes the socket.
  if (flushing_.empty()) {
    flush();
  }
  gate_.close();
  pacing_timer_.cancel();
  socket_.reset();
  // What a full send buffer held back is not sent any more.
  for (const auto& datagram : std::exchange(queued_, {})) {
    sent(asio::error::operation_aborted, datagram.on_sent);
  }
}

asio::awaitable<void> UdpListener::receive_loop(std::shared_ptr<TransportCore> core) {
  while (core->running() && socket_) {
    const auto began = ReceivePacing::Clock::now();
    const Turn turn = receive_turn();
    if (!turn.drained) {
      // More is queued: timers and other sockets get a turn first.
      co_await asio::post(core->io(), asio::use_awaitable);
      continue;
    }
    // The gate reports what is already queued when it opens, so a datagram that came after
    // the socket was read is never left waiting for the next one.
    const bool on_timer = pacing_.read_on_timer_after(began, turn.datagrams);
    update_gate();
    boost::system::error_code error;
    if (on_timer) {
      pacing_timer_.expires_after(pacing_.window());
      std::tie(error) = co_await pacing_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    } else {
      error = co_await gate_.wait();
    }
    if (error == asio::error::operation_aborted) {
      break;
    }
  }
}

UdpListener::Turn UdpListener::receive_turn() {
  receiving_ = true;
  const Turn turn = receive_queued();
  receiving_ = false;
  // The answers leave before the next wait. A flush posted instead stood behind the
  // reactor's turn, which then polled the sockets once more for nothing: a system call per
  // turn, and a system call costs a microsecond on the development VM.
  flush();
  return turn;
}

UdpListener::Turn UdpListener::receive_queued() {
  Turn turn;
  for (int batch = 0; batch < kBatchesPerTurn; ++batch) {
    const auto received = receiver_.receive(socket_.get());
    if (!received) {
      if (is_would_block(received.error()) || !socket_) {
        turn.drained = true;
        return turn;
      }
      continue; // an ICMP error reported for an earlier send; the socket is still fine
    }
    turn.datagrams += *received;
    for (std::size_t i = 0; i < *received; ++i) {
      on_datagram(receiver_.datagram(i), receiver_.source(i));
    }
    if (*received < receiver_.capacity()) {
      turn.drained = true;
      return turn;
    }
  }
  return turn;
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
  // The first send since a flush schedules the next one. While the send buffer is full,
  // queued_ is not empty and the receive loop flushes when the buffer has room.
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
  bool blocked = false;
  while (next < flushing_.size() && !blocked) {
    const auto count = sender_.send(socket_.get(), std::span(flushing_).subspan(next));
    if (count) {
      for (const auto end = next + *count; next < end; ++next) {
        sent({}, flushing_[next].on_sent);
      }
    } else if (is_would_block(count.error())) {
      blocked = true;
    } else {
      sent(count.error(), flushing_[next].on_sent);
      ++next;
    }
  }
  if (blocked) {
    // What did not fit goes first once there is room, ahead of what the completions queued.
    const auto unsent = std::next(flushing_.begin(), static_cast<std::ptrdiff_t>(next));
    queued_.insert(queued_.begin(), std::make_move_iterator(unsent),
                   std::make_move_iterator(flushing_.end()));
  }
  flushing_.clear();
  if (blocked != send_blocked_) {
    send_blocked_ = blocked;
    update_gate();
  }
}

void UdpListener::update_gate() {
  std::uint32_t events = 0;
  if (!pacing_.reading_on_timer()) {
    events = EPOLLIN | (send_blocked_ ? EPOLLOUT : 0U);
  }
  gate_.watch(events);
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
