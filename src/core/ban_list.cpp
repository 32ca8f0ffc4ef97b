// Failure counting over a sliding window, bans with a fixed duration, both bounded.
#include "core/ban_list.h"

#include <algorithm>

#include <fmt/format.h>

namespace starling::core {

BanList::BanList(const Clock& clock, MetricsRegistry& metrics, std::string_view service,
                 BanPolicy policy)
    : clock_(clock), policy_(policy),
      failures_total_(metrics.counter(fmt::format("starling_{}_auth_failures_total", service),
                                      "Authentication attempts with wrong credentials.")),
      bans_total_(metrics.counter(fmt::format("starling_{}_bans_total", service),
                                  "Source addresses banned for repeated authentication failures.")),
      banned_sources_(metrics.gauge(fmt::format("starling_{}_banned_sources", service),
                                    "Source addresses banned at the moment.")) {
  policy_.max_failures = std::max<std::size_t>(policy_.max_failures, 1);
  policy_.max_tracked_sources = std::max<std::size_t>(policy_.max_tracked_sources, 1);
  policy_.max_banned_sources = std::max<std::size_t>(policy_.max_banned_sources, 1);
}

bool BanList::is_banned(std::string_view source) {
  if (!any_banned()) {
    return false; // the usual case, without the lock or the clock
  }
  const auto now = clock_.now();
  const std::scoped_lock lock(mutex_);
  lift_expired_bans(now);
  return banned_.contains(source);
}

bool BanList::record_failure(std::string_view source) {
  failures_total_.increment();
  const auto now = clock_.now();
  const std::scoped_lock lock(mutex_);
  lift_expired_bans(now);
  if (banned_.contains(source)) {
    return false; // already banned: reported when it started
  }
  auto it = tracked_.find(source);
  if (it == tracked_.end()) {
    if (tracked_.size() >= policy_.max_tracked_sources) {
      forget_tracked(tracked_.find(lru_.front()));
    }
    lru_.emplace_back(source);
    it = tracked_.emplace(std::string(source), Tracked{{}, std::prev(lru_.end())}).first;
  } else {
    lru_.splice(lru_.end(), lru_, it->second.lru);
  }
  auto& failures = it->second.failures;
  const auto window_start = now - policy_.window;
  std::erase_if(failures, [window_start](auto t) { return t <= window_start; });
  failures.push_back(now);
  if (failures.size() < policy_.max_failures) {
    return false;
  }
  forget_tracked(it);
  ban(source, now);
  return true;
}

void BanList::record_success(std::string_view source) {
  const std::scoped_lock lock(mutex_);
  if (const auto it = tracked_.find(source); it != tracked_.end()) {
    forget_tracked(it);
  }
}

std::size_t BanList::banned_count() const {
  const std::scoped_lock lock(mutex_);
  return banned_.size();
}

std::size_t BanList::tracked_count() const {
  const std::scoped_lock lock(mutex_);
  return tracked_.size();
}

void BanList::lift_expired_bans(Clock::TimePoint now) {
  bool lifted = false;
  while (!ban_order_.empty() && ban_order_.front().until <= now) {
    banned_.erase(ban_order_.front().source);
    ban_order_.pop_front();
    lifted = true;
  }
  if (lifted) {
    update_gauge();
  }
}

void BanList::forget_tracked(Map<Tracked>::iterator it) {
  lru_.erase(it->second.lru);
  tracked_.erase(it);
}

void BanList::ban(std::string_view source, Clock::TimePoint now) {
  if (banned_.size() >= policy_.max_banned_sources) {
    banned_.erase(ban_order_.front().source);
    ban_order_.pop_front();
  }
  const auto until = now + policy_.ban_duration;
  banned_.emplace(std::string(source), until);
  ban_order_.push_back({until, std::string(source)});
  bans_total_.increment();
  update_gauge();
}

void BanList::update_gauge() {
  banned_sources_.set(static_cast<std::int64_t>(banned_.size()));
  any_banned_.store(!banned_.empty(), std::memory_order_relaxed);
}

} // namespace starling::core
