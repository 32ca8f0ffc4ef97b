// Saves bindings to the store on a thread of its own, many registrations per transaction,
// so the signalling thread never waits for the disk and a burst costs few disk syncs.
#include "sip/registrar/store_binding_writer.h"

#include <chrono>
#include <utility>
#include <vector>

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

namespace starling::sip {
namespace {

// Bounds the latency one transaction adds to the last registration in it.
constexpr std::size_t kMaxBatch = 512;
// Group commit: a save waits this long for others to share its disk sync. Measured with
// bench/run.py: one sync per registration made the disk, not the CPU, the limit; at
// 15,000 registrations a second a 3 ms window still spent a fifth of the CPU on syncs and
// failed some steps, where 10 ms did not; at 8,000 a second 20 ms spent about a tenth less
// CPU per registration than 10 ms (fewer syncs, and each batch's changes share more of the
// pages written to the log). At 1,000 a second, where a sync and its commit cost a fifth
// of a registration, 50 ms spent 8% less CPU per registration than 20 ms (five turns each,
// taking turns). A phone retransmits only after 500 ms.
constexpr std::chrono::milliseconds kGroupCommitWindow{50};
// At most this long between disk syncs (see DiskSyncSchedule); the batches between survive
// kill -9. A sync per batch was a third of this thread's CPU at 1,000 registrations a second
// on the development VM (12.7 against 8.4 µs per registration, SIPp, bench/run.py's load).
constexpr std::chrono::seconds kDiskSyncInterval{1};

} // namespace

StoreBindingWriter::StoreBindingWriter(store::Store& store, boost::asio::io_context& completions)
    : store_(store), completions_(completions), disk_syncs_(kDiskSyncInterval),
      thread_([this] { run(); }) {}

StoreBindingWriter::~StoreBindingWriter() {
  {
    const std::scoped_lock lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void StoreBindingWriter::save(store::AorBindings bindings, Done done) {
  bool wake = false;
  {
    const std::scoped_lock lock(mutex_);
    queue_.push_back({std::move(bindings), std::move(done)});
    // Only the first save of a batch, or a full batch, is worth a wake-up.
    wake = queue_.size() == 1 || queue_.size() == kMaxBatch;
  }
  if (wake) {
    wake_.notify_one();
  }
}

std::size_t StoreBindingWriter::backlog() const {
  const std::scoped_lock lock(mutex_);
  return queue_.size();
}

void StoreBindingWriter::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) {
      return; // stopping, and everything asked for is written
    }
    wake_.wait_for(lock, kGroupCommitWindow,
                   [this] { return stopping_ || queue_.size() >= kMaxBatch; });
    std::vector<Pending> batch;
    while (!queue_.empty() && batch.size() < kMaxBatch) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    const auto now = std::chrono::steady_clock::now();
    // What is written while stopping is synced: the process may be about to be powered off.
    const auto durability =
        stopping_ ? store::Durability::power_loss : disk_syncs_.durability_at(now);
    lock.unlock();
    std::vector<store::AorBindings> changes;
    changes.reserve(batch.size());
    for (auto& pending : batch) {
      changes.push_back(std::move(pending.bindings)); // in order: the last save of an AOR wins
    }
    const auto saved = store_.replace_bindings(changes, durability);
    if (!saved) {
      spdlog::error("registrations could not be saved: {}", saved.error().message);
    } else if (durability == store::Durability::power_loss) {
      disk_syncs_.synced(now);
    }
    // One hand-over for the whole batch: a post per registration cost a wake-up and an
    // allocation each on the signalling thread. The bindings go back with it, to be freed
    // on the thread that allocated them: freed here, their memory piled up in this thread's
    // malloc cache while the signalling thread's ran empty and every allocation there took
    // the arena's slow path (a tenth of the server's CPU went to malloc and free).
    boost::asio::post(completions_, [batch = std::move(batch), changes = std::move(changes),
                                     ok = saved.has_value()] {
      for (const auto& pending : batch) {
        pending.done(ok);
      }
    });
    lock.lock();
  }
}

} // namespace starling::sip
