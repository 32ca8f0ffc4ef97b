// Slows down password guessing at POST /session: back-off per account, a ban per source.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/ip/address.hpp>

#include "core/clock.h"
#include "core/metrics.h"

namespace starling::api {

// An account is never locked for good (an attacker could otherwise lock the administrator
// out): after a few failures each further one doubles the wait for that account, up to a
// few minutes, and a success ends it. A source address that fails too often, whatever the
// accounts, is refused for a while. Thread-safe.
class LoginThrottle {
public:
  LoginThrottle(const core::Clock& clock, core::MetricsRegistry& metrics);

  // How long this login attempt must wait, or nothing when it may be tried now. Checked
  // before the password, so a refused guess costs no hashing.
  std::optional<std::chrono::seconds> refusal(std::string_view account,
                                              const boost::asio::ip::address& source);
  void failed(std::string_view account, const boost::asio::ip::address& source);
  void succeeded(std::string_view account);

private:
  struct AccountState {
    unsigned failures = 0;
    core::Clock::TimePoint last_failure;
    core::Clock::TimePoint locked_until;
  };
  struct SourceState {
    unsigned failures = 0;
    core::Clock::TimePoint window_start;
    core::Clock::TimePoint banned_until;
  };

  void forget_stale(core::Clock::TimePoint now);

  const core::Clock& clock_;
  core::Counter& failures_;
  core::Counter& throttled_;
  core::Counter& account_backoffs_;
  core::Counter& source_bans_;
  std::mutex mutex_;
  std::map<std::string, AccountState, std::less<>> accounts_;
  std::map<std::string, SourceState, std::less<>> sources_;
};

} // namespace starling::api
