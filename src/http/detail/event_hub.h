// The open live event streams, and the fan-out of each published event to those who may see it.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "http/live_events.h"

namespace starling::http::detail {

class EventStream;

class EventHub {
public:
  // All thread-safe.
  void add(const std::shared_ptr<EventStream>& stream);
  void remove(const EventStream* stream);
  void publish(const LiveEvent& event);
  void close_all();
  [[nodiscard]] std::size_t size() const;

private:
  mutable std::mutex mutex_;
  std::vector<std::weak_ptr<EventStream>> streams_;
};

} // namespace starling::http::detail
