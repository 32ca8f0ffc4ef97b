// Many UDP datagrams per system call (recvmmsg, sendmmsg). Under load a system call for each
// datagram in and out cost more than parsing and answering it (measured with bench/run.py).
#pragma once

#include <cstddef>
#include <expected>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/udp.hpp>
#include <boost/system/error_code.hpp>
#include <sys/socket.h>

#include "sip/transport/transport_types.h"

namespace starling::sip::detail {

// Reads the datagrams already queued on a socket, up to `capacity` of them, with one call.
class DatagramReceiver {
public:
  // Each datagram gets `datagram_size` octets; a longer one is cut to that size.
  DatagramReceiver(std::size_t capacity, std::size_t datagram_size);

  // Never waits. Returns how many datagrams came (at least one), or the error: would_block
  // when none was queued, or a pending error of the socket (such as an ICMP report).
  std::expected<std::size_t, boost::system::error_code> receive(int socket);
  [[nodiscard]] std::size_t capacity() const { return headers_.size(); }
  [[nodiscard]] std::string_view datagram(std::size_t index) const;
  [[nodiscard]] const boost::asio::ip::udp::endpoint& source(std::size_t index) const {
    return sources_[index];
  }

private:
  std::size_t datagram_size_;
  // Not zeroed on purpose, which std::vector would do: pages the kernel never writes into
  // are never made resident.
  std::unique_ptr<char[]> buffers_; // NOLINT(modernize-avoid-c-arrays): a run-time size
  std::vector<iovec> vectors_;
  std::vector<mmsghdr> headers_;
  std::vector<boost::asio::ip::udp::endpoint> sources_;
};

// A datagram to send, and what to tell once it has left (or could not).
struct OutgoingDatagram {
  boost::asio::ip::udp::endpoint to;
  std::string bytes;
  SendCompletion on_sent;
};

// Writes datagrams in order with as few calls as the kernel allows.
class DatagramSender {
public:
  // Returns how many of `datagrams`, from the first, were sent (at least one), or the error
  // of the first: would_block when the socket buffer is full, or why it cannot be sent.
  std::expected<std::size_t, boost::system::error_code>
  send(int socket, std::span<const OutgoingDatagram> datagrams);

private:
  // Kept between calls so a send allocates nothing once the batches stop growing.
  std::vector<iovec> vectors_;
  std::vector<mmsghdr> headers_;
};

} // namespace starling::sip::detail
