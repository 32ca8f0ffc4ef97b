// One live event WebSocket (/api/v1/events): a bounded queue of events for one viewer.
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "http/detail/tls_stream.h"
#include "http/http_metrics.h"
#include "http/limits.h"
#include "http/live_events.h"

namespace starling::http::detail {

class EventHub;

class EventStream final : public std::enable_shared_from_this<EventStream> {
public:
  // `context` is the TLS context `stream` was accepted with; it must outlive the stream.
  EventStream(std::shared_ptr<boost::asio::ssl::context> context, TlsStream stream, Viewer viewer,
              EventHub& hub, const HttpLimits& limits, HttpMetrics& metrics);

  // Completes the upgrade, then serves events until the client or the server closes.
  boost::asio::awaitable<void> run(Request upgrade);

  // Queues one message. Any thread; returns at once.
  void deliver(std::shared_ptr<const std::string> message);
  // Sends a close frame ("going away"). Any thread.
  void close();

  [[nodiscard]] const Viewer& viewer() const { return viewer_; }

private:
  using Socket = boost::beast::websocket::stream<TlsStream>;

  void enqueue(std::shared_ptr<const std::string> message);
  void close_with(boost::beast::websocket::close_code code);
  boost::asio::awaitable<void> write_loop();

  std::shared_ptr<boost::asio::ssl::context> context_;
  Socket socket_;
  const Viewer viewer_;
  EventHub& hub_;
  const HttpLimits& limits_;
  HttpMetrics& metrics_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  boost::asio::steady_timer wake_;
  bool finished_ = false;
  std::optional<boost::beast::websocket::close_code> close_code_;
};

} // namespace starling::http::detail
