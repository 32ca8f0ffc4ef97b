// NAPTR, SRV and A/AAAA lookups for the SIP locator, answered from a TTL cache when it can and
// from a c-ares channel on the io_context when it must.
#pragma once

#include <chrono>
#include <cstddef>
#include <expected>
#include <functional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "core/clock.h"
#include "net/detail/ares_asio_channel.h"
#include "net/dns_cache.h"
#include "net/naptr_selection.h"
#include "net/srv_order.h"

namespace starling::net::detail {

// Why a lookup gave nothing. `no_records` (NXDOMAIN, or the name has no records of that type)
// is an answer, cached for kDnsNegativeTtl, and RFC 3263 goes on to its next step; anything
// else (a timeout, SERVFAIL, a malformed answer) is not cached and ends the location.
struct DnsFailure {
  bool no_records = false;
  std::string reason; // "domain name not found", "DNS server 127.0.0.1:53 did not answer ..."
};

template <typename Record> using DnsRecords = std::expected<std::vector<Record>, DnsFailure>;

// A hostile or broken zone must not make one lookup allocate without bound.
inline constexpr std::size_t kMaxRecordsPerAnswer = 32;

class DnsRecordLookup {
public:
  template <typename Record> using Handler = std::function<void(DnsRecords<Record>)>;

  DnsRecordLookup(boost::asio::io_context& io, const std::string& dns_server,
                  std::chrono::milliseconds timeout, const core::Clock& clock);

  // Handlers run on the io_context's thread: at once on a cache hit, else from the channel.
  void naptr(const std::string& domain, Handler<NaptrRecord> on_done);
  void srv(const std::string& name, Handler<SrvRecord> on_done);
  void addresses(const std::string& host, Handler<std::string> on_done);

private:
  [[nodiscard]] DnsFailure failure(int status, const char* type, const std::string& name) const;
  // Caches the answer to a lookup (absent records for kDnsNegativeTtl, other failures not at
  // all) and hands it on: `records` on success, else why `status` says there are none.
  template <typename Record>
  void complete(DnsCache<DnsRecords<Record>>& cache, const std::string& name, const char* type,
                int status, std::vector<Record> records, std::chrono::seconds ttl,
                const Handler<Record>& on_done);

  DnsCache<DnsRecords<NaptrRecord>> naptr_cache_;
  DnsCache<DnsRecords<SrvRecord>> srv_cache_;
  DnsCache<DnsRecords<std::string>> address_cache_;
  // Last: destroyed first, so that abandoning its queries cannot reach the caches.
  AresAsioChannel channel_;
};

} // namespace starling::net::detail
