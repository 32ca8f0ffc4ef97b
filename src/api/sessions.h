// Web logins: sessions kept in memory (a restart logs everyone out), each with a CSRF token.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "store/records.h"

namespace starling::api {

struct Session {
  std::string id;         // the starling_session cookie's value
  std::string csrf_token; // what X-CSRF-Token must carry on changes
  store::Id user_id = 0;
  std::string user_name;
  core::Clock::TimePoint opened;
  core::Clock::TimePoint last_seen;
};

struct SessionLimits {
  core::Clock::Duration lifetime;     // from login, however busy the session is
  core::Clock::Duration idle_timeout; // since the last request
};

// Thread-safe: HTTP threads share it.
class Sessions {
public:
  Sessions(const core::Clock& clock, SessionLimits limits);

  Session open(store::Id user_id, std::string user_name);
  // The live session with this id, its idle timer restarted; nothing when unknown or expired.
  std::optional<Session> find(std::string_view id);
  void close(std::string_view id);
  // Ends every session of a user but `keep` (after a password change, or when the user goes).
  void close_all_of(store::Id user_id, std::string_view keep = {});

  [[nodiscard]] std::size_t size() const;

private:
  [[nodiscard]] bool expired(const Session& session) const;
  void forget_expired();

  const core::Clock& clock_;
  SessionLimits limits_;
  mutable std::mutex mutex_;
  std::map<std::string, Session, std::less<>> sessions_;
};

// The session id in a request's Cookie header, or empty.
[[nodiscard]] std::string_view session_cookie(const std::string_view cookie_header);

// The Set-Cookie value that opens (or, with an empty id, ends) a session in a browser.
[[nodiscard]] std::string session_set_cookie(std::string_view session_id);

inline constexpr std::string_view kSessionCookie = "starling_session";

} // namespace starling::api
