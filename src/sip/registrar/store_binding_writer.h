// Saves bindings to the store on a thread of its own, many registrations per transaction,
// so the signalling thread never waits for the disk and a burst costs few disk syncs.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include <boost/asio/io_context.hpp>

#include "sip/registrar/binding_persistence.h"
#include "sip/registrar/disk_sync_schedule.h"
#include "store/store.h"

namespace starling::sip {

class StoreBindingWriter final : public BindingPersistence {
public:
  // Completions are posted to `completions`, the registrar's thread.
  StoreBindingWriter(store::Store& store, boost::asio::io_context& completions);
  StoreBindingWriter(const StoreBindingWriter&) = delete;
  StoreBindingWriter& operator=(const StoreBindingWriter&) = delete;
  StoreBindingWriter(StoreBindingWriter&&) = delete;
  StoreBindingWriter& operator=(StoreBindingWriter&&) = delete;
  // Writes what is queued, then stops the thread.
  ~StoreBindingWriter() override;

  void save(store::AorBindings bindings, Done done) override;
  [[nodiscard]] std::size_t backlog() const override;

private:
  struct Pending {
    store::AorBindings bindings;
    Done done;
  };
  void run();

  store::Store& store_;
  boost::asio::io_context& completions_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  DiskSyncSchedule disk_syncs_; // the writer thread's own
  std::thread thread_;
};

} // namespace starling::sip
