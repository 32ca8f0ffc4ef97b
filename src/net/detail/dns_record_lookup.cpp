// NAPTR, SRV and A/AAAA lookups for the SIP locator, answered from a TTL cache when it can and
// from a c-ares channel on the io_context when it must.
#include "net/detail/dns_record_lookup.h"

#include <algorithm>
#include <memory>
#include <utility>

#include <ares.h>
#include <arpa/nameser.h>
#include <fmt/format.h>

#include "net/dns_answer_ttl.h"

namespace starling::net::detail {
namespace {

struct NaptrListDeleter {
  void operator()(ares_naptr_reply* list) const { ares_free_data(list); }
};
struct SrvListDeleter {
  void operator()(ares_srv_reply* list) const { ares_free_data(list); }
};

std::string text(const unsigned char* bytes) {
  return bytes == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(bytes));
}

std::string format_seconds(std::chrono::milliseconds duration) {
  constexpr double kMillisecondsPerSecond = 1000.0;
  return fmt::format("{:g} s", static_cast<double>(duration.count()) / kMillisecondsPerSecond);
}

std::chrono::seconds answer_ttl(std::span<const unsigned char> answer) {
  return std::chrono::seconds(smallest_answer_ttl(answer).value_or(0));
}

std::chrono::seconds smallest_ttl(const std::vector<ResolvedAddress>& addresses) {
  auto smallest = addresses.empty() ? std::chrono::seconds(0) : addresses.front().ttl;
  for (const auto& address : addresses) {
    smallest = std::min(smallest, address.ttl);
  }
  return smallest;
}

} // namespace

DnsRecordLookup::DnsRecordLookup(boost::asio::io_context& io, const std::string& dns_server,
                                 std::chrono::milliseconds timeout, const core::Clock& clock)
    : naptr_cache_(clock), srv_cache_(clock), address_cache_(clock),
      channel_(io, dns_server, timeout) {}

DnsFailure DnsRecordLookup::failure(int status, const char* type, const std::string& name) const {
  switch (status) {
  case ARES_ENOTFOUND:
    return {true, "domain name not found"};
  case ARES_ENODATA:
    return {true, fmt::format("no {} records", type)};
  case ARES_ETIMEOUT:
    return {false, fmt::format("{} did not answer within {} (asked for {} records of {})",
                               channel_.server_description(), format_seconds(channel_.timeout()),
                               type, name)};
  case ARES_ECONNREFUSED:
    return {false, fmt::format("{} refused the connection (asked for {} records of {})",
                               channel_.server_description(), type, name)};
  default:
    return {false, fmt::format("{}: {} (asked for {} records of {})", channel_.server_description(),
                               ares_strerror(status), type, name)};
  }
}

template <typename Record>
void DnsRecordLookup::complete(DnsCache<DnsRecords<Record>>& cache, const std::string& name,
                               const char* type, int status, std::vector<Record> records,
                               std::chrono::seconds ttl, const Handler<Record>& on_done) {
  if (status != ARES_SUCCESS) {
    auto why = failure(status, type, name);
    if (why.no_records) {
      cache.store(name, std::unexpected(why), kDnsNegativeTtl);
    }
    on_done(std::unexpected(std::move(why)));
    return;
  }
  cache.store(name, records, ttl);
  on_done(std::move(records));
}

void DnsRecordLookup::naptr(const std::string& domain, Handler<NaptrRecord> on_done) {
  if (const auto* cached = naptr_cache_.find(domain)) {
    on_done(*cached);
    return;
  }
  channel_.query(
      domain, ns_t_naptr,
      [this, domain, on_done = std::move(on_done)](int status,
                                                   std::span<const unsigned char> answer) {
        ares_naptr_reply* raw = nullptr;
        if (status == ARES_SUCCESS) {
          status = ares_parse_naptr_reply(answer.data(), static_cast<int>(answer.size()), &raw);
        }
        const std::unique_ptr<ares_naptr_reply, NaptrListDeleter> list(raw);
        std::vector<NaptrRecord> records;
        for (const auto* reply = list.get();
             reply != nullptr && records.size() < kMaxRecordsPerAnswer; reply = reply->next) {
          records.push_back({reply->order, reply->preference, text(reply->flags),
                             text(reply->service), text(reply->regexp),
                             reply->replacement == nullptr ? std::string() : reply->replacement});
        }
        complete(naptr_cache_, domain, "NAPTR", status, std::move(records), answer_ttl(answer),
                 on_done);
      });
}

void DnsRecordLookup::srv(const std::string& name, Handler<SrvRecord> on_done) {
  if (const auto* cached = srv_cache_.find(name)) {
    on_done(*cached);
    return;
  }
  channel_.query(
      name, ns_t_srv,
      [this, name, on_done = std::move(on_done)](int status,
                                                 std::span<const unsigned char> answer) {
        ares_srv_reply* raw = nullptr;
        if (status == ARES_SUCCESS) {
          status = ares_parse_srv_reply(answer.data(), static_cast<int>(answer.size()), &raw);
        }
        const std::unique_ptr<ares_srv_reply, SrvListDeleter> list(raw);
        std::vector<SrvRecord> records;
        for (const auto* reply = list.get();
             reply != nullptr && records.size() < kMaxRecordsPerAnswer; reply = reply->next) {
          // c-ares writes the root name "." as an empty string.
          std::string target = reply->host == nullptr ? std::string() : reply->host;
          records.push_back({reply->priority, reply->weight, reply->port,
                             target.empty() ? "." : std::move(target)});
        }
        complete(srv_cache_, name, "SRV", status, std::move(records), answer_ttl(answer), on_done);
      });
}

void DnsRecordLookup::addresses(const std::string& host, Handler<std::string> on_done) {
  if (const auto* cached = address_cache_.find(host)) {
    on_done(*cached);
    return;
  }
  channel_.lookup_addresses(host, kMaxRecordsPerAnswer,
                            [this, host, on_done = std::move(on_done)](
                                int status, std::vector<ResolvedAddress> resolved) {
                              if (status == ARES_SUCCESS && resolved.empty()) {
                                status = ARES_ENODATA;
                              }
                              std::vector<std::string> addresses;
                              addresses.reserve(resolved.size());
                              for (auto& address : resolved) {
                                addresses.push_back(std::move(address.address));
                              }
                              complete(address_cache_, host, "A/AAAA", status, std::move(addresses),
                                       smallest_ttl(resolved), on_done);
                            });
}

} // namespace starling::net::detail
