// A listening TCP or TLS socket: accepts connections and hands them to the transport.
#pragma once

#include <cstdint>
#include <memory>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "sip/transport/flow.h"

namespace starling::sip::detail {

class TransportCore;

class StreamListener {
public:
  StreamListener(TransportCore& core, boost::asio::ip::tcp::acceptor acceptor, TransportKind kind);

  void start();
  void close();
  [[nodiscard]] std::uint16_t local_port() const { return local_port_; }

private:
  boost::asio::awaitable<void> accept_loop(std::shared_ptr<TransportCore> core);

  TransportCore& core_;
  boost::asio::ip::tcp::acceptor acceptor_;
  TransportKind kind_;
  std::uint16_t local_port_ = 0;
  boost::asio::steady_timer backoff_;
};

} // namespace starling::sip::detail
