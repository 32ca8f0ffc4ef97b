// Reads one request from a plain or TLS stream within the header, body and time limits.
#pragma once

#include <cstdint>
#include <expected>
#include <functional>
#include <limits>
#include <optional>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "http/handler.h"
#include "http/limits.h"

namespace starling::http::detail {

enum class ReadFailure {
  closed,           // the client went away or stayed silent between requests: no answer
  header_too_large, // 431
  body_too_large,   // 413
  header_timeout,   // slowloris: close without an answer
  bad_request,      // 400
};

using ReadResult = std::expected<Request, ReadFailure>;
// The body limit for a request whose header has been read (Handler::body_limit).
using BodyLimit = std::function<std::size_t(const RequestHeader&)>;

inline ReadFailure classify(const boost::system::error_code& error) {
  namespace beast = boost::beast;
  if (error == beast::http::error::header_limit) {
    return ReadFailure::header_too_large;
  }
  if (error == beast::http::error::body_limit) {
    return ReadFailure::body_too_large;
  }
  if (error == beast::error::timeout) {
    return ReadFailure::header_timeout;
  }
  const auto& http_errors = make_error_code(beast::http::error::bad_method).category();
  if (error.category() == http_errors && error != beast::http::error::end_of_stream &&
      error != beast::http::error::partial_message) {
    return ReadFailure::bad_request;
  }
  return ReadFailure::closed;
}

// Waits up to the idle timeout for a request to start, then gives its header the header
// timeout and its body the transfer timeout. `buffer` carries pipelined bytes over to the
// next call. `body_limit`, when given, may allow a request more than limits.body_bytes.
template <typename Stream>
boost::asio::awaitable<ReadResult> read_request(Stream& stream, boost::beast::flat_buffer& buffer,
                                                const HttpLimits& limits,
                                                const BodyLimit& body_limit = {}) {
  namespace beast = boost::beast;
  using boost::asio::as_tuple;
  using boost::asio::use_awaitable;
  auto& tcp = beast::get_lowest_layer(stream);
  if (buffer.size() == 0) {
    tcp.expires_after(limits.idle_timeout);
    auto [error, received] = co_await stream.async_read_some(buffer.prepare(limits.header_bytes),
                                                             as_tuple(use_awaitable));
    if (error) {
      co_return std::unexpected(ReadFailure::closed);
    }
    buffer.commit(received);
  }
  tcp.expires_after(limits.header_timeout);
  beast::http::request_parser<beast::http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(limits.header_bytes));
  // Checked below, once the header says which limit applies: Beast would check a
  // Content-Length against its own limit while reading the header.
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  auto [header_error, header_bytes] =
      co_await beast::http::async_read_header(stream, buffer, parser, as_tuple(use_awaitable));
  if (header_error) {
    co_return std::unexpected(classify(header_error));
  }
  const std::size_t max_body = body_limit ? body_limit(parser.get().base()) : limits.body_bytes;
  if (const auto length = parser.content_length(); length && *length > max_body) {
    co_return std::unexpected(ReadFailure::body_too_large);
  }
  parser.body_limit(max_body); // for chunked bodies
  const auto extra_bytes = max_body > limits.body_bytes ? max_body - limits.body_bytes : 0;
  tcp.expires_after(limits.transfer_timeout +
                    std::chrono::seconds(extra_bytes / limits.slow_upload_bytes_per_second));
  if (beast::iequals(parser.get()[Field::expect], "100-continue") && !parser.is_done()) {
    beast::http::response<beast::http::empty_body> proceed{Status::continue_, 11};
    auto [error, written] =
        co_await beast::http::async_write(stream, proceed, as_tuple(use_awaitable));
    if (error) {
      co_return std::unexpected(ReadFailure::closed);
    }
  }
  auto [body_error, body_bytes] =
      co_await beast::http::async_read(stream, buffer, parser, as_tuple(use_awaitable));
  if (body_error) {
    const auto failure = classify(body_error);
    co_return std::unexpected(failure == ReadFailure::header_timeout ? ReadFailure::closed
                                                                     : failure);
  }
  co_return parser.release();
}

} // namespace starling::http::detail
