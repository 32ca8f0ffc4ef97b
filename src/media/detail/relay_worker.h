// A relay thread: its own epoll loop over the sockets of the streams it was given, moving
// packets in batches (recvmmsg, sendmmsg) without a lock or an allocation per packet.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "media/detail/relay_metrics.h"
#include "media/detail/relay_stream.h"
#include "media/detail/udp_socket.h"
#include "media/port_allocator.h"

namespace starling::media::detail {

// What the signalling thread asks of a worker. Commands reach the worker in the order posted,
// so a stream is always added before its peers are set and removed last.
struct RelayCommand {
  enum class Kind : std::uint8_t { add, set_peer, remove };

  Kind kind = Kind::add;
  std::shared_ptr<RelayStream> stream;
  // set_peer only: the side and its SDP destinations, already in the sockets' family.
  std::uint8_t side = 0;
  std::array<SocketAddress, kChannels> destinations{};
  bool latch_only = false;
};

class RelayWorker {
public:
  RelayWorker(std::size_t index, PortAllocator& allocator, RelayMetrics& metrics);
  RelayWorker(const RelayWorker&) = delete;
  RelayWorker& operator=(const RelayWorker&) = delete;
  RelayWorker(RelayWorker&&) = delete;
  RelayWorker& operator=(RelayWorker&&) = delete;
  ~RelayWorker(); // stops

  std::expected<void, std::string> start();
  // Waits for the thread to finish its current batch and exit. Streams still open keep their
  // sockets until their last owner lets go.
  void stop();

  // From the signalling thread; takes a lock only to append and wakes the worker only when its
  // queue was empty.
  void post(RelayCommand command);

private:
  // Large enough that a busy socket drains in few system calls; each ready socket gets one
  // batch per loop turn (level-triggered epoll), so a flood on one stream cannot starve others.
  static constexpr std::size_t kBatch = 32;
  // An Ethernet MTU with room to spare; RTP is never fragmented in practice, and larger
  // datagrams are dropped (counted) rather than relayed truncated.
  static constexpr std::size_t kMaxDatagram = 2048;
  static constexpr std::size_t kMaxEvents = 64;
  // Metrics are added to the shared counters every so many loop turns rather than per batch,
  // so two workers do not bounce the counters' cache line between cores; an idle worker
  // flushes after kFlushTimeoutMs.
  static constexpr unsigned kFlushEveryTurns = 32;
  static constexpr int kFlushTimeoutMs = 50;

  void run();
  void take_commands();
  void apply(RelayCommand& command);
  void add(const std::shared_ptr<RelayStream>& stream);
  void remove(const std::shared_ptr<RelayStream>& stream);
  void relay(RelaySocket& socket);
  void send_batch(int fd, std::size_t count);
  void flush_metrics();

  const std::size_t index_;
  PortAllocator& allocator_;
  RelayMetrics& metrics_;
  core::UniqueFd epoll_;
  core::UniqueFd wake_; // an eventfd
  std::thread thread_;

  std::mutex mutex_;
  std::vector<RelayCommand> queue_; // guarded by mutex_
  bool stopping_ = false;           // guarded by mutex_

  // The worker thread's own from here on.
  std::vector<RelayCommand> taken_;
  // Removed streams live until the end of the loop turn: events fetched in the same turn may
  // still point at their sockets.
  std::vector<std::shared_ptr<RelayStream>> graveyard_;
  std::array<std::array<std::byte, kMaxDatagram>, kBatch> buffers_{};
  std::array<SocketAddress, kBatch> sources_{};
  std::array<iovec, kBatch> receive_iov_{};
  std::array<mmsghdr, kBatch> receive_{};
  std::array<iovec, kBatch> send_iov_{};
  std::array<mmsghdr, kBatch> send_{};
  std::uint64_t relayed_ = 0;
  std::uint64_t dropped_no_destination_ = 0;
  std::uint64_t dropped_too_large_ = 0;
  std::uint64_t dropped_send_failed_ = 0;
};

} // namespace starling::media::detail
