// A relay thread: its own epoll loop moving packets in batches between the two sides.
#include "media/detail/relay_worker.h"

#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

#include <fmt/format.h>
#include <pthread.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace starling::media::detail {

namespace {

void add_relaxed(std::atomic<std::uint64_t>& value, std::uint64_t by) {
  value.store(value.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
}

void flush_into(core::Counter& counter, std::uint64_t& tally) {
  if (tally != 0) {
    counter.increment(std::exchange(tally, 0));
  }
}

} // namespace

RelayWorker::RelayWorker(std::size_t index, PortAllocator& allocator, RelayMetrics& metrics)
    : index_(index), allocator_(allocator), metrics_(metrics) {
  for (std::size_t i = 0; i < kBatch; ++i) {
    receive_iov_[i] = iovec{buffers_[i].data(), buffers_[i].size()};
    receive_[i].msg_hdr.msg_iov = &receive_iov_[i];
    receive_[i].msg_hdr.msg_iovlen = 1;
    receive_[i].msg_hdr.msg_name = sources_[i].data();
    receive_[i].msg_hdr.msg_namelen = sizeof sources_[i].storage;
    send_[i].msg_hdr.msg_iov = &send_iov_[i];
    send_[i].msg_hdr.msg_iovlen = 1;
  }
}

RelayWorker::~RelayWorker() {
  stop();
}

std::expected<void, std::string> RelayWorker::start() {
  epoll_ = core::UniqueFd(::epoll_create1(EPOLL_CLOEXEC));
  if (!epoll_) {
    return std::unexpected(fmt::format("media relay: epoll_create1: {}", std::strerror(errno)));
  }
  wake_ = core::UniqueFd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  if (!wake_) {
    return std::unexpected(fmt::format("media relay: eventfd: {}", std::strerror(errno)));
  }
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.ptr = nullptr; // the wake-up; every socket has its RelaySocket here
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, wake_.get(), &event) != 0) {
    return std::unexpected(fmt::format("media relay: epoll_ctl: {}", std::strerror(errno)));
  }
  try {
    thread_ = std::thread([this] { run(); });
  } catch (const std::system_error& error) {
    return std::unexpected(fmt::format("media relay: cannot start a thread: {}", error.what()));
  }
  // Named so `top -H` and perf show where media CPU goes (15 characters at most).
  const std::string name = fmt::format("media-relay-{}", index_);
  ::pthread_setname_np(thread_.native_handle(), name.substr(0, 15).c_str());
  return {};
}

void RelayWorker::stop() {
  if (!thread_.joinable()) {
    return;
  }
  {
    const std::scoped_lock lock(mutex_);
    stopping_ = true;
  }
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto written = ::write(wake_.get(), &one, sizeof one);
  thread_.join();
  flush_metrics();
}

void RelayWorker::post(RelayCommand command) {
  bool was_empty = false;
  {
    const std::scoped_lock lock(mutex_);
    was_empty = queue_.empty();
    queue_.push_back(std::move(command));
  }
  if (was_empty) {
    const std::uint64_t one = 1;
    // Cannot fail short of a closed eventfd; the counter cannot overflow at one per post.
    [[maybe_unused]] const auto written = ::write(wake_.get(), &one, sizeof one);
  }
}

void RelayWorker::run() {
  std::array<epoll_event, kMaxEvents> events{};
  unsigned turns_since_flush = 0;
  bool stopping = false;
  while (!stopping) {
    const bool unflushed =
        relayed_ + dropped_no_destination_ + dropped_too_large_ + dropped_send_failed_ != 0;
    const int ready = ::epoll_wait(epoll_.get(), events.data(), static_cast<int>(events.size()),
                                   unflushed ? kFlushTimeoutMs : -1);
    if (ready < 0) {
      if (errno == EINTR) {
        continue;
      }
      spdlog::error("media: relay thread {} stops: epoll_wait: {}", index_, std::strerror(errno));
      return;
    }
    const auto count = static_cast<std::size_t>(ready);
    // Commands first: a set_peer posted before a packet was sent must apply to that packet.
    for (std::size_t i = 0; i < count; ++i) {
      if (events[i].data.ptr == nullptr) {
        std::uint64_t wakes = 0;
        [[maybe_unused]] const auto got = ::read(wake_.get(), &wakes, sizeof wakes);
        take_commands();
        const std::scoped_lock lock(mutex_);
        stopping = stopping_;
      }
    }
    for (std::size_t i = 0; i < count; ++i) {
      auto* socket = static_cast<RelaySocket*>(events[i].data.ptr);
      if (socket != nullptr && !socket->stream->closed) {
        relay(*socket);
      }
    }
    graveyard_.clear();
    if (count == 0 || ++turns_since_flush >= kFlushEveryTurns) {
      flush_metrics();
      turns_since_flush = 0;
    }
  }
}

void RelayWorker::take_commands() {
  {
    const std::scoped_lock lock(mutex_);
    taken_.swap(queue_);
  }
  for (RelayCommand& command : taken_) {
    apply(command);
  }
  taken_.clear();
}

void RelayWorker::apply(RelayCommand& command) {
  RelayStream& stream = *command.stream;
  switch (command.kind) {
  case RelayCommand::Kind::add:
    add(command.stream);
    break;
  case RelayCommand::Kind::set_peer:
    for (std::size_t channel = 0; channel < kChannels; ++channel) {
      Route& route = stream.routes[command.side][channel];
      route.destination = command.latch_only ? SocketAddress{} : command.destinations[channel];
      route.latched = false;
    }
    break;
  case RelayCommand::Kind::remove:
    remove(command.stream);
    break;
  }
}

void RelayWorker::add(const std::shared_ptr<RelayStream>& stream) {
  for (auto& side : stream->sockets) {
    for (RelaySocket& socket : side) {
      epoll_event event{};
      // Level-triggered: one batch per socket per turn keeps streams fair, and what is left
      // is reported again on the next turn.
      event.events = EPOLLIN;
      event.data.ptr = &socket;
      if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, socket.fd.get(), &event) != 0) {
        spdlog::error("media: stream {}: cannot watch port {}: {}", stream->id, stream->ports.a_rtp,
                      std::strerror(errno));
      }
    }
  }
}

void RelayWorker::remove(const std::shared_ptr<RelayStream>& stream) {
  for (auto& side : stream->sockets) {
    for (RelaySocket& socket : side) {
      ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, socket.fd.get(), nullptr);
      socket.fd.reset();
    }
  }
  // The sockets are closed, so the ports can be bound again.
  allocator_.release(stream->ports.a_rtp);
  allocator_.release(stream->ports.b_rtp);
  stream->closed = true;
  graveyard_.push_back(stream);
}

// The hot path: one recvmmsg, latching, one sendmmsg (or a few when the kernel refuses one).
void RelayWorker::relay(RelaySocket& socket) {
  const int received = ::recvmmsg(socket.fd.get(), receive_.data(), kBatch, MSG_DONTWAIT, nullptr);
  if (received <= 0) {
    return; // nothing after all, or a socket error that reading has now cleared
  }
  const auto count = static_cast<std::size_t>(received);
  RelayStream& stream = *socket.stream;

  // RFC 4961 symmetric RTP: the phone wants packets where it sends them from, which behind
  // NAT is not the address in its SDP.
  Route& back = stream.routes[socket.side][socket.channel];
  if (!back.latched) {
    back.destination = sources_[0];
    back.destination.length = receive_[0].msg_hdr.msg_namelen;
    back.latched = true;
  }

  std::uint64_t bytes = 0;
  for (std::size_t i = 0; i < count; ++i) {
    bytes += receive_[i].msg_len;
    receive_[i].msg_hdr.msg_namelen = sizeof sources_[i].storage;
  }
  add_relaxed(stream.packets_from[socket.side], count);
  add_relaxed(stream.bytes_from[socket.side], bytes);

  const std::size_t other = socket.side ^ 1U;
  const Route& onward = stream.routes[other][socket.channel];
  if (onward.destination.empty()) {
    dropped_no_destination_ += count;
    return;
  }
  std::size_t sendable = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if ((receive_[i].msg_hdr.msg_flags & MSG_TRUNC) != 0) {
      ++dropped_too_large_;
      continue;
    }
    send_iov_[sendable].iov_base = buffers_[i].data();
    send_iov_[sendable].iov_len = receive_[i].msg_len;
    // sendmmsg does not write to the name; the cast only satisfies msghdr's type.
    send_[sendable].msg_hdr.msg_name = const_cast<sockaddr*>(onward.destination.data());
    send_[sendable].msg_hdr.msg_namelen = onward.destination.length;
    ++sendable;
  }
  send_batch(stream.sockets[other][socket.channel].fd.get(), sendable);
}

void RelayWorker::send_batch(int fd, std::size_t count) {
  std::size_t offset = 0;
  while (offset < count) {
    const int sent =
        ::sendmmsg(fd, send_.data() + offset, static_cast<unsigned>(count - offset), MSG_DONTWAIT);
    if (sent > 0) {
      offset += static_cast<std::size_t>(sent);
      relayed_ += static_cast<std::uint64_t>(sent);
    } else if (sent < 0 && errno == EINTR) {
      continue;
    } else if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)) {
      // The socket buffer is full: late audio is useless, so drop rather than queue.
      dropped_send_failed_ += count - offset;
      return;
    } else {
      // This datagram was refused (no route, a firewall); the rest may still go.
      ++dropped_send_failed_;
      ++offset;
    }
  }
}

void RelayWorker::flush_metrics() {
  flush_into(metrics_.packets_relayed, relayed_);
  flush_into(metrics_.dropped_no_destination, dropped_no_destination_);
  flush_into(metrics_.dropped_too_large, dropped_too_large_);
  flush_into(metrics_.dropped_send_failed, dropped_send_failed_);
}

} // namespace starling::media::detail
