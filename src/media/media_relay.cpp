// The RTP/RTCP relay's signalling-thread side: streams, ports and the workers they go to.
#include "media/media_relay.h"

#include <cstring>
#include <utility>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "media/detail/relay_metrics.h"
#include "media/detail/relay_stream.h"
#include "media/detail/relay_worker.h"
#include "media/detail/udp_socket.h"
#include "media/port_allocator.h"

namespace starling::media {

namespace {

// Fills side `side` of `stream` with the sockets of `pair`.
void take_sockets(detail::RelayStream& stream, Side side, BoundPortPair& pair) {
  auto& sockets = stream.sockets[detail::index_of(side)];
  for (std::size_t channel = 0; channel < detail::kChannels; ++channel) {
    sockets[channel].stream = &stream;
    sockets[channel].side = static_cast<std::uint8_t>(detail::index_of(side));
    sockets[channel].channel = static_cast<std::uint8_t>(channel);
  }
  sockets[detail::index_of(detail::Channel::rtp)].fd = std::move(pair.rtp);
  sockets[detail::index_of(detail::Channel::rtcp)].fd = std::move(pair.rtcp);
}

char side_name(Side side) {
  return side == Side::a ? 'a' : 'b';
}

} // namespace

std::string_view to_string(RelayError error) {
  switch (error) {
  case RelayError::ports_exhausted:
    return "no free RTP port pair in media.rtp_port_min..rtp_port_max";
  case RelayError::stopped:
    return "the media relay is not running";
  }
  return "unknown";
}

MediaRelay::MediaRelay(RelaySettings settings, core::MetricsRegistry& metrics)
    : settings_(std::move(settings)), metrics_(std::make_unique<detail::RelayMetrics>(metrics)),
      allocator_(std::make_unique<PortAllocator>(settings_.bind_address, settings_.port_min,
                                                 settings_.port_max)) {}

MediaRelay::~MediaRelay() {
  stop();
}

std::expected<void, std::string> MediaRelay::start() {
  if (state_ != State::created) {
    return std::unexpected(std::string("media relay: already started or stopped"));
  }
  if (allocator_->capacity() == 0) {
    return std::unexpected(fmt::format(
        "media.rtp_port_min {} and media.rtp_port_max {} leave no even RTP port with an RTCP "
        "port after it",
        settings_.port_min, settings_.port_max));
  }
  // Bind once now so a wrong media.address fails at start, not on the first call.
  if (auto probe = detail::bind_udp(settings_.bind_address, 0); !probe) {
    return std::unexpected(fmt::format("media.address {} cannot be used for RTP: {}",
                                       settings_.bind_address.to_string(),
                                       std::strerror(probe.error())));
  }
  const unsigned threads = settings_.threads == 0 ? 1 : settings_.threads;
  for (unsigned i = 0; i < threads; ++i) {
    workers_.push_back(std::make_unique<detail::RelayWorker>(i, *allocator_, *metrics_));
    if (auto started = workers_.back()->start(); !started) {
      workers_.clear();
      return std::unexpected(started.error());
    }
  }
  state_ = State::running;
  spdlog::info("media: relaying on {} ports {}-{} with {} thread{}",
               settings_.bind_address.to_string(), settings_.port_min, settings_.port_max, threads,
               threads == 1 ? "" : "s");
  return {};
}

void MediaRelay::stop() {
  if (state_ == State::stopped) {
    return;
  }
  state_ = State::stopped;
  for (auto& worker : workers_) {
    worker->stop();
  }
  std::unordered_map<StreamId, std::shared_ptr<detail::RelayStream>> closing;
  {
    const std::scoped_lock lock(mutex_);
    closing.swap(streams_);
  }
  metrics_->streams_open.add(-static_cast<std::int64_t>(closing.size()));
  closing.clear(); // closes the sockets: no worker runs any more
  workers_.clear();
}

std::expected<StreamId, RelayError> MediaRelay::open_stream() {
  if (state_ != State::running) {
    return std::unexpected(RelayError::stopped);
  }
  auto a = allocator_->allocate();
  std::optional<BoundPortPair> b;
  if (a) {
    b = allocator_->allocate();
  }
  if (!a || !b) {
    if (a) {
      const std::uint16_t port = a->rtp_port;
      a.reset(); // close before the port is offered again
      allocator_->release(port);
    }
    metrics_->ports_exhausted.increment();
    spdlog::warn("media: no free RTP port pair in {}-{} ({} streams open)", settings_.port_min,
                 settings_.port_max, open_streams());
    return std::unexpected(RelayError::ports_exhausted);
  }

  auto stream = std::make_shared<detail::RelayStream>();
  stream->id = next_id_++;
  stream->ports = StreamPorts{.a_rtp = a->rtp_port, .b_rtp = b->rtp_port};
  stream->worker = next_worker_;
  next_worker_ = (next_worker_ + 1) % workers_.size();
  take_sockets(*stream, Side::a, *a);
  take_sockets(*stream, Side::b, *b);
  {
    const std::scoped_lock lock(mutex_);
    streams_.emplace(stream->id, stream);
  }
  metrics_->streams_open.add(1);
  spdlog::debug("media: stream {} opened on ports {} (a) and {} (b), thread {}", stream->id,
                stream->ports.a_rtp, stream->ports.b_rtp, stream->worker);
  const StreamId id = stream->id;
  const std::size_t worker = stream->worker;
  workers_[worker]->post(
      detail::RelayCommand{.kind = detail::RelayCommand::Kind::add, .stream = std::move(stream)});
  return id;
}

StreamPorts MediaRelay::ports(StreamId stream) const {
  const std::scoped_lock lock(mutex_);
  const auto found = streams_.find(stream);
  return found == streams_.end() ? StreamPorts{} : found->second->ports;
}

void MediaRelay::set_peer(StreamId stream, Side side, const PeerAddress& peer) {
  std::shared_ptr<detail::RelayStream> found;
  {
    const std::scoped_lock lock(mutex_);
    if (const auto it = streams_.find(stream); it != streams_.end()) {
      found = it->second;
    }
  }
  if (!found || state_ != State::running) {
    return;
  }
  const int family = detail::family_of(settings_.bind_address);
  detail::RelayCommand command{.kind = detail::RelayCommand::Kind::set_peer,
                               .stream = std::move(found),
                               .side = static_cast<std::uint8_t>(detail::index_of(side)),
                               .destinations = {detail::to_socket_address(peer.rtp, family),
                                                detail::to_socket_address(peer.rtcp, family)},
                               .latch_only = peer.latch_only};
  if (!peer.latch_only && command.destinations[0].empty() && peer.rtp.port() != 0 &&
      !peer.rtp.address().is_unspecified()) {
    // An IPv6 phone behind an IPv4-only media.address, or the reverse: it can still latch.
    spdlog::warn("media: stream {} side {}: {} cannot be reached from media.address {}", stream,
                 side_name(side), peer.rtp.address().to_string(),
                 settings_.bind_address.to_string());
  }
  const std::size_t worker = command.stream->worker;
  workers_[worker]->post(std::move(command));
}

void MediaRelay::close_stream(StreamId stream) {
  std::shared_ptr<detail::RelayStream> found;
  {
    const std::scoped_lock lock(mutex_);
    if (const auto it = streams_.find(stream); it != streams_.end()) {
      found = std::move(it->second);
      streams_.erase(it);
    }
  }
  if (!found) {
    return;
  }
  metrics_->streams_open.add(-1);
  spdlog::debug("media: stream {} closed", stream);
  if (state_ == State::running) {
    // The worker closes the sockets: it may be reading them right now.
    const std::size_t worker = found->worker;
    workers_[worker]->post(detail::RelayCommand{.kind = detail::RelayCommand::Kind::remove,
                                                .stream = std::move(found)});
  }
}

std::optional<StreamCounters> MediaRelay::counters(StreamId stream) const {
  const std::scoped_lock lock(mutex_);
  const auto found = streams_.find(stream);
  if (found == streams_.end()) {
    return std::nullopt;
  }
  const detail::RelayStream& s = *found->second;
  const auto from = [&s](Side side) {
    const std::size_t i = detail::index_of(side);
    return std::pair(s.packets_from[i].load(std::memory_order_relaxed),
                     s.bytes_from[i].load(std::memory_order_relaxed));
  };
  const auto [packets_a, bytes_a] = from(Side::a);
  const auto [packets_b, bytes_b] = from(Side::b);
  return StreamCounters{.packets_from_a = packets_a,
                        .packets_from_b = packets_b,
                        .bytes_from_a = bytes_a,
                        .bytes_from_b = bytes_b};
}

std::size_t MediaRelay::open_streams() const {
  const std::scoped_lock lock(mutex_);
  return streams_.size();
}

} // namespace starling::media
