// A SIP TCP/TLS connection: handshake, framed reads, queued writes, orderly close.
#include "sip/transport/detail/stream_connection.h"

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

#include "net/tls_server_identity.h"
#include "sip/parser.h"
#include "sip/transport/detail/transport_core.h"

namespace starling::sip::detail {

namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using boost::system::error_code;

// Most SIP messages fit in one read; larger ones take a few.
constexpr std::size_t kReadChunk = 4096;
// An idle connection gives back a buffer that grew for one large message.
constexpr std::size_t kKeptBufferCapacity = 4 * kReadChunk;
// RFC 5626 §3.5.1: the pong that answers a CRLFCRLF ping.
constexpr std::string_view kPong = "\r\n";

} // namespace

StreamConnection::StreamConnection(std::shared_ptr<TransportCore> core, const Flow& flow,
                                   asio::ip::tcp::socket socket, ssl::context* tls_context)
    : core_(std::move(core)), flow_(flow), state_since_(core_->now()), last_activity_(state_since_),
      framer_(std::min(core_->limits().max_unauthenticated_message_size,
                       core_->limits().max_message_size)) {
  if (flow.transport == TransportKind::tls && tls_context != nullptr) {
    tls_.emplace(std::move(socket), *tls_context);
  } else {
    tcp_.emplace(std::move(socket));
  }
}

asio::ip::tcp::socket& StreamConnection::socket() {
  return tls_ ? tls_->next_layer() : *tcp_;
}

void StreamConnection::enter(State state) {
  state_ = state;
  state_since_ = core_->now();
}

void StreamConnection::start_accepted() {
  enter(tls_ ? State::handshaking : State::open);
  asio::co_spawn(core_->io(), run_accepted(), log_coroutine_exception);
}

void StreamConnection::start_outbound() {
  enter(State::connecting);
  // Opened to a peer we chose to reach (a registered contact, a response's destination):
  // its messages get the full size limit.
  mark_authenticated();
  asio::co_spawn(core_->io(), run_outbound(), log_coroutine_exception);
}

void StreamConnection::mark_authenticated() {
  framer_.set_max_message_size(core_->limits().max_message_size);
}

asio::awaitable<void> StreamConnection::run_accepted() {
  const auto self = shared_from_this();
  if (tls_ && !co_await handshake(ssl::stream_base::server)) {
    co_return;
  }
  become_open();
  co_await read_loop();
}

asio::awaitable<void> StreamConnection::run_outbound() {
  const auto self = shared_from_this();
  const asio::ip::tcp::endpoint remote(flow_.remote_address, flow_.remote_port);
  auto [error] = co_await socket().async_connect(remote, asio::as_tuple(asio::use_awaitable));
  if (state_ != State::connecting) {
    co_return; // closed meanwhile (connect timeout, stop)
  }
  if (error) {
    close(error);
    co_return;
  }
  error_code ignored;
  const auto local = socket().local_endpoint(ignored);
  flow_.local_address = unmapped(local.address());
  flow_.local_port = local.port();
  if (tls_) {
    if (!flow_.server_name.empty()) {
      if (auto expected = net::expect_server_identity(tls_->native_handle(), flow_.server_name);
          !expected) {
        spdlog::warn("sip {}: {}", to_string(flow_), expected.error().message);
        close(asio::error::invalid_argument);
        co_return;
      }
    }
    enter(State::handshaking);
    if (!co_await handshake(ssl::stream_base::client)) {
      co_return;
    }
  }
  become_open();
  co_await read_loop();
}

asio::awaitable<bool> StreamConnection::handshake(ssl::stream_base::handshake_type type) {
  auto [error] = co_await tls_->async_handshake(type, asio::as_tuple(asio::use_awaitable));
  if (state_ != State::handshaking) {
    co_return false; // the handshake timer or stop() closed it
  }
  if (error) {
    if (type == ssl::stream_base::client) {
      report_refused_server(error);
    }
    // Old clients land here too: TLS 1.0/1.1 are refused by the context's minimum version.
    core_->metrics().rejected(RejectReason::tls_handshake_failed).increment();
    close(error);
    co_return false;
  }
  co_return true;
}

// A server Starling chose to reach failed the handshake: the operator has a trunk to fix
// (its CA, its name), so this is a warning, unlike the failures of unknown clients.
void StreamConnection::report_refused_server(const error_code& error) {
  const std::string refusal = net::certificate_refusal(tls_->native_handle());
  spdlog::warn("sip {}: TLS handshake with {} failed: {}{}", to_string(flow_),
               flow_.server_name.empty() ? "the server" : flow_.server_name, error.message(),
               refusal.empty() ? "" : " (" + refusal + ")");
}

void StreamConnection::become_open() {
  enter(State::open);
  last_activity_ = state_since_;
  if (!outbound_.empty() && !writing_) {
    asio::co_spawn(core_->io(), write_loop(), log_coroutine_exception);
  }
}

asio::awaitable<StreamConnection::IoResult>
StreamConnection::read_some(asio::mutable_buffer buffer) {
  if (tls_) {
    co_return co_await tls_->async_read_some(buffer, asio::as_tuple(asio::use_awaitable));
  }
  co_return co_await tcp_->async_read_some(buffer, asio::as_tuple(asio::use_awaitable));
}

asio::awaitable<StreamConnection::IoResult> StreamConnection::write_all(asio::const_buffer buffer) {
  if (tls_) {
    co_return co_await asio::async_write(*tls_, buffer, asio::as_tuple(asio::use_awaitable));
  }
  co_return co_await asio::async_write(*tcp_, buffer, asio::as_tuple(asio::use_awaitable));
}

asio::awaitable<void> StreamConnection::read_loop() {
  while (state_ == State::open || state_ == State::closing) {
    const std::size_t used = inbound_.size();
    inbound_.resize(used + kReadChunk);
    auto [error, size] = co_await read_some(asio::buffer(inbound_.data() + used, kReadChunk));
    inbound_.resize(used + size);
    if (state_ == State::closed) {
      co_return;
    }
    if (error) {
      close(error); // the peer closed or reset: RFC 5626 §4.4: the flow is gone
      co_return;
    }
    last_activity_ = core_->now();
    if (state_ == State::closing) {
      inbound_.clear(); // after an error reply, input is only drained
      continue;
    }
    consume_frames();
  }
}

void StreamConnection::consume_frames() {
  std::size_t consumed = 0;
  while (state_ == State::open) {
    const std::string_view rest = std::string_view(inbound_).substr(consumed);
    const Frame frame = framer_.next(rest);
    if (frame.kind == FrameKind::need_more) {
      break;
    }
    if (frame.kind == FrameKind::error) {
      reject_unframable(rest, frame);
      consumed = inbound_.size();
      break;
    }
    if (frame.kind == FrameKind::message) {
      if (core_->should_drop(flow_.remote_address)) {
        close(asio::error::connection_aborted);
        return;
      }
      core_->deliver(rest.substr(0, frame.length), flow_, Framing::stream);
    } else {
      core_->metrics().keepalives(flow_.transport).increment();
      if (frame.kind == FrameKind::ping) {
        queue(std::string(kPong), {}, false);
      }
    }
    consumed += frame.length;
  }
  if (state_ == State::closed) {
    return;
  }
  inbound_.erase(0, consumed);
  if (inbound_.empty() && inbound_.capacity() > kKeptBufferCapacity) {
    inbound_.shrink_to_fit();
  }
}

void StreamConnection::reject_unframable(std::string_view rest, const Frame& frame) {
  RejectReason reason = RejectReason::malformed_request;
  if (frame.status == 513) {
    reason = RejectReason::too_large;
  } else if (frame.reason == kMissingContentLength) {
    reason = RejectReason::missing_content_length;
  }
  const ParseError error{frame.status, frame.reason, 0, can_reply_to(rest)};
  core_->reject(rest, flow_, error, reason);
  // RFC 3261 §18.3: the stream cannot be re-synchronised after a framing error.
  close_after_flush();
}

bool StreamConnection::queue(std::string bytes, SendCompletion on_sent, bool is_message) {
  if (state_ == State::closing || state_ == State::closed) {
    return false;
  }
  if (outbound_bytes_ + bytes.size() > core_->limits().max_send_queue_bytes) {
    core_->metrics().rejected(RejectReason::send_queue_full).increment();
    close(asio::error::no_buffer_space); // the peer stopped reading; its flow is useless
    return false;
  }
  outbound_bytes_ += bytes.size();
  outbound_.push_back(Pending{std::move(bytes), std::move(on_sent), is_message});
  if (state_ == State::open && !writing_) {
    asio::co_spawn(core_->io(), write_loop(), log_coroutine_exception);
  }
  return true;
}

asio::awaitable<void> StreamConnection::write_loop() {
  const auto self = shared_from_this();
  writing_ = true;
  while (!outbound_.empty() && (state_ == State::open || state_ == State::closing)) {
    Pending item = std::move(outbound_.front());
    outbound_.pop_front();
    auto [error, size] = co_await write_all(asio::buffer(item.bytes));
    (void)size;
    outbound_bytes_ -= item.bytes.size();
    if (!error && state_ != State::closed) {
      last_activity_ = core_->now();
      if (item.is_message) {
        core_->metrics().sent(flow_.transport).increment();
      }
    }
    if (item.on_sent) {
      item.on_sent(error);
    }
    if (error) {
      close(error);
      break;
    }
  }
  writing_ = false;
  if (state_ == State::closing && outbound_.empty()) {
    shutdown_send();
  }
}

void StreamConnection::close_after_flush() {
  enter(State::closing);
  if (!writing_ && outbound_.empty()) {
    shutdown_send();
  }
}

// Our FIN after the error reply: the peer reads the reply, then end of stream. Closing at
// once instead would reset the connection if unread input remains, and a reset can discard
// the reply before the peer reads it.
void StreamConnection::shutdown_send() {
  error_code ignored;
  socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
}

void StreamConnection::close(const error_code& reason) {
  if (state_ == State::closed) {
    return;
  }
  const auto self = shared_from_this(); // forget() drops the table's reference
  enter(State::closed);
  error_code ignored;
  socket().close(ignored);
  for (Pending& item : outbound_) {
    if (item.on_sent) {
      asio::post(core_->io(), [on_sent = std::move(item.on_sent), reason] { on_sent(reason); });
    }
  }
  outbound_.clear();
  outbound_bytes_ = 0;
  core_->forget(*this);
}

} // namespace starling::sip::detail
