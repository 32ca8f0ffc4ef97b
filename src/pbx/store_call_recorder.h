// Saves call legs to the store on a thread of its own, many state changes per transaction,
// so a signalling thread never waits for the disk and a burst of calls costs few disk syncs.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/metrics.h"
#include "pbx/call_recorder.h"
#include "store/store.h"

namespace starling::pbx {

class StoreCallRecorder final : public CallRecorder {
public:
  // After a failed write the legs are kept and written again `retry_delay` later.
  static constexpr std::chrono::milliseconds kDefaultRetryDelay{1000};

  StoreCallRecorder(store::Store& store, core::MetricsRegistry& metrics,
                    std::chrono::milliseconds retry_delay = kDefaultRetryDelay);
  StoreCallRecorder(const StoreCallRecorder&) = delete;
  StoreCallRecorder& operator=(const StoreCallRecorder&) = delete;
  StoreCallRecorder(StoreCallRecorder&&) = delete;
  StoreCallRecorder& operator=(StoreCallRecorder&&) = delete;
  // Writes what is queued (one more attempt if the store is failing), then stops the thread.
  ~StoreCallRecorder() override;

  void record(store::CallLeg leg) override;
  // Legs waiting to be written; several updates of one leg count once.
  [[nodiscard]] std::size_t backlog() const;

private:
  void run();
  // enqueue and requeue are called with mutex_ held.
  void enqueue(store::CallLeg leg, bool supersede);
  // Puts a failed batch back behind newer updates of the same legs; false if it was dropped.
  bool requeue(std::vector<store::CallLeg> batch);
  // After a failed write: counts it, keeps the batch (or drops it at stop) and waits.
  void retry_later(std::vector<store::CallLeg> batch, const std::string& error, bool last_attempt,
                   std::size_t& failed_attempts);

  store::Store& store_;
  core::Counter& write_failures_;
  core::Counter& lost_;
  const std::chrono::milliseconds retry_delay_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  // Coalesced: one entry per (call_id, leg), holding its latest state.
  std::vector<store::CallLeg> pending_;
  std::unordered_map<std::string, std::size_t> pending_index_;
  bool stopping_ = false;
  std::thread thread_;
};

} // namespace starling::pbx
