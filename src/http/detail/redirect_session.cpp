// A plain-HTTP connection: every request is redirected to HTTPS, nothing else is served.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "http/detail/exchange.h"
#include "http/detail/request_reader.h"
#include "http/detail/sessions.h"
#include "http/detail/tls_stream.h"
#include "http/https_redirect.h"
#include "http/request_path.h"

namespace starling::http::detail {

boost::asio::awaitable<void> serve_redirect(boost::asio::ip::tcp::socket socket,
                                            [[maybe_unused]] ConnectionLimiter::Admission admission,
                                            ServerState& state) {
  PlainStream stream(std::move(socket));
  boost::beast::flat_buffer buffer;
  while (true) {
    auto request = co_await read_request(stream, buffer, state.limits);
    if (!request) {
      if (auto answer = answer_to(request.error(), state.limits, state.metrics)) {
        co_await send(stream, *answer, false, "", state);
      }
      break;
    }
    auto response = redirect_to_https(*request, state.https_port.load());
    if (!co_await send(stream, response, false, target_path(request->target()), state)) {
      break;
    }
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
}

} // namespace starling::http::detail
