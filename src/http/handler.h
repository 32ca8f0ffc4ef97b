// What the HTTP server asks of the services behind it: an answer to each request.
#pragma once

#include <cstddef>
#include <string>

#include <boost/asio/ip/address.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace starling::http {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using RequestHeader = boost::beast::http::request_header<>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;
using Status = boost::beast::http::status;
using Verb = boost::beast::http::verb;
using Field = boost::beast::http::field;

// Where a request came from: throttling and logs key on the peer; cookies and redirects
// depend on whether it came over TLS.
struct RequestContext {
  boost::asio::ip::address peer;
  bool secure = false;
};

class Handler {
public:
  Handler() = default;
  Handler(const Handler&) = delete;
  Handler& operator=(const Handler&) = delete;
  Handler(Handler&&) = delete;
  Handler& operator=(Handler&&) = delete;
  virtual ~Handler() = default;

  // Runs on an HTTP thread, never on a SIP shard, so it may read and write the store.
  virtual Response handle(const Request& request, const RequestContext& context) = 0;

  // Asked once a request's header is read: the largest body to read with it. A body above
  // it gets 413 unread. Handlers that take files (uploads) allow more than the server's
  // limit to the requests they expect; the rest keep it.
  [[nodiscard]] virtual std::size_t body_limit(const RequestHeader& /*header*/,
                                               std::size_t server_limit) const {
    return server_limit;
  }
};

// Requests whose path starts with `prefix` ("/upload/") go to `handler`, which must outlive
// the server.
struct Route {
  std::string prefix;
  Handler* handler = nullptr;
};

} // namespace starling::http
