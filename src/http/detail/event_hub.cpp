// Fans live events out to the WebSockets whose viewers may see them.
#include "http/detail/event_hub.h"

#include <algorithm>

#include "http/detail/event_stream.h"

namespace starling::http::detail {

void EventHub::add(const std::shared_ptr<EventStream>& stream) {
  const std::scoped_lock lock(mutex_);
  streams_.push_back(stream);
}

void EventHub::remove(const EventStream* stream) {
  const std::scoped_lock lock(mutex_);
  std::erase_if(streams_, [stream](const auto& weak) {
    const auto open = weak.lock();
    return !open || open.get() == stream;
  });
}

void EventHub::publish(const LiveEvent& event) {
  // One copy of the text, shared by every stream that sends it.
  const auto message = std::make_shared<const std::string>(event.json);
  const std::scoped_lock lock(mutex_);
  for (const auto& weak : streams_) {
    if (const auto stream = weak.lock(); stream && may_see(stream->viewer(), event)) {
      stream->deliver(message);
    }
  }
}

void EventHub::close_all() {
  const std::scoped_lock lock(mutex_);
  for (const auto& weak : streams_) {
    if (const auto stream = weak.lock()) {
      stream->close();
    }
  }
}

std::size_t EventHub::size() const {
  const std::scoped_lock lock(mutex_);
  return streams_.size();
}

} // namespace starling::http::detail
