// Accept loop of the SIP TCP and TLS ports (RFC 3261 §18.2.1).
#include "sip/transport/detail/stream_listener.h"

#include <chrono>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "sip/transport/detail/transport_core.h"

namespace starling::sip::detail {

namespace {

namespace asio = boost::asio;

// Out of descriptors, accept() fails at once and would fail again at once: pause instead of
// spinning the shard. Connections closing meanwhile make room.
constexpr std::chrono::milliseconds kAcceptErrorBackoff{100};

} // namespace

StreamListener::StreamListener(TransportCore& core, asio::ip::tcp::acceptor acceptor,
                               TransportKind kind)
    : core_(core), acceptor_(std::move(acceptor)), kind_(kind), backoff_(core.io()) {
  boost::system::error_code error;
  local_port_ = acceptor_.local_endpoint(error).port();
}

void StreamListener::start() {
  asio::co_spawn(core_.io(), accept_loop(core_.shared_from_this()), log_coroutine_exception);
}

void StreamListener::close() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  backoff_.cancel();
}

asio::awaitable<void> StreamListener::accept_loop(std::shared_ptr<TransportCore> core) {
  while (core->running() && acceptor_.is_open()) {
    auto [error, socket] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
    if (error == asio::error::operation_aborted || !acceptor_.is_open()) {
      break;
    }
    if (error) {
      spdlog::warn("sip {}: accept failed: {}", to_string(kind_), error.message());
      backoff_.expires_after(kAcceptErrorBackoff);
      co_await backoff_.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    core->admit(std::move(socket), kind_);
  }
}

} // namespace starling::sip::detail
