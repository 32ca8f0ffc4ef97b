// Locating SIP servers (RFC 3263 §4): from the host part of a SIP or SIPS URI to the ordered
// list of transport, address and port a client tries, through NAPTR, SRV (RFC 2782) and A/AAAA
// records. Used by trunk registration and outbound calls, on a shard's io_context.
//
// - An IP literal is used as it is; a port means A/AAAA only; a transport without a port means
//   SRV for that transport only; otherwise NAPTR (SIP+D2U, SIP+D2T, SIPS+D2T; for sips: only
//   SIPS+D2T), else SRV for _sips._tcp, _sip._tcp and _sip._udp, else A/AAAA on 5060/5061.
// - Lookups run on c-ares, driven by the io_context itself (its sockets are watched with
//   async_wait, its timer is a steady_timer): nothing blocks the shard, no thread is added.
// - Answers are cached for their TTL (at most an hour), absent names for a minute (dns_cache.h).
#pragma once

#include <chrono>
#include <cstddef>
#include <expected>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "core/clock.h"
#include "net/sip_server.h"
#include "net/srv_order.h"

namespace starling::net {

namespace detail {
class DnsRecordLookup;
} // namespace detail

// The failover list, best first: every SRV target's every address, in the order RFC 3263 and
// RFC 2782 say to try them; or what failed, for the operator ("no NAPTR, SRV or A/AAAA records
// for example.com", "DNS server 127.0.0.1:5353 did not answer within 2 s (...)").
using SipLocation = std::expected<std::vector<SipServerTarget>, std::string>;
using SipLocationHandler = std::function<void(SipLocation)>;

// Limits on what a hostile DNS answer can make one location allocate and ask.
inline constexpr std::size_t kMaxSipServerTargets = 32; // addresses in one failover list
inline constexpr std::size_t kMaxNaptrServices = 8;     // SRV names followed from NAPTRs

class SipLocator {
public:
  // `dns_server`: "address" or "address:port"; empty: the system's resolver (/etc/resolv.conf
  // and /etc/hosts), as net::lookup_host. `timeout` bounds each DNS query. Throws
  // std::runtime_error when the server is malformed or c-ares cannot start (start-up errors).
  SipLocator(boost::asio::io_context& io, const std::string& dns_server,
             std::chrono::milliseconds timeout, const core::Clock& clock,
             SrvRandom random = make_srv_random());
  // Locations still in flight are abandoned: their handlers are destroyed, never called. Must
  // run on the io_context's thread (or once it has stopped), as must resolve().
  ~SipLocator();
  SipLocator(const SipLocator&) = delete;
  SipLocator& operator=(const SipLocator&) = delete;
  SipLocator(SipLocator&&) = delete;
  SipLocator& operator=(SipLocator&&) = delete;

  // Calls `on_done` once, later, on the io_context (never from within resolve()), even when the
  // answer is cached; never if the locator is destroyed first. Any number may run at once.
  void resolve(SipServerName name, SipLocationHandler on_done);

private:
  class Location;

  boost::asio::io_context& io_;
  SrvRandom random_;
  std::unique_ptr<detail::DnsRecordLookup> dns_;
  // Posted completions check it, so that none reaches a destroyed locator's user.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

} // namespace starling::net
