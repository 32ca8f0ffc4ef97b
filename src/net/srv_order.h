// RFC 2782 "Usage rules": the order in which a client tries the targets of SRV records.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace starling::net {

struct SrvRecord {
  std::uint16_t priority = 0;
  std::uint16_t weight = 0;
  std::uint16_t port = 0;
  std::string target; // "." : the service is decidedly not available at this domain

  bool operator==(const SrvRecord&) const = default;
};

// A uniform random number in [0, upper] (both ends included, as RFC 2782 draws it). Injected so
// that tests can fix the order; production uses a seeded std::mt19937.
using SrvRandom = std::function<std::uint32_t(std::uint32_t upper)>;

[[nodiscard]] SrvRandom make_srv_random();

// True when the answer says the service is decidedly not available: RFC 2782 allows this only
// as the one record of the answer, but any "." target is unusable, so all "." counts too.
[[nodiscard]] bool srv_service_unavailable(const std::vector<SrvRecord>& records);

// Lowest priority first; within one priority a weighted random order (records of weight 0 are
// picked rarely, records of large weight often). "." targets are dropped.
[[nodiscard]] std::vector<SrvRecord> order_srv_records(std::vector<SrvRecord> records,
                                                       const SrvRandom& random);

} // namespace starling::net
