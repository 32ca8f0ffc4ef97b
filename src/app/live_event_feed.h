// The web UI's live view: registrations and call state changes from the event bus, as JSON
// messages for /api/v1/events, each marked with the user it belongs to.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <variant>
#include <vector>

#include "core/event_bus.h"
#include "core/metrics.h"
#include "http/live_events.h"
#include "pbx/call_event.h"
#include "sip/registrar/registration_event.h"
#include "store/store.h"

namespace starling::app {

class LiveEventFeed {
public:
  // Changes waiting for their owner to be looked up; beyond this they are dropped (and
  // counted), so a stuck database costs the live view events, never memory.
  static constexpr std::size_t kMaxQueued = 10'000;

  LiveEventFeed(core::EventBus& events, store::Store& store, http::LiveEventSink& sink,
                core::MetricsRegistry& metrics);
  LiveEventFeed(const LiveEventFeed&) = delete;
  LiveEventFeed& operator=(const LiveEventFeed&) = delete;
  LiveEventFeed(LiveEventFeed&&) = delete;
  LiveEventFeed& operator=(LiveEventFeed&&) = delete;
  // Stops listening; changes still queued are dropped.
  ~LiveEventFeed();

private:
  using Change = std::variant<sip::RegistrationEvent, pbx::CallStateEvent>;
  struct Owner {
    store::Id id = 0;
    std::string name;
  };

  // On the publisher's (SIP) thread: only queues, since owners are looked up in the store;
  // not even that while nobody watches.
  template <typename Event> void enqueue(const Event& event);
  void run();
  void publish(const sip::RegistrationEvent& event);
  void publish(const pbx::CallStateEvent& event);
  void publish_to(std::string json, const std::vector<Owner>& owners);
  std::optional<Owner> device_owner(std::string_view device);
  // A dialled number or name, as the dial plan reads it: extension, user, device.
  std::optional<Owner> dialled_owner(std::string_view dialled);

  store::Store& store_;
  http::LiveEventSink& sink_;
  core::Counter& dropped_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Change> queue_;
  bool stopping_ = false;
  std::thread thread_;
  // Last, so they are gone before anything the handlers use.
  core::EventBus::Subscription registrations_;
  core::EventBus::Subscription calls_;
};

} // namespace starling::app
