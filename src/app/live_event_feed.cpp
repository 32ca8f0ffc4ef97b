// The web UI's live view: registrations and call state changes from the event bus, as JSON
// messages for /api/v1/events, each marked with the user it belongs to.
#include "app/live_event_feed.h"

#include <algorithm>
#include <array>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace starling::app {

namespace {

std::string_view registration_word(sip::RegistrationEvent::Kind kind) {
  static constexpr std::array kWords = {"registered", "refreshed", "unregistered", "expired"};
  return kWords.at(static_cast<std::size_t>(kind));
}

boost::json::value text_or_null(const std::string& text) {
  return text.empty() ? boost::json::value(nullptr) : boost::json::value(text);
}

} // namespace

template <typename Event> void LiveEventFeed::enqueue(const Event& event) {
  if (!sink_.has_viewers()) {
    return;
  }
  {
    const std::scoped_lock lock(mutex_);
    if (queue_.size() >= kMaxQueued) {
      dropped_.increment();
      return;
    }
    queue_.emplace_back(event);
  }
  wake_.notify_one();
}

LiveEventFeed::LiveEventFeed(core::EventBus& events, store::Store& store, http::LiveEventSink& sink,
                             core::MetricsRegistry& metrics)
    : store_(store), sink_(sink),
      dropped_(metrics.counter("starling_live_events_dropped_total",
                               "Registration and call changes left out of the live view because "
                               "too many were waiting")),
      thread_([this] { run(); }),
      registrations_(events.subscribe<sip::RegistrationEvent>(
          [this](const sip::RegistrationEvent& event) { enqueue(event); })),
      calls_(events.subscribe<pbx::CallStateEvent>(
          [this](const pbx::CallStateEvent& event) { enqueue(event); })) {}

LiveEventFeed::~LiveEventFeed() {
  registrations_.reset();
  calls_.reset();
  {
    const std::scoped_lock lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void LiveEventFeed::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) {
      return;
    }
    Change change = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    std::visit([this](const auto& event) { publish(event); }, change);
    lock.lock();
  }
}

void LiveEventFeed::publish(const sip::RegistrationEvent& event) {
  const auto owner = device_owner(event.aor);
  boost::json::object json{{"type", "registration"},
                           {"aor", event.aor},
                           {"device", event.aor},
                           {"user", owner ? boost::json::value(owner->name) : nullptr},
                           {"event", registration_word(event.kind)},
                           {"contact", event.contact},
                           {"transport", event.transport},
                           {"source", event.source},
                           {"expires_in", event.expires_in},
                           {"user_agent", event.user_agent}};
  std::vector<Owner> owners;
  if (owner) {
    owners.push_back(*owner);
  }
  publish_to(boost::json::serialize(json), owners);
}

void LiveEventFeed::publish(const pbx::CallStateEvent& event) {
  const auto caller = device_owner(event.caller);
  const auto callee =
      event.device.empty() ? dialled_owner(event.callee) : device_owner(event.device);
  boost::json::object json{{"type", "call"},
                           {"id", event.call_id},
                           {"state", pbx::to_string(event.state)},
                           {"caller", event.caller},
                           {"callee", event.callee},
                           {"device", text_or_null(event.device)},
                           {"caller_user", caller ? boost::json::value(caller->name) : nullptr},
                           {"callee_user", callee ? boost::json::value(callee->name) : nullptr},
                           {"hangup_cause", text_or_null(event.hangup_cause)},
                           {"hangup_side", text_or_null(event.hangup_side)}};
  std::vector<Owner> owners;
  for (const auto& party : {caller, callee}) {
    if (party &&
        std::ranges::none_of(owners, [&](const Owner& known) { return known.id == party->id; })) {
      owners.push_back(*party);
    }
  }
  publish_to(boost::json::serialize(json), owners);
}

void LiveEventFeed::publish_to(std::string json, const std::vector<Owner>& owners) {
  http::LiveEvent event{std::move(json), {}};
  for (const auto& owner : owners) {
    event.owners.push_back(owner.id);
  }
  sink_.publish(std::move(event));
}

std::optional<LiveEventFeed::Owner> LiveEventFeed::device_owner(std::string_view device) {
  const auto found = store_.find_device(device);
  if (!found || !*found) {
    return std::nullopt;
  }
  return Owner{(*found)->user_id, (*found)->user_name};
}

std::optional<LiveEventFeed::Owner> LiveEventFeed::dialled_owner(std::string_view dialled) {
  if (const auto extension = store_.find_extension(dialled); extension && *extension) {
    if (!(*extension)->user_id) {
      return std::nullopt; // a group: its members' own devices answer, and say so then
    }
    return Owner{*(*extension)->user_id, (*extension)->target_name};
  }
  if (const auto user = store_.find_user(dialled); user && *user) {
    return Owner{(*user)->id, (*user)->name};
  }
  return device_owner(dialled);
}

} // namespace starling::app
