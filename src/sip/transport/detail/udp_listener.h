// The SIP UDP socket: receives datagrams for the transport and sends every UDP message from
// the same port, so NATs and rport (RFC 3581) see one address for Starling.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/unique_fd.h"
#include "sip/transport/detail/datagram_batch.h"
#include "sip/transport/detail/readiness_gate.h"
#include "sip/transport/detail/receive_pacing.h"
#include "sip/transport/transport_types.h"

namespace starling::sip::detail {

class TransportCore;

class UdpListener {
public:
  // Takes the bound socket out of Asio's hands: its readiness goes through a ReadinessGate.
  // `receive_window`: see ReceivePacing.
  static std::expected<std::unique_ptr<UdpListener>, TransportError>
  create(TransportCore& core, boost::asio::ip::udp::socket socket,
         std::chrono::microseconds receive_window);

  void start();
  // Sends what is queued, then closes the socket.
  void close();
  [[nodiscard]] std::uint16_t local_port() const { return local_port_; }

  // Queues the datagram; what a turn of the io_context (or of the receive loop) queued leaves
  // in one system call.
  std::expected<Flow, TransportError> send(const Flow& flow, std::string bytes,
                                           SendCompletion on_sent);

private:
  struct Turn {
    std::size_t datagrams = 0;
    bool drained = false; // the socket was left empty
  };

  UdpListener(TransportCore& core, core::UniqueFd socket,
              const boost::asio::ip::udp::endpoint& local, ReadinessGate gate,
              std::chrono::microseconds receive_window);

  boost::asio::awaitable<void> receive_loop(std::shared_ptr<TransportCore> core);
  // receive_queued(), then sends what it answered.
  Turn receive_turn();
  // Handles a few batches of queued datagrams.
  Turn receive_queued();
  void flush();
  // What the gate lets through: nothing while the socket is read on a timer, else arriving
  // datagrams, and room in the send buffer while sends wait for it.
  void update_gate();
  void sent(const boost::system::error_code& error, const SendCompletion& on_sent);
  void on_datagram(std::string_view datagram, const boost::asio::ip::udp::endpoint& from);

  TransportCore& core_;
  core::UniqueFd socket_;
  boost::asio::ip::address local_address_;
  std::uint16_t local_port_ = 0;
  ReadinessGate gate_;
  ReceivePacing pacing_;
  boost::asio::steady_timer pacing_timer_;
  DatagramReceiver receiver_;
  DatagramSender sender_;
  bool receiving_ = false;    // a receive turn is under way and flushes when it ends
  bool send_blocked_ = false; // the send buffer was full; queued_ starts with what did not fit
  // Sends waiting for flush(), and those it is sending (kept to reuse their memory).
  std::vector<OutgoingDatagram> queued_;
  std::vector<OutgoingDatagram> flushing_;
};

} // namespace starling::sip::detail
