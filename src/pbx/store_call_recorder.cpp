// Saves call legs to the store on a thread of its own, many state changes per transaction,
// so a signalling thread never waits for the disk and a burst of calls costs few disk syncs.
#include "pbx/store_call_recorder.h"

#include <utility>

#include <spdlog/spdlog.h>

namespace starling::pbx {
namespace {

// A batch this large is written at once rather than after the group-commit window.
constexpr std::size_t kMaxBatch = 512;
// Group commit, as the registrar's binding writer does: a change waits this long for others
// to share its disk sync. A call makes several changes within milliseconds (a leg per
// device rings, one answers, the others are cancelled), which then cost one write.
constexpr std::chrono::milliseconds kGroupCommitWindow{5};
// While the store keeps failing, legs beyond this many are dropped (and counted) rather
// than held: about 30 MB, hours of a busy PBX's changes.
constexpr std::size_t kMaxPending = 100'000;

std::string key_of(const store::CallLeg& leg) {
  std::string key;
  key.reserve(leg.call_id.size() + 1 + leg.leg.size());
  key.append(leg.call_id).push_back('\0');
  key.append(leg.leg);
  return key;
}

} // namespace

StoreCallRecorder::StoreCallRecorder(store::Store& store, core::MetricsRegistry& metrics,
                                     std::chrono::milliseconds retry_delay)
    : store_(store),
      write_failures_(metrics.counter("starling_call_records_write_failures_total",
                                      "Batches of call records the store failed to save")),
      lost_(metrics.counter("starling_call_records_lost_total",
                            "Call leg changes dropped because the store kept failing")),
      retry_delay_(retry_delay), thread_([this] { run(); }) {}

StoreCallRecorder::~StoreCallRecorder() {
  {
    const std::scoped_lock lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void StoreCallRecorder::record(store::CallLeg leg) {
  bool wake = false;
  {
    const std::scoped_lock lock(mutex_);
    enqueue(std::move(leg), true);
    // Only the first change of a batch, or a full batch, is worth a wake-up.
    wake = pending_.size() == 1 || pending_.size() == kMaxBatch;
  }
  if (wake) {
    wake_.notify_one();
  }
}

std::size_t StoreCallRecorder::backlog() const {
  const std::scoped_lock lock(mutex_);
  return pending_.size();
}

void StoreCallRecorder::enqueue(store::CallLeg leg, bool supersede) {
  auto [slot, added] = pending_index_.try_emplace(key_of(leg), pending_.size());
  if (added) {
    pending_.push_back(std::move(leg));
  } else if (supersede) {
    pending_[slot->second] = std::move(leg);
  }
}

bool StoreCallRecorder::requeue(std::vector<store::CallLeg> batch) {
  if (pending_.size() + batch.size() > kMaxPending) {
    lost_.increment(batch.size());
    return false;
  }
  for (auto& leg : batch) {
    enqueue(std::move(leg), false); // a change that arrived meanwhile is newer: it stays
  }
  return true;
}

void StoreCallRecorder::run() {
  std::size_t failed_attempts = 0;
  while (true) {
    // Everything pending is one batch: coalescing bounds it by the legs that changed.
    std::vector<store::CallLeg> batch;
    std::unordered_map<std::string, std::size_t> index;
    bool last_attempt = false;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
      if (pending_.empty()) {
        return; // stopping, and every change is written
      }
      wake_.wait_for(lock, kGroupCommitWindow,
                     [this] { return stopping_ || pending_.size() >= kMaxBatch; });
      batch.swap(pending_);
      index.swap(pending_index_);
      last_attempt = stopping_;
    }
    // Freed here, not under the lock record() takes: a signalling thread never waits for it.
    index.clear();
    const auto saved = store_.save_call_legs(batch);
    if (!saved) {
      retry_later(std::move(batch), saved.error().message, last_attempt, failed_attempts);
    } else if (failed_attempts > 0) {
      spdlog::info("pbx: call records saved again after {} failed attempts", failed_attempts);
      failed_attempts = 0;
    }
  }
}

void StoreCallRecorder::retry_later(std::vector<store::CallLeg> batch, const std::string& error,
                                    bool last_attempt, std::size_t& failed_attempts) {
  write_failures_.increment();
  const auto size = batch.size();
  if (last_attempt) {
    lost_.increment(size);
    spdlog::error("pbx: {} call records lost at stop: {}", size, error);
    return; // anything record() added during the stop still gets its one attempt
  }
  // The first failure is worth an error; the retries every second are not.
  if (failed_attempts++ == 0) {
    spdlog::error("pbx: call records could not be saved, retrying: {}", error);
  } else {
    spdlog::debug("pbx: call records still cannot be saved: {}", error);
  }
  std::unique_lock lock(mutex_);
  if (!requeue(std::move(batch))) {
    spdlog::error("pbx: {} call records dropped: the store has failed for too long", size);
  }
  wake_.wait_for(lock, retry_delay_, [this] { return stopping_; });
}

} // namespace starling::pbx
