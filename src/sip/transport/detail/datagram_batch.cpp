// Many UDP datagrams per system call (recvmmsg, sendmmsg).
#include "sip/transport/detail/datagram_batch.h"

#include <algorithm>

#include "sip/transport/detail/system_error.h"

namespace starling::sip::detail {
namespace {

// The kernel takes at most this many messages per call (UIO_MAXIOV).
constexpr std::size_t kMaxMessagesPerCall = 1024;

} // namespace

DatagramReceiver::DatagramReceiver(std::size_t capacity, std::size_t datagram_size)
    : datagram_size_(datagram_size),
      // NOLINTNEXTLINE(modernize-avoid-c-arrays): as buffers_
      buffers_(std::make_unique_for_overwrite<char[]>(capacity * datagram_size)),
      vectors_(capacity), headers_(capacity), sources_(capacity) {
  for (std::size_t i = 0; i < capacity; ++i) {
    vectors_[i] = {buffers_.get() + i * datagram_size, datagram_size};
    headers_[i].msg_hdr.msg_iov = &vectors_[i];
    headers_[i].msg_hdr.msg_iovlen = 1;
    headers_[i].msg_hdr.msg_name = sources_[i].data();
  }
}

std::expected<std::size_t, boost::system::error_code> DatagramReceiver::receive(int socket) {
  // The kernel writes each source's length over the room it was given.
  for (std::size_t i = 0; i < headers_.size(); ++i) {
    headers_[i].msg_hdr.msg_namelen = static_cast<socklen_t>(sources_[i].capacity());
  }
  const int count = ::recvmmsg(socket, headers_.data(), static_cast<unsigned>(headers_.size()),
                               MSG_DONTWAIT, nullptr);
  if (count < 0) {
    return std::unexpected(last_system_error());
  }
  const auto received = static_cast<std::size_t>(count);
  for (std::size_t i = 0; i < received; ++i) {
    sources_[i].resize(headers_[i].msg_hdr.msg_namelen);
  }
  return received;
}

std::string_view DatagramReceiver::datagram(std::size_t index) const {
  return {buffers_.get() + index * datagram_size_,
          std::min<std::size_t>(headers_[index].msg_len, datagram_size_)};
}

std::expected<std::size_t, boost::system::error_code>
DatagramSender::send(int socket, std::span<const OutgoingDatagram> datagrams) {
  const std::size_t count = std::min(datagrams.size(), kMaxMessagesPerCall);
  vectors_.resize(count);
  headers_.assign(count, mmsghdr{});
  for (std::size_t i = 0; i < count; ++i) {
    // sendmmsg does not write through msg_name or the iovec; the casts only drop const.
    vectors_[i] = {const_cast<char*>(datagrams[i].bytes.data()), datagrams[i].bytes.size()};
    headers_[i].msg_hdr.msg_name = const_cast<sockaddr*>(datagrams[i].to.data());
    headers_[i].msg_hdr.msg_namelen = static_cast<socklen_t>(datagrams[i].to.size());
    headers_[i].msg_hdr.msg_iov = &vectors_[i];
    headers_[i].msg_hdr.msg_iovlen = 1;
  }
  const int sent = ::sendmmsg(socket, headers_.data(), static_cast<unsigned>(count), MSG_DONTWAIT);
  if (sent < 0) {
    return std::unexpected(last_system_error());
  }
  return static_cast<std::size_t>(sent);
}

} // namespace starling::sip::detail
