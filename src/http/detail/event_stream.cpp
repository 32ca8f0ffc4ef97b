// A live event WebSocket: accept, a writer draining a bounded queue, a reader for control frames.
#include "http/detail/event_stream.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "http/detail/event_hub.h"
#include "http/security_headers.h"

namespace starling::http::detail {

namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;
using asio::as_tuple;
using asio::use_awaitable;

namespace {

constexpr std::string_view kEventsPath = "/api/v1/events";

} // namespace

EventStream::EventStream(std::shared_ptr<asio::ssl::context> context, TlsStream stream,
                         Viewer viewer, EventHub& hub, const HttpLimits& limits,
                         HttpMetrics& metrics)
    : context_(std::move(context)), socket_(std::move(stream)), viewer_(viewer), hub_(hub),
      limits_(limits), metrics_(metrics), wake_(socket_.get_executor()) {}

asio::awaitable<void> EventStream::run(Request upgrade) {
  // The WebSocket's own timers take over from the TCP stream's: a ping after half the idle
  // time, a close when not even the pong comes back.
  boost::beast::get_lowest_layer(socket_).expires_never();
  websocket::stream_base::timeout timeout{};
  timeout.handshake_timeout = limits_.header_timeout;
  timeout.idle_timeout = limits_.event_stream_idle_timeout;
  timeout.keep_alive_pings = true;
  socket_.set_option(timeout);
  socket_.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
    add_security_headers(response, true, kEventsPath);
  }));
  socket_.read_message_max(4096); // clients have nothing to say on this stream
  auto [accept_error] = co_await socket_.async_accept(upgrade, as_tuple(use_awaitable));
  metrics_.respond(accept_error ? Status::bad_request : Status::switching_protocols);
  if (accept_error) {
    co_return;
  }
  hub_.add(shared_from_this());
  metrics_.event_streams.add(1);
  asio::co_spawn(
      socket_.get_executor(), [self = shared_from_this()] { return self->write_loop(); },
      asio::detached);
  boost::beast::flat_buffer ignored;
  while (true) {
    auto [error, size] = co_await socket_.async_read(ignored, as_tuple(use_awaitable));
    if (error) {
      break;
    }
    ignored.consume(size);
  }
  hub_.remove(this);
  metrics_.event_streams.add(-1);
  finished_ = true;
  wake_.cancel();
}

void EventStream::deliver(std::shared_ptr<const std::string> message) {
  asio::post(socket_.get_executor(),
             [self = shared_from_this(), message = std::move(message)] { self->enqueue(message); });
}

void EventStream::close() {
  asio::post(socket_.get_executor(),
             [self = shared_from_this()] { self->close_with(websocket::close_code::going_away); });
}

void EventStream::enqueue(std::shared_ptr<const std::string> message) {
  if (finished_ || close_code_) {
    return;
  }
  // A client this far behind is closed rather than made to skip events: the web UI then
  // reconnects and reloads the state, where skipped events would leave it silently wrong.
  if (queue_.size() >= limits_.queued_events) {
    metrics_.reject(Rejection::event_queue_full);
    queue_.clear();
    close_with(websocket::close_code::try_again_later);
    return;
  }
  queue_.push_back(std::move(message));
  metrics_.events_sent.increment();
  wake_.cancel();
}

void EventStream::close_with(websocket::close_code code) {
  if (!close_code_ && !finished_) {
    close_code_ = code;
    wake_.cancel();
  }
}

asio::awaitable<void> EventStream::write_loop() {
  socket_.text(true);
  while (!finished_) {
    if (close_code_) {
      co_await socket_.async_close(*close_code_, as_tuple(use_awaitable));
      co_return;
    }
    if (queue_.empty()) {
      wake_.expires_at(asio::steady_timer::time_point::max());
      co_await wake_.async_wait(as_tuple(use_awaitable));
      continue;
    }
    const auto message = std::move(queue_.front());
    queue_.pop_front();
    auto [error, written] =
        co_await socket_.async_write(asio::buffer(*message), as_tuple(use_awaitable));
    if (error) {
      co_return;
    }
  }
}

} // namespace starling::http::detail
