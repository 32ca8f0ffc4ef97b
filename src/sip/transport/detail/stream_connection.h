// One SIP connection over TCP or TLS (RFC 3261 §18.3, RFC 5626 §3.5): framing, keep-alive
// pongs, an ordered write queue, and the states the idle and handshake timers act on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>

#include "core/clock.h"
#include "sip/transport/stream_framer.h"
#include "sip/transport/transport_types.h"

namespace starling::sip::detail {

class TransportCore;

class StreamConnection : public std::enable_shared_from_this<StreamConnection> {
public:
  enum class State : std::uint8_t {
    connecting,  // outbound: TCP connect under way
    handshaking, // TLS handshake under way
    open,        // messages flow both ways
    closing,     // an error reply is being flushed; input is discarded until the peer closes
    closed,
  };

  // `flow` holds the transport, the id and the remote end (an outbound connection's local
  // end is filled in once connected). `tls_context` is required for TLS.
  StreamConnection(std::shared_ptr<TransportCore> core, const Flow& flow,
                   boost::asio::ip::tcp::socket socket, boost::asio::ssl::context* tls_context);
  StreamConnection(const StreamConnection&) = delete;
  StreamConnection& operator=(const StreamConnection&) = delete;
  StreamConnection(StreamConnection&&) = delete;
  StreamConnection& operator=(StreamConnection&&) = delete;
  ~StreamConnection() = default;

  void start_accepted();
  void start_outbound();

  // Bytes go out whole and in queue order (one write at a time, so messages never
  // interleave). False, with on_sent not called, when closing or the queue is full.
  bool queue(std::string bytes, SendCompletion on_sent, bool is_message = true);
  // Closes now; queued sends complete with `reason`.
  void close(const boost::system::error_code& reason);
  void mark_authenticated();

  [[nodiscard]] const Flow& flow() const { return flow_; }
  [[nodiscard]] State state() const { return state_; }
  [[nodiscard]] core::Clock::TimePoint state_since() const { return state_since_; }
  [[nodiscard]] core::Clock::TimePoint last_activity() const { return last_activity_; }

private:
  struct Pending {
    std::string bytes;
    SendCompletion on_sent;
    bool is_message = true; // false for a keep-alive pong, which is not counted as sent
  };
  using IoResult = std::tuple<boost::system::error_code, std::size_t>;

  boost::asio::awaitable<void> run_accepted();
  boost::asio::awaitable<void> run_outbound();
  boost::asio::awaitable<bool> handshake(boost::asio::ssl::stream_base::handshake_type type);
  void report_refused_server(const boost::system::error_code& error);
  boost::asio::awaitable<void> read_loop();
  boost::asio::awaitable<void> write_loop();
  boost::asio::awaitable<IoResult> read_some(boost::asio::mutable_buffer buffer);
  boost::asio::awaitable<IoResult> write_all(boost::asio::const_buffer buffer);
  void become_open();
  void consume_frames();
  void reject_unframable(std::string_view rest, const Frame& frame);
  void close_after_flush();
  void shutdown_send();
  void enter(State state);
  boost::asio::ip::tcp::socket& socket();

  std::shared_ptr<TransportCore> core_;
  std::optional<boost::asio::ip::tcp::socket> tcp_;
  std::optional<boost::asio::ssl::stream<boost::asio::ip::tcp::socket>> tls_;
  Flow flow_;
  State state_ = State::open;
  core::Clock::TimePoint state_since_;
  core::Clock::TimePoint last_activity_;
  StreamFramer framer_;
  std::string inbound_;
  std::deque<Pending> outbound_;
  std::size_t outbound_bytes_ = 0;
  bool writing_ = false;
};

} // namespace starling::sip::detail
