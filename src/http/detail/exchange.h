// Sending a response the same way on both ports: security headers, metrics, write timeout.
#pragma once

#include <optional>
#include <string_view>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/write.hpp>

#include "http/detail/request_reader.h"
#include "http/detail/server_state.h"
#include "http/error_response.h"
#include "http/security_headers.h"

namespace starling::http::detail {

// The answer to a request that could not be read, counted; none when the client gets none
// (it left, or it was too slow: a slowloris client is not worth a write).
std::optional<Response> answer_to(ReadFailure failure, const HttpLimits& limits,
                                  HttpMetrics& metrics);

// Writes `response` with the security headers; true when the connection may carry another
// request.
template <typename Stream>
boost::asio::awaitable<bool> send(Stream& stream, Response& response, bool secure,
                                  std::string_view path, ServerState& state) {
  add_security_headers(response, secure, path);
  state.metrics.respond(response.result());
  boost::beast::get_lowest_layer(stream).expires_after(state.limits.transfer_timeout);
  auto [error, written] = co_await boost::beast::http::async_write(
      stream, response, boost::asio::as_tuple(boost::asio::use_awaitable));
  co_return !error && response.keep_alive();
}

} // namespace starling::http::detail
