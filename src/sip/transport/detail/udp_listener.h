// The SIP UDP socket: receives datagrams for the transport and sends every UDP message from
// the same port, so NATs and rport (RFC 3581) see one address for Starling.
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/udp.hpp>

#include "sip/transport/detail/datagram_batch.h"
#include "sip/transport/transport_types.h"

namespace starling::sip::detail {

class TransportCore;

class UdpListener {
public:
  UdpListener(TransportCore& core, boost::asio::ip::udp::socket socket);

  void start();
  // Sends what is queued, then closes the socket.
  void close();
  [[nodiscard]] std::uint16_t local_port() const { return local_port_; }

  // Queues the datagram; what a turn of the io_context (or of the receive loop) queued leaves
  // in one system call.
  std::expected<Flow, TransportError> send(const Flow& flow, std::string bytes,
                                           SendCompletion on_sent);

private:
  boost::asio::awaitable<void> receive_loop(std::shared_ptr<TransportCore> core);
  // receive_queued(), then sends what it answered; says whether the socket was left empty.
  bool receive_turn();
  // Handles a few batches of queued datagrams; says whether the socket was left empty.
  bool receive_queued();
  void flush();
  boost::asio::awaitable<void> send_to(std::shared_ptr<TransportCore> core,
                                       OutgoingDatagram datagram);
  void sent(const boost::system::error_code& error, const SendCompletion& on_sent);
  void on_datagram(std::string_view datagram, const boost::asio::ip::udp::endpoint& from);

  TransportCore& core_;
  boost::asio::ip::udp::socket socket_;
  boost::asio::ip::address local_address_;
  std::uint16_t local_port_ = 0;
  DatagramReceiver receiver_;
  DatagramSender sender_;
  bool receiving_ = false; // a receive turn is under way and flushes when it ends
  // Sends waiting for flush(), and those it is sending (kept to reuse their memory).
  std::vector<OutgoingDatagram> queued_;
  std::vector<OutgoingDatagram> flushing_;
};

} // namespace starling::sip::detail
