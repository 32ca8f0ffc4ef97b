// A c-ares channel driven by an Asio io_context: c-ares's sockets are watched with
// posix::stream_descriptor::async_wait and its retransmission timer with a steady_timer, so
// DNS queries never block the shard that asks them. Only the SIP locator uses it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

// c-ares's own types, kept out of this header's users.
struct ares_channeldata; // NOLINT(readability-identifier-naming)
struct ares_addrinfo;    // NOLINT(readability-identifier-naming)

namespace starling::net::detail {

struct ResolvedAddress {
  std::string address; // an IP literal, IPv6 without brackets
  std::chrono::seconds ttl{0};
};

class AresAsioChannel {
public:
  // `status` is a c-ares status (ARES_SUCCESS, ARES_ENOTFOUND, ARES_ETIMEOUT ...); `answer` is
  // the raw DNS response, valid only during the call.
  using QueryHandler = std::function<void(int status, std::span<const unsigned char> answer)>;
  using AddressHandler = std::function<void(int status, std::vector<ResolvedAddress> addresses)>;

  // `dns_server` as for net::lookup_host. Throws std::runtime_error when c-ares cannot start or
  // the server is malformed: a start-up error of the configuration.
  AresAsioChannel(boost::asio::io_context& io, const std::string& dns_server,
                  std::chrono::milliseconds timeout);
  // Queries still in flight are abandoned: their handlers are destroyed, never called.
  ~AresAsioChannel();
  AresAsioChannel(const AresAsioChannel&) = delete;
  AresAsioChannel& operator=(const AresAsioChannel&) = delete;
  AresAsioChannel(AresAsioChannel&&) = delete;
  AresAsioChannel& operator=(AresAsioChannel&&) = delete;

  // One DNS query of class IN. The handler runs on the io_context's thread, from within the
  // channel's processing: it may start further queries.
  void query(const std::string& name, int type, QueryHandler handler);
  // A and AAAA (and /etc/hosts when no server is configured), at most `limit` addresses.
  void lookup_addresses(const std::string& name, std::size_t limit, AddressHandler handler);

  // For error messages: "DNS server 127.0.0.1:5353", or "the system's DNS servers".
  [[nodiscard]] const std::string& server_description() const { return server_description_; }
  [[nodiscard]] std::chrono::milliseconds timeout() const { return timeout_; }

private:
  struct Watcher;
  struct Pending;

  static void on_socket_state(void* data, int fd, int readable, int writable);
  static void on_query(void* argument, int status, int timeouts, unsigned char* answer, int length);
  static void on_addrinfo(void* argument, int status, int timeouts, ares_addrinfo* result);

  void watch(int fd, bool readable, bool writable);
  void arm(const std::shared_ptr<Watcher>& watcher);
  void schedule_timeout();
  Pending& add_pending();
  std::unique_ptr<Pending> take_pending(Pending& pending);

  boost::asio::io_context& io_;
  std::chrono::milliseconds timeout_;
  std::string server_description_;
  boost::asio::steady_timer timer_;
  std::map<int, std::shared_ptr<Watcher>> watchers_;
  std::map<std::uint64_t, std::unique_ptr<Pending>> pending_;
  std::uint64_t next_pending_id_ = 0;
  ares_channeldata* channel_ = nullptr;
  bool destroying_ = false;
  // Asio handlers outlive this object when it is destroyed with waits in flight: they hold a
  // weak reference to this token and do nothing once it has expired.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

} // namespace starling::net::detail
