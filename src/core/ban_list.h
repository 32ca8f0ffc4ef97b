// Brute-force protection: sources with too many authentication failures are banned a while.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <deque>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/metrics.h"

namespace starling::core {

// A password guesser sends hundreds of REGISTERs a minute; a phone with a wrong password
// retries every few seconds at most. Ten failures in a minute separates them, and ten
// minutes of silence makes guessing useless while letting a fixed phone back in soon.
struct BanPolicy {
  std::size_t max_failures = 10;
  Clock::Duration window = std::chrono::seconds{60};
  Clock::Duration ban_duration = std::chrono::seconds{600};
  // Sources with failures but no ban. A spoofed-source flood fills this first, so it is
  // kept apart from the bans, which such a flood must not push out.
  std::size_t max_tracked_sources = 65536;
  // Banned sources; at the cap the ban closest to its end is lifted early.
  std::size_t max_banned_sources = 65536;
};

// Keys are source addresses as text ("192.0.2.1", "2001:db8::1"), as the transport writes
// them. Shared by the transports and the shards, hence the lock; each call holds it briefly.
// One per service (SIP, XMPP): its metrics are named after it, e.g.
// starling_sip_banned_sources, whose gauge is set from this list's size.
class BanList {
public:
  BanList(const Clock& clock, MetricsRegistry& metrics, std::string_view service,
          BanPolicy policy = {});

  // Cheap enough to run on every datagram before it is parsed: while nobody is banned it
  // takes neither the lock nor the time.
  [[nodiscard]] bool is_banned(std::string_view source);
  // Without the lock: lets a transport skip even writing the key of every datagram while
  // nobody is banned. A ban that has just ended counts until the next is_banned lifts it.
  [[nodiscard]] bool any_banned() const { return any_banned_.load(std::memory_order_relaxed); }

  // Counts a failed authentication. True when this failure banned the source, so the caller
  // logs the ban once.
  [[nodiscard]] bool record_failure(std::string_view source);

  // A source that authenticated is not guessing: forget its failures. Other sources keep
  // theirs, so an attacker cannot clear its count with someone else's success.
  void record_success(std::string_view source);

  [[nodiscard]] std::size_t banned_count() const;
  [[nodiscard]] std::size_t tracked_count() const;

private:
  struct Hash {
    using is_transparent = void; // NOLINT(readability-identifier-naming): std's name
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <typename T> using Map = std::unordered_map<std::string, T, Hash, std::equal_to<>>;

  struct Tracked {
    std::vector<Clock::TimePoint> failures; // within the window, oldest first
    std::list<std::string>::iterator lru;
  };
  struct Ban {
    Clock::TimePoint until;
    std::string source;
  };

  void lift_expired_bans(Clock::TimePoint now);
  void forget_tracked(Map<Tracked>::iterator it);
  void ban(std::string_view source, Clock::TimePoint now);
  void update_gauge();

  const Clock& clock_;
  BanPolicy policy_;
  Counter& failures_total_;
  Counter& bans_total_;
  Gauge& banned_sources_;

  mutable std::mutex mutex_;
  Map<Tracked> tracked_;
  std::list<std::string> lru_;   // least recently failed at the front
  Map<Clock::TimePoint> banned_; // source -> end of its ban
  std::deque<Ban> ban_order_;    // ends in ascending order: the duration is fixed
  std::atomic<bool> any_banned_{false};
};

} // namespace starling::core
