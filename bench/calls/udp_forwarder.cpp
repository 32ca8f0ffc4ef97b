// The floor of the media benchmark: the least a per-call RTP relay must do for each packet.
//
// Each call has two sockets, one facing the caller and one facing the callee, on ports
// FIRST_PORT + 4k and FIRST_PORT + 4k + 2 (RTP ports of a relay that keeps the odd ones for
// RTCP). A socket learns its peer from the source of what it receives (symmetric RTP, as
// rtpengine and Starling do) and what arrives on one socket leaves through the other to that
// socket's peer. epoll finds readable sockets, recvmmsg reads a batch, sendmmsg writes it: no
// parsing, no statistics, no timers. Whatever a real relay spends above this is its own.
//
// Usage: udp_forwarder ADDRESS FIRST_PORT CALLS SECONDS
// Runs until SIGTERM or SIGINT or SECONDS have passed, then prints
// "forwarded PACKETS packets" on standard output.

#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

constexpr int kBatch = 32;      // datagrams per recvmmsg/sendmmsg call
constexpr int kMaxEvents = 256; // readable sockets handled per epoll_wait
constexpr std::size_t kMaxDatagram = 2048;
constexpr int kMaxCalls = 5000; // 10,000 sockets; run.py raises RLIMIT_NOFILE for them

std::atomic<bool> stopping{false};

void stop(int) {
  stopping = true;
}

struct Leg {
  int fd = -1;
  sockaddr_in peer{};
  bool has_peer = false;
};

int open_socket(in_addr address, std::uint16_t port) {
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    return -1;
  }
  sockaddr_in local{};
  local.sin_family = AF_INET;
  local.sin_addr = address;
  local.sin_port = htons(port);
  if (bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s ADDRESS FIRST_PORT CALLS SECONDS\n", argv[0]);
    return 2;
  }
  in_addr address{};
  const long first_port = std::strtol(argv[2], nullptr, 10);
  const long calls = std::strtol(argv[3], nullptr, 10);
  const long seconds = std::strtol(argv[4], nullptr, 10);
  if (inet_pton(AF_INET, argv[1], &address) != 1 || first_port < 1024 || calls < 1 ||
      calls > kMaxCalls || first_port + 4 * calls > 65535 || seconds < 1) {
    std::fprintf(stderr, "udp_forwarder: bad arguments\n");
    return 2;
  }

  // Legs 2k and 2k+1 are the two sides of call k: leg i forwards to leg i ^ 1.
  std::vector<Leg> legs(static_cast<std::size_t>(2 * calls));
  const int epoll = epoll_create1(0);
  for (std::size_t i = 0; i < legs.size(); ++i) {
    legs[i].fd = open_socket(address, static_cast<std::uint16_t>(first_port + 2 * i));
    if (legs[i].fd < 0) {
      std::fprintf(stderr, "udp_forwarder: cannot bind port %ld: %s\n",
                   first_port + 2 * static_cast<long>(i), std::strerror(errno));
      return 1;
    }
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = i;
    epoll_ctl(epoll, EPOLL_CTL_ADD, legs[i].fd, &event);
  }
  std::signal(SIGTERM, stop);
  std::signal(SIGINT, stop);

  std::vector<std::array<char, kMaxDatagram>> buffers(kBatch);
  std::array<iovec, kBatch> iovecs{};
  std::array<sockaddr_in, kBatch> sources{};
  std::array<mmsghdr, kBatch> messages{};
  std::array<epoll_event, kMaxEvents> events{};
  std::uint64_t forwarded = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);

  while (!stopping && std::chrono::steady_clock::now() < deadline) {
    const int ready = epoll_wait(epoll, events.data(), kMaxEvents, 100);
    for (int e = 0; e < ready; ++e) {
      Leg& in = legs[events[e].data.u64];
      Leg& out = legs[events[e].data.u64 ^ 1];
      for (int i = 0; i < kBatch; ++i) {
        iovecs[i] = {buffers[i].data(), kMaxDatagram};
        messages[i].msg_hdr = {};
        messages[i].msg_hdr.msg_iov = &iovecs[i];
        messages[i].msg_hdr.msg_iovlen = 1;
        messages[i].msg_hdr.msg_name = &sources[i];
        messages[i].msg_hdr.msg_namelen = sizeof sources[i];
      }
      const int received = recvmmsg(in.fd, messages.data(), kBatch, MSG_DONTWAIT, nullptr);
      if (received <= 0) {
        continue;
      }
      in.peer = sources[received - 1];
      in.has_peer = true;
      if (!out.has_peer) {
        continue; // the other side has not spoken yet: nowhere to send
      }
      for (int i = 0; i < received; ++i) {
        iovecs[i].iov_len = messages[i].msg_len;
        messages[i].msg_hdr.msg_name = &out.peer;
        messages[i].msg_hdr.msg_namelen = sizeof out.peer;
      }
      const int sent = sendmmsg(out.fd, messages.data(), static_cast<unsigned>(received), 0);
      if (sent > 0) {
        forwarded += static_cast<std::uint64_t>(sent);
      }
    }
  }
  std::printf("forwarded %llu packets\n", static_cast<unsigned long long>(forwarded));
  return 0;
}
