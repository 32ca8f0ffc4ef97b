// An XMPP client connection: TCP and TLS I/O around a ClientStream.
#include "xmpp/server/client_connection.h"

#include <chrono>
#include <utility>
#include <variant>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "net/address_policy.h"
#include "xmpp/sasl/channel_binding.h"

namespace starling::xmpp::server {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

// RFC 6120 §4.6.1 leaves the time to authenticate to the server; a client that has not bound
// a resource by then only holds a place.
constexpr std::chrono::seconds kBindingDeadline{60};

// Output a client has not read yet; past it the client is not reading at all, and the
// connection goes rather than the server's memory.
constexpr std::size_t kMaxUnsentBytes = std::size_t{4} * 1024 * 1024;

} // namespace

ClientConnection::ClientConnection(std::shared_ptr<ServiceState> state,
                                   asio::ip::tcp::socket socket, Port port, PreAuthLimit::Slot slot)
    : state_(std::move(state)), transport_(std::move(socket)), port_(port), slot_(std::move(slot)),
      throttle_(kRateBeforeAuth, ReadThrottle::Clock::now()),
      binding_deadline_(transport_.socket().get_executor()),
      read_pause_(transport_.socket().get_executor()) {
  error_code ignored;
  remote_ = transport_.socket().remote_endpoint(ignored);
  state_->metrics.connections.add(1);
}

ClientConnection::~ClientConnection() {
  state_->connections.erase(this);
  state_->metrics.connections.add(-1);
}

std::string ClientConnection::peer() const {
  const auto address = remote_.address();
  return address.is_v6() ? fmt::format("[{}]:{}", address.to_string(), remote_.port())
                         : fmt::format("{}:{}", address.to_string(), remote_.port());
}

std::string ClientConnection::source_address() const {
  return net::unmapped(remote_.address()).to_string();
}

void ClientConnection::start() {
  state_->connections.emplace(this, weak_from_this());
  asio::co_spawn(transport_.socket().get_executor(), run(), asio::detached);
}

void ClientConnection::expect_binding_in_time() {
  binding_deadline_.expires_after(kBindingDeadline);
  binding_deadline_.async_wait([self = weak_from_this()](const error_code& error) {
    auto connection = self.lock();
    if (!error && connection && !connection->bound_) {
      spdlog::info("xmpp: {} did not log in within {} s; connection closed", connection->peer(),
                   kBindingDeadline.count());
      connection->close_socket();
    }
  });
}

asio::awaitable<void> ClientConnection::run() {
  const auto self = shared_from_this();
  expect_binding_in_time();
  if (port_ == Port::direct_tls) {
    if (!co_await handshake()) {
      close_socket();
      co_return;
    }
    stream_.emplace(state_->stream_settings, state_->credentials,
                    c2s::DirectTls{sasl::channel_bindings(transport_.native_handle())});
  } else {
    stream_.emplace(state_->stream_settings, state_->credentials);
  }
  for (;;) {
    auto [error, read] = co_await transport_.read_some(state_->read_buffer);
    if (error) {
      break;
    }
    // Parsed at once: the buffer is the next connection's as soon as this one waits.
    stream_->receive(std::string_view(state_->read_buffer.data(), read));
    if (!co_await handle_stream_output()) {
      break;
    }
    if (const auto pause = throttle_.pause_after(read, ReadThrottle::Clock::now());
        pause > ReadThrottle::Clock::duration::zero()) {
      read_pause_.expires_after(pause);
      co_await read_pause_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
  }
  detach_or_end_session();
  closing_ = true;
  if (!writing_) {
    close_socket();
  }
}

asio::awaitable<bool> ClientConnection::handshake() {
  const auto error = co_await transport_.accept_tls(state_->tls);
  if (error) {
    spdlog::info("xmpp: TLS handshake with {} failed: {}", peer(), error.message());
    co_return false;
  }
  co_return true;
}

asio::awaitable<bool> ClientConnection::handle_stream_output() {
  for (;;) {
    auto output = stream_->take_output();
    auto events = stream_->take_events();
    if (bound_) {
      queue(output);
    } else {
      co_await write_now(output);
    }
    bool stream_moved_on = false; // a step below made the stream produce more
    for (auto& event : events) {
      if (std::holds_alternative<c2s::StartTls>(event)) {
        if (!co_await handshake()) {
          co_return false;
        }
        stream_->tls_established(transport_.native_handle());
        stream_moved_on = true;
      } else if (auto* step = std::get_if<c2s::VerifySaslStep>(&event)) {
        if (state_->bans.is_banned(source_address())) {
          // Banned while this connection was open: no more guesses, and no answer that
          // could tell whether this one was right.
          co_return false;
        }
        co_await run_sasl_step(std::move(step->work));
        stream_moved_on = true;
      } else if (const auto* resume = std::get_if<c2s::ResumeRequested>(&event)) {
        on_resume_requested(*resume);
        stream_moved_on = true;
      } else {
        on_event(event);
      }
    }
    if (stream_->state() == c2s::ClientStream::State::closed) {
      co_return false;
    }
    if (!stream_moved_on) {
      co_return true;
    }
  }
}

asio::awaitable<void> ClientConnection::run_sasl_step(c2s::SaslStepWork work) {
  // argon2id and the store block: the step runs on a worker, and the connection goes on
  // here once it is done.
  co_await asio::async_initiate<decltype(asio::use_awaitable), void()>(
      [&work, workers = state_->workers](auto resume) {
        asio::post(workers, [&work, resume = std::move(resume)]() mutable {
          work.run();
          asio::post(std::move(resume));
        });
      },
      asio::use_awaitable);
  stream_->resume_sasl(std::move(work));
}

void ClientConnection::on_event(const c2s::StreamEvent& event) {
  if (const auto* failed = std::get_if<c2s::AuthenticationFailed>(&event)) {
    state_->metrics.login_failures.increment();
    spdlog::info("xmpp: login from {} refused: {}", peer(), failed->reason);
    if (failed->credentials_refused && state_->bans.record_failure(source_address())) {
      spdlog::warn("xmpp: banning {} for failed logins (last: {})", source_address(),
                   failed->reason);
    }
  } else if (const auto* authenticated = std::get_if<c2s::Authenticated>(&event)) {
    state_->metrics.logins.increment();
    state_->bans.record_success(source_address());
    slot_.reset();
    throttle_.set_rate(kRateAuthenticated, ReadThrottle::Clock::now());
    spdlog::info("xmpp: {} logged in from {}", authenticated->username, peer());
  } else if (const auto* bound = std::get_if<c2s::Bound>(&event)) {
    bound_ = true;
    binding_deadline_.cancel();
    state_->metrics.sessions.add(1);
    state_->resumable.end_bound_to(bound->jid);
    session_ = std::make_shared<SessionHandle>(bound->jid, *this, state_->router);
    state_->router.on_session_bound(*session_, bound->jid);
  } else if (const auto* received = std::get_if<c2s::StanzaReceived>(&event)) {
    state_->metrics.stanzas.increment();
    state_->router.on_stanza(*session_, session_->jid(), received->stanza);
  } else if (const auto* indicated = std::get_if<c2s::ClientStateIndicated>(&event)) {
    if (session_) {
      session_->set_client_active(indicated->active); // XEP-0352
    }
  } else if (const auto* closed = std::get_if<c2s::Closed>(&event)) {
    if (closed->error) {
      state_->metrics.stream_errors.increment();
      spdlog::info("xmpp: stream from {} ended with <{}/>: {}", peer(),
                   xml::condition_name(*closed->error), closed->reason);
    }
  }
}

void ClientConnection::on_resume_requested(const c2s::ResumeRequested& request) {
  auto detached = state_->resumable.resume(request.previd, *stream_->user());
  if (!detached) {
    spdlog::info("xmpp: {} asked to resume an unknown or expired session", peer());
    stream_->resume_refused();
    return;
  }
  bound_ = true;
  binding_deadline_.cancel();
  session_ = std::move(detached->handle);
  auto queued = session_->take_queued();
  session_->attach(*this);
  spdlog::info("xmpp: {} resumed from {}", session_->jid().to_string(), peer());
  stream_->resume_accepted(session_->jid(), std::move(detached->management), queued);
}

void ClientConnection::deliver(const xml::Element& stanza) {
  if (!stream_ || closing_) {
    return;
  }
  stream_->send(stanza);
  queue(stream_->take_output());
  if (stream_->state() == c2s::ClientStream::State::closed) {
    // The stream gave up on its client (see ClientStream::send). The router may be in the
    // middle of routing, so the session ends after it; until then stanzas wait in the handle.
    session_->detach();
    for (const auto& event : stream_->take_events()) {
      on_event(event);
    }
    asio::post(transport_.socket().get_executor(),
               [self = shared_from_this()] { self->close_after_output(); });
  }
}

asio::awaitable<void> ClientConnection::write_now(std::string_view bytes) {
  if (bytes.empty()) {
    co_return;
  }
  const auto error = co_await transport_.write_all(bytes);
  if (error) {
    close_socket(); // the read loop then ends
  }
}

void ClientConnection::queue(std::string_view bytes) {
  if (bytes.empty()) {
    return;
  }
  outbox_ += bytes;
  if (outbox_.size() > kMaxUnsentBytes) {
    spdlog::warn("xmpp: {} does not read what it is sent ({} bytes waiting); connection closed",
                 peer(), outbox_.size());
    outbox_ = {};
    close_socket();
    return;
  }
  if (!writing_) {
    writing_ = true;
    asio::co_spawn(transport_.socket().get_executor(), write_queue(), asio::detached);
  }
}

asio::awaitable<void> ClientConnection::write_queue() {
  const auto self = shared_from_this();
  while (!outbox_.empty()) {
    // Taken whole, so that what is queued meanwhile goes into a new string, and freed once
    // written: an idle connection keeps no output buffer.
    const std::string in_flight = std::exchange(outbox_, {});
    const auto error = co_await transport_.write_all(in_flight);
    if (error) {
      outbox_ = {};
      close_socket();
    }
  }
  writing_ = false;
  if (closing_) {
    close_socket();
  }
}

void ClientConnection::shut_down() {
  if (!stream_ || !bound_ || closing_) {
    close_socket();
    return;
  }
  stream_->close_with(xml::StreamErrorCondition::system_shutdown);
  queue(stream_->take_output());
  close_after_output();
}

void ClientConnection::close_after_output() {
  end_session();
  closing_ = true;
  if (!writing_) {
    close_socket();
  }
}

void ClientConnection::detach_or_end_session() {
  if (!bound_ || stream_->state() == c2s::ClientStream::State::closed ||
      !stream_->stream_management() || !stream_->stream_management()->resumable()) {
    end_session();
    return;
  }
  bound_ = false;
  session_->detach();
  spdlog::info("xmpp: lost the connection of {}; it may resume within {} s",
               session_->jid().to_string(),
               stream_->stream_management()->resumption_timeout().count());
  state_->resumable.detach({std::exchange(session_, nullptr), *stream_->take_stream_management()});
}

void ClientConnection::end_session() {
  if (!bound_) {
    return;
  }
  bound_ = false;
  state_->metrics.sessions.add(-1);
  session_->detach();
  auto management = stream_->take_stream_management();
  end_session_saving_messages(state_->router, state_->offline, *session_,
                              management ? management->take_unacked() : std::deque<xml::Element>{});
  session_.reset();
}

void ClientConnection::close_socket() {
  binding_deadline_.cancel();
  read_pause_.cancel();
  if (transport_.is_open()) {
    transport_.close();
  }
}

} // namespace starling::xmpp::server
