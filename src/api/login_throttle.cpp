// Slows down password guessing at POST /session: back-off per account, a ban per source.
#include "api/login_throttle.h"

#include <algorithm>
#include <cctype>

#include <spdlog/spdlog.h>

namespace starling::api {

namespace {

using std::chrono::seconds;

// A user who mistypes a few times is not slowed down at all.
constexpr unsigned kFreeAccountFailures = 5;
constexpr seconds kFirstAccountDelay{15};
// The longest an account waits between guesses: an attacker gets a dozen guesses an hour,
// the real user at most this long after the attack stops.
constexpr seconds kMaxAccountDelay{300};
// An account without failures for this long starts again from zero.
constexpr seconds kAccountMemory{3600};

// One address guessing at many accounts: this many failures within the window bans it.
constexpr unsigned kSourceFailures = 20;
constexpr seconds kSourceWindow{600};
constexpr seconds kSourceBan{900};

// Both maps are bounded so that a flood of made-up names or addresses cannot grow them.
constexpr std::size_t kMaxTracked = 10000;

// IPv6 hosts get a /64 each, so one host hopping through its own prefix is still one source.
std::string source_key(const boost::asio::ip::address& source) {
  if (source.is_v6() && source.to_v6().is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, source.to_v6()).to_string();
  }
  if (source.is_v6()) {
    auto bytes = source.to_v6().to_bytes();
    std::fill(bytes.begin() + 8, bytes.end(), 0);
    return boost::asio::ip::address_v6(bytes).to_string() + "/64";
  }
  return source.to_string();
}

// Login names are case-insensitive in the store; so is the throttle.
std::string account_key(std::string_view account) {
  std::string key(account.substr(0, 128));
  std::ranges::transform(key, key.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return key;
}

// What goes into the log of a name an attacker typed: printable ASCII only.
std::string printable(std::string_view text) {
  std::string shown;
  for (const char c : text.substr(0, 64)) {
    shown += std::isprint(static_cast<unsigned char>(c)) != 0 ? c : '?';
  }
  return shown;
}

seconds rounded_up(core::Clock::Duration duration) {
  return std::max(seconds{1}, std::chrono::ceil<seconds>(duration));
}

} // namespace

LoginThrottle::LoginThrottle(const core::Clock& clock, core::MetricsRegistry& metrics)
    : clock_(clock), failures_(metrics.counter("starling_api_login_failures_total",
                                               "Logins refused for a wrong name or password")),
      throttled_(metrics.counter("starling_api_logins_throttled_total",
                                 "Login attempts refused unchecked (429) by the throttle")),
      account_backoffs_(metrics.counter("starling_api_login_bans_total",
                                        "Accounts slowed down and sources banned from logging in",
                                        {{"kind", "account"}})),
      source_bans_(metrics.counter("starling_api_login_bans_total",
                                   "Accounts slowed down and sources banned from logging in",
                                   {{"kind", "source"}})) {}

std::optional<seconds> LoginThrottle::refusal(std::string_view account,
                                              const boost::asio::ip::address& source) {
  const auto now = clock_.now();
  const std::scoped_lock lock(mutex_);
  core::Clock::TimePoint until = now;
  if (const auto found = sources_.find(source_key(source)); found != sources_.end()) {
    until = std::max(until, found->second.banned_until);
  }
  if (const auto found = accounts_.find(account_key(account)); found != accounts_.end()) {
    until = std::max(until, found->second.locked_until);
  }
  if (until <= now) {
    return std::nullopt;
  }
  throttled_.increment();
  return rounded_up(until - now);
}

void LoginThrottle::failed(std::string_view account, const boost::asio::ip::address& source) {
  const auto now = clock_.now();
  failures_.increment();
  const std::scoped_lock lock(mutex_);
  forget_stale(now);

  const std::string source_name = source_key(source);
  SourceState& from = sources_[source_name];
  if (from.failures == 0 || now - from.window_start >= kSourceWindow) {
    from.failures = 0;
    from.window_start = now;
  }
  if (++from.failures == kSourceFailures) {
    from.banned_until = now + kSourceBan;
    from.failures = 0;
    source_bans_.increment();
    spdlog::warn("api: {} may not log in for {} s after {} failed logins", source_name,
                 kSourceBan.count(), kSourceFailures);
  }

  AccountState& state = accounts_[account_key(account)];
  if (now - state.last_failure >= kAccountMemory) {
    state.failures = 0;
  }
  state.last_failure = now;
  if (++state.failures < kFreeAccountFailures) {
    return;
  }
  const unsigned doublings = std::min(state.failures - kFreeAccountFailures, 8U);
  const seconds delay = std::min(kMaxAccountDelay, kFirstAccountDelay * (1U << doublings));
  state.locked_until = now + delay;
  if (state.failures == kFreeAccountFailures) {
    account_backoffs_.increment();
    spdlog::warn("api: logins to '{}' wait up to {} s between attempts after {} failures",
                 printable(account), kMaxAccountDelay.count(), kFreeAccountFailures);
  }
}

void LoginThrottle::succeeded(std::string_view account) {
  const std::scoped_lock lock(mutex_);
  accounts_.erase(account_key(account));
}

void LoginThrottle::forget_stale(core::Clock::TimePoint now) {
  if (accounts_.size() >= kMaxTracked) {
    std::erase_if(accounts_, [now](const auto& entry) {
      return now - entry.second.last_failure >= kAccountMemory && entry.second.locked_until <= now;
    });
  }
  if (sources_.size() >= kMaxTracked) {
    std::erase_if(sources_, [now](const auto& entry) {
      return now - entry.second.window_start >= kSourceWindow && entry.second.banned_until <= now;
    });
  }
  // Still full: the attack is spread over more names or addresses than we track; dropping
  // entries here only forgets some guesses, each of which still cost an argon2id hash.
  if (accounts_.size() >= kMaxTracked) {
    accounts_.clear();
  }
  if (sources_.size() >= kMaxTracked) {
    sources_.clear();
  }
}

} // namespace starling::api
