// Keeps DNS answers (and the absence of one) for as long as their TTL allows, on an injected
// clock, so that a SIP request does not wait for the same three DNS round trips every time.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <map>
#include <string>
#include <utility>

#include "core/clock.h"

namespace starling::net {

// A day-long TTL must not pin a provider's old address after it moved: answers are kept at
// most an hour. Absent names are asked again after a minute (RFC 2308 allows the SOA minimum;
// a short fixed time lets a freshly added record show up soon).
inline constexpr std::chrono::seconds kDnsCacheLongestTtl{3600};
inline constexpr std::chrono::seconds kDnsNegativeTtl{60};
// Names come from the configuration and from what peers send (Record-Route, Contact): bound the
// memory a stream of distinct names can take.
inline constexpr std::size_t kDnsCacheMaxEntries = 1024;

template <typename Value> class DnsCache {
public:
  explicit DnsCache(const core::Clock& clock) : clock_(clock) {}

  // The value stored for `name` if its TTL has not run out, else nullptr.
  [[nodiscard]] const Value* find(const std::string& name) const {
    const auto found = entries_.find(name);
    if (found == entries_.end() || found->second.expires <= clock_.now()) {
      return nullptr;
    }
    return &found->second.value;
  }

  // A TTL of 0 means "do not cache" (RFC 1035 §3.2.1).
  void store(const std::string& name, Value value, std::chrono::seconds ttl) {
    ttl = std::min(ttl, kDnsCacheLongestTtl);
    if (ttl <= std::chrono::seconds::zero()) {
      return;
    }
    const auto now = clock_.now();
    if (entries_.size() >= kDnsCacheMaxEntries && !entries_.contains(name)) {
      std::erase_if(entries_, [now](const auto& entry) { return entry.second.expires <= now; });
      if (entries_.size() >= kDnsCacheMaxEntries) {
        entries_.erase(
            std::min_element(entries_.begin(), entries_.end(), [](const auto& a, const auto& b) {
              return a.second.expires < b.second.expires;
            }));
      }
    }
    entries_.insert_or_assign(name, Entry{std::move(value), now + ttl});
  }

private:
  struct Entry {
    Value value;
    core::Clock::TimePoint expires;
  };

  const core::Clock& clock_;
  std::map<std::string, Entry, std::less<>> entries_;
};

} // namespace starling::net
