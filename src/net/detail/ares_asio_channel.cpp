// A c-ares channel driven by an Asio io_context: c-ares's sockets are watched with
// posix::stream_descriptor::async_wait and its retransmission timer with a steady_timer, so
// DNS queries never block the shard that asks them. Only the SIP locator uses it.
//
// c-ares reports which sockets it opens, closes and wants to read or write through its
// socket-state callback; each open socket gets a stream_descriptor that *borrows* the file
// descriptor (released, never closed, by us: c-ares closes its sockets itself).
#include "net/detail/ares_asio_channel.h"

#include <array>
#include <stdexcept>
#include <utility>

#include <ares.h>
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <fmt/format.h>
#include <netinet/in.h>

#include "net/host_port.h"

namespace starling::net::detail {
namespace {

namespace asio = boost::asio;

constexpr std::uint16_t kDnsPort = 53;
// c-ares doubles the wait on each round (1.18: timeout << try), so two tries of a third of the
// timeout take the whole timeout: 1/3 + 2/3.
constexpr int kTries = 2;
constexpr int kTimeoutParts = 3;

std::string server_csv(const HostPort& server) {
  const bool v6 = server.host.find(':') != std::string::npos;
  return v6 ? fmt::format("[{}]:{}", server.host, server.port)
            : fmt::format("{}:{}", server.host, server.port);
}

} // namespace

struct AresAsioChannel::Watcher {
  Watcher(asio::io_context& io, int fd) : descriptor(io, fd) {}

  asio::posix::stream_descriptor descriptor;
  bool want_read = false;
  bool want_write = false;
  bool reading = false;
  bool writing = false;
  bool closed = false;
};

struct AresAsioChannel::Pending {
  std::uint64_t id = 0;
  AresAsioChannel* channel = nullptr;
  QueryHandler on_answer;
  AddressHandler on_addresses;
  std::size_t limit = 0;
};

AresAsioChannel::AresAsioChannel(asio::io_context& io, const std::string& dns_server,
                                 std::chrono::milliseconds timeout)
    : io_(io), timeout_(timeout), timer_(io) {
  if (const int status = ares_library_init(ARES_LIB_INIT_ALL); status != ARES_SUCCESS) {
    throw std::runtime_error(fmt::format("c-ares: {}", ares_strerror(status)));
  }
  ares_options options{};
  int mask = ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_FLAGS | ARES_OPT_SOCK_STATE_CB;
  options.timeout = std::max(1, static_cast<int>(timeout.count() / kTimeoutParts));
  options.tries = kTries;
  // RFC 3263 names come from SIP URIs and are fully qualified: a search list would turn a typo
  // into a query for a name in another zone.
  options.flags = ARES_FLAG_NOSEARCH;
  options.sock_state_cb = &AresAsioChannel::on_socket_state;
  options.sock_state_cb_data = this;
  // A configured server is asked alone: /etc/hosts would hide what the DNS says.
  std::string lookups = "b";
  if (!dns_server.empty()) {
    mask |= ARES_OPT_LOOKUPS;
    options.lookups = lookups.data();
  }
  if (const int status = ares_init_options(&channel_, &options, mask); status != ARES_SUCCESS) {
    throw std::runtime_error(fmt::format("c-ares: {}", ares_strerror(status)));
  }
  server_description_ = "the system's DNS servers";
  if (!dns_server.empty()) {
    auto server = parse_host_port(dns_server, kDnsPort);
    if (!server) {
      ares_destroy(channel_);
      throw std::runtime_error(fmt::format("DNS server \"{}\": {}", dns_server, server.error()));
    }
    const auto csv = server_csv(*server);
    if (const int status = ares_set_servers_ports_csv(channel_, csv.c_str());
        status != ARES_SUCCESS) {
      ares_destroy(channel_);
      throw std::runtime_error(
          fmt::format("DNS server \"{}\": {}", dns_server, ares_strerror(status)));
    }
    server_description_ = "DNS server " + csv;
  }
}

AresAsioChannel::~AresAsioChannel() {
  // Stop watching first, without closing: the descriptors are c-ares's, and ares_destroy
  // closes them. ares_destroy then ends each pending query with ARES_EDESTRUCTION, which
  // on_query and on_addrinfo drop.
  destroying_ = true;
  for (auto& [fd, watcher] : watchers_) {
    watcher->closed = true;
    boost::system::error_code ignored;
    watcher->descriptor.cancel(ignored);
    watcher->descriptor.release();
  }
  watchers_.clear();
  ares_destroy(channel_);
}

void AresAsioChannel::query(const std::string& name, int type, QueryHandler handler) {
  auto& pending = add_pending();
  pending.on_answer = std::move(handler);
  ares_query(channel_, name.c_str(), ns_c_in, type, &AresAsioChannel::on_query, &pending);
  schedule_timeout();
}

void AresAsioChannel::lookup_addresses(const std::string& name, std::size_t limit,
                                       AddressHandler handler) {
  auto& pending = add_pending();
  pending.on_addresses = std::move(handler);
  pending.limit = limit;
  ares_addrinfo_hints hints{};
  hints.ai_family = AF_UNSPEC;
  ares_getaddrinfo(channel_, name.c_str(), nullptr, &hints, &AresAsioChannel::on_addrinfo,
                   &pending);
  schedule_timeout();
}

// The Pending lives in pending_ (a stable node) until c-ares calls back with it, so c-ares
// holds a plain pointer, and a channel destroyed first takes the handler with it.
AresAsioChannel::Pending& AresAsioChannel::add_pending() {
  const auto id = next_pending_id_++;
  auto& slot = pending_[id];
  slot = std::make_unique<Pending>();
  slot->id = id;
  slot->channel = this;
  return *slot;
}

std::unique_ptr<AresAsioChannel::Pending> AresAsioChannel::take_pending(Pending& pending) {
  auto node = pending_.extract(pending.id);
  return node.empty() ? nullptr : std::move(node.mapped());
}

void AresAsioChannel::on_query(void* argument, int status, int /*timeouts*/, unsigned char* answer,
                               int length) {
  auto& pending = *static_cast<Pending*>(argument);
  auto* channel = pending.channel;
  auto taken = channel->take_pending(pending);
  if (!taken || status == ARES_EDESTRUCTION || channel->destroying_) {
    return;
  }
  const std::span<const unsigned char> bytes =
      answer == nullptr || length <= 0
          ? std::span<const unsigned char>()
          : std::span<const unsigned char>(answer, static_cast<std::size_t>(length));
  taken->on_answer(status, bytes);
}

void AresAsioChannel::on_addrinfo(void* argument, int status, int /*timeouts*/,
                                  ares_addrinfo* result) {
  // Owns the result from here on, whatever happens below.
  const std::unique_ptr<ares_addrinfo, decltype(&ares_freeaddrinfo)> owned(result,
                                                                           &ares_freeaddrinfo);
  auto& pending = *static_cast<Pending*>(argument);
  auto* channel = pending.channel;
  auto taken = channel->take_pending(pending);
  if (!taken || status == ARES_EDESTRUCTION || channel->destroying_) {
    return;
  }
  std::vector<ResolvedAddress> addresses;
  for (const auto* node = result == nullptr ? nullptr : result->nodes;
       node != nullptr && addresses.size() < taken->limit; node = node->ai_next) {
    std::array<char, INET6_ADDRSTRLEN> text{};
    const void* address = nullptr;
    if (node->ai_family == AF_INET) {
      address = &reinterpret_cast<const sockaddr_in*>(node->ai_addr)->sin_addr;
    } else if (node->ai_family == AF_INET6) {
      address = &reinterpret_cast<const sockaddr_in6*>(node->ai_addr)->sin6_addr;
    } else {
      continue;
    }
    if (inet_ntop(node->ai_family, address, text.data(), text.size()) != nullptr) {
      addresses.push_back({text.data(), std::chrono::seconds(std::max(0, node->ai_ttl))});
    }
  }
  taken->on_addresses(status, std::move(addresses));
}

void AresAsioChannel::on_socket_state(void* data, int fd, int readable, int writable) {
  auto& channel = *static_cast<AresAsioChannel*>(data);
  if (!channel.destroying_) {
    channel.watch(fd, readable != 0, writable != 0);
  }
}

void AresAsioChannel::watch(int fd, bool readable, bool writable) {
  auto found = watchers_.find(fd);
  if (!readable && !writable) {
    // c-ares is about to close the socket: let go of it before the number can be reused.
    if (found != watchers_.end()) {
      found->second->closed = true;
      boost::system::error_code ignored;
      found->second->descriptor.cancel(ignored);
      found->second->descriptor.release();
      watchers_.erase(found);
    }
    return;
  }
  if (found == watchers_.end()) {
    found = watchers_.emplace(fd, std::make_shared<Watcher>(io_, fd)).first;
  }
  found->second->want_read = readable;
  found->second->want_write = writable;
  arm(found->second);
}

void AresAsioChannel::arm(const std::shared_ptr<Watcher>& watcher) {
  const auto wait = [this, watcher](asio::posix::descriptor_base::wait_type type, bool& busy) {
    busy = true;
    const int fd = watcher->descriptor.native_handle();
    const bool read = type == asio::posix::descriptor_base::wait_read;
    watcher->descriptor.async_wait(type, [this, alive = std::weak_ptr<bool>(alive_), watcher, fd,
                                          read](const boost::system::error_code& error) {
      if (alive.expired() || watcher->closed) {
        return;
      }
      (read ? watcher->reading : watcher->writing) = false;
      if (error) {
        return;
      }
      ares_process_fd(channel_, read ? fd : ARES_SOCKET_BAD, read ? ARES_SOCKET_BAD : fd);
      if (!watcher->closed) {
        arm(watcher);
      }
      schedule_timeout();
    });
  };
  if (watcher->want_read && !watcher->reading) {
    wait(asio::posix::descriptor_base::wait_read, watcher->reading);
  }
  if (watcher->want_write && !watcher->writing) {
    wait(asio::posix::descriptor_base::wait_write, watcher->writing);
  }
}

void AresAsioChannel::schedule_timeout() {
  timeval wait{};
  if (ares_timeout(channel_, nullptr, &wait) == nullptr) {
    timer_.cancel();
    return;
  }
  timer_.expires_after(std::chrono::seconds(wait.tv_sec) + std::chrono::microseconds(wait.tv_usec));
  timer_.async_wait(
      [this, alive = std::weak_ptr<bool>(alive_)](const boost::system::error_code& error) {
        if (alive.expired() || error) {
          return;
        }
        ares_process_fd(channel_, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
        schedule_timeout();
      });
}

} // namespace starling::net::detail
