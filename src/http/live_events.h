// Live events for the web UI (/api/v1/events over WebSocket): who may watch, and what they see.
#pragma once

#include <algorithm>
#include <cstdint>
#include <expected>
#include <functional>
#include <string>
#include <vector>

#include "http/handler.h"

namespace starling::http {

// Whose stream a WebSocket is. Administrators see every event; a user sees only the
// events that belong to them.
struct Viewer {
  std::int64_t user_id = 0;
  bool admin = false;
};

// Decides whether a request may open the event stream: the viewer it opens for, or the
// response that refuses it (401, 403).
using EventStreamAuthorizer =
    std::function<std::expected<Viewer, Response>(const Request&, const RequestContext&)>;

struct LiveEvent {
  std::string json; // one WebSocket text message
  // The users the event belongs to: the owner of a registered device, both parties of a
  // call. Empty: a change of the system's own, for administrators only.
  std::vector<std::int64_t> owners;
};

[[nodiscard]] inline bool may_see(const Viewer& viewer, const LiveEvent& event) {
  return viewer.admin || std::ranges::find(event.owners, viewer.user_id) != event.owners.end();
}

// Implemented by the HTTP server. Safe to call from any thread; never blocks (a slow
// viewer loses events rather than holding up the publisher).
class LiveEventSink {
public:
  LiveEventSink() = default;
  LiveEventSink(const LiveEventSink&) = delete;
  LiveEventSink& operator=(const LiveEventSink&) = delete;
  LiveEventSink(LiveEventSink&&) = delete;
  LiveEventSink& operator=(LiveEventSink&&) = delete;
  virtual ~LiveEventSink() = default;

  virtual void publish(LiveEvent event) = 0;
  // Whether anyone watches the stream now. With nobody, there is no need to find out whose
  // an event is (a database lookup for every registration on a busy registrar).
  [[nodiscard]] virtual bool has_viewers() const = 0;
};

} // namespace starling::http
