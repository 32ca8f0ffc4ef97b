// An HTTPS connection: routes /api/v1/events upgrades, other /api/ requests, the routes of
// other services (uploads) and the web UI.
#include <exception>
#include <memory>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <spdlog/spdlog.h>

#include "http/detail/event_stream.h"
#include "http/detail/exchange.h"
#include "http/detail/request_reader.h"
#include "http/detail/sessions.h"
#include "http/detail/tls_stream.h"
#include "http/request_path.h"

namespace starling::http::detail {

namespace {

namespace asio = boost::asio;
using asio::as_tuple;
using asio::use_awaitable;

constexpr std::string_view kEventsPath = "/api/v1/events";
// Long enough for a close_notify to go out, short enough not to hold a slot.
constexpr std::chrono::seconds kShutdownTimeout{2};

Response call_handler(Handler& handler, const Request& request, const RequestContext& context) {
  try {
    return handler.handle(request, context);
  } catch (const std::exception& error) {
    // A handler bug costs one request its answer, never the server.
    spdlog::error("http: {} {} failed: {}", request.method_string(), request.target(),
                  error.what());
    return error_response(request, Status::internal_server_error,
                          "the server failed to answer; the log says why");
  }
}

} // namespace

asio::awaitable<void> serve_https(asio::ip::tcp::socket socket,
                                  [[maybe_unused]] ConnectionLimiter::Admission admission,
                                  ServerState& state) {
  boost::system::error_code endpoint_error;
  const RequestContext context{socket.remote_endpoint(endpoint_error).address(), true};
  auto tls_context = state.certificate.current();
  TlsStream stream(PlainStream(std::move(socket)), *tls_context);
  boost::beast::get_lowest_layer(stream).expires_after(state.limits.header_timeout);
  auto [handshake_error] =
      co_await stream.async_handshake(asio::ssl::stream_base::server, as_tuple(use_awaitable));
  if (handshake_error) {
    state.metrics.reject(Rejection::tls_handshake);
    co_return;
  }
  boost::beast::flat_buffer buffer;
  while (true) {
    auto request =
        co_await read_request(stream, buffer, state.limits, [&state](const RequestHeader& header) {
          const auto* route = state.route(target_path(header.target()));
          return route == nullptr ? state.limits.body_bytes
                                  : route->body_limit(header, state.limits.body_bytes);
        });
    if (!request) {
      if (auto answer = answer_to(request.error(), state.limits, state.metrics)) {
        co_await send(stream, *answer, true, "", state);
      }
      break;
    }
    const auto path = target_path(request->target());
    Response response;
    if (path == kEventsPath && boost::beast::websocket::is_upgrade(*request)) {
      auto viewer = state.authorize_events(*request, context);
      if (viewer) {
        auto events =
            std::make_shared<EventStream>(std::move(tls_context), std::move(stream), *viewer,
                                          state.events, state.limits, state.metrics);
        co_await events->run(std::move(*request));
        co_return;
      }
      response = std::move(viewer.error());
    } else if (auto* route = state.route(path)) {
      response = call_handler(*route, *request, context);
    } else if (is_api_path(path)) {
      response = call_handler(state.api, *request, context);
    } else {
      response = state.assets.serve(*request);
    }
    if (!co_await send(stream, response, true, path, state)) {
      break;
    }
  }
  boost::beast::get_lowest_layer(stream).expires_after(kShutdownTimeout);
  co_await stream.async_shutdown(as_tuple(use_awaitable));
}

} // namespace starling::http::detail
