// Web logins: sessions kept in memory (a restart logs everyone out), each with a CSRF token.
#include "api/sessions.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "api/random_token.h"

namespace starling::api {

namespace {

// 256 bits: guessing a live session is as hopeless as guessing a key.
constexpr std::size_t kSessionIdBytes = 32;
// A user logging in from many browsers keeps this many; the oldest make room. It bounds the
// memory one account can take, whatever a script does with a valid password.
constexpr std::size_t kMaxSessionsPerUser = 32;

} // namespace

Sessions::Sessions(const core::Clock& clock, SessionLimits limits)
    : clock_(clock), limits_(limits) {}

bool Sessions::expired(const Session& session) const {
  const auto now = clock_.now();
  return now - session.opened >= limits_.lifetime ||
         now - session.last_seen >= limits_.idle_timeout;
}

void Sessions::forget_expired() {
  std::erase_if(sessions_, [this](const auto& entry) { return expired(entry.second); });
}

Session Sessions::open(store::Id user_id, std::string user_name) {
  const auto now = clock_.now();
  Session session{random_token(kSessionIdBytes),
                  random_token(kSessionIdBytes),
                  user_id,
                  std::move(user_name),
                  now,
                  now};
  const std::scoped_lock lock(mutex_);
  forget_expired();
  std::vector<std::map<std::string, Session>::iterator> own;
  for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
    if (it->second.user_id == user_id) {
      own.push_back(it);
    }
  }
  if (own.size() >= kMaxSessionsPerUser) {
    std::ranges::sort(own, {}, [](const auto& it) { return it->second.last_seen; });
    for (std::size_t i = 0; i + kMaxSessionsPerUser <= own.size(); ++i) {
      sessions_.erase(own[i]);
    }
  }
  sessions_.emplace(session.id, session);
  return session;
}

std::optional<Session> Sessions::find(std::string_view id) {
  const std::scoped_lock lock(mutex_);
  const auto found = sessions_.find(id);
  if (found == sessions_.end()) {
    return std::nullopt;
  }
  if (expired(found->second)) {
    sessions_.erase(found);
    return std::nullopt;
  }
  found->second.last_seen = clock_.now();
  return found->second;
}

void Sessions::close(std::string_view id) {
  const std::scoped_lock lock(mutex_);
  if (const auto found = sessions_.find(id); found != sessions_.end()) {
    sessions_.erase(found);
  }
}

void Sessions::close_all_of(store::Id user_id, std::string_view keep) {
  const std::scoped_lock lock(mutex_);
  std::erase_if(sessions_, [&](const auto& entry) {
    return entry.second.user_id == user_id && entry.first != keep;
  });
}

std::size_t Sessions::size() const {
  const std::scoped_lock lock(mutex_);
  return sessions_.size();
}

std::string_view session_cookie(std::string_view cookie_header) {
  // RFC 6265 §5.4: "name=value" pairs separated by "; ".
  while (!cookie_header.empty()) {
    const auto end = cookie_header.find(';');
    std::string_view pair = cookie_header.substr(0, end);
    cookie_header =
        end == std::string_view::npos ? std::string_view{} : cookie_header.substr(end + 1);
    while (pair.starts_with(' ')) {
      pair.remove_prefix(1);
    }
    const auto equals = pair.find('=');
    if (equals != std::string_view::npos && pair.substr(0, equals) == kSessionCookie) {
      return pair.substr(equals + 1);
    }
  }
  return {};
}

std::string session_set_cookie(std::string_view session_id) {
  // Strict: a cross-site request never carries the cookie, so the CSRF token is a second
  // line of defence rather than the only one.
  const std::string attributes = "Path=/; HttpOnly; Secure; SameSite=Strict";
  if (session_id.empty()) {
    return fmt::format("{}=; {}; Max-Age=0", kSessionCookie, attributes);
  }
  return fmt::format("{}={}; {}", kSessionCookie, session_id, attributes);
}

} // namespace starling::api
