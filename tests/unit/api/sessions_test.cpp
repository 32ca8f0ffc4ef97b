#include <set>

#include <gtest/gtest.h>

#include "api/sessions.h"

namespace starling::api {
namespace {

using std::chrono::minutes;

class SessionsTest : public testing::Test {
protected:
  core::ManualClock clock_;
  Sessions sessions_{clock_, {minutes(60), minutes(10)}};
};

TEST_F(SessionsTest, IdsAndCsrfTokensAreDistinctAndUnguessablyLong) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const Session session = sessions_.open(1, "alice");
    EXPECT_EQ(session.id.size(), 43U);
    EXPECT_TRUE(seen.insert(session.id).second);
    EXPECT_TRUE(seen.insert(session.csrf_token).second);
  }
}

TEST_F(SessionsTest, UseKeepsASessionAliveUntilItsLifetimeEnds) {
  const Session session = sessions_.open(1, "alice");
  for (int i = 0; i < 5; ++i) {
    clock_.advance(minutes(9));
    EXPECT_TRUE(sessions_.find(session.id).has_value());
  }
  clock_.advance(minutes(9)); // 54 minutes in, idle 9: still alive
  EXPECT_TRUE(sessions_.find(session.id).has_value());
  clock_.advance(minutes(6));
  EXPECT_FALSE(sessions_.find(session.id).has_value());
}

TEST_F(SessionsTest, IdleSessionEnds) {
  const Session session = sessions_.open(1, "alice");
  clock_.advance(minutes(10));
  EXPECT_FALSE(sessions_.find(session.id).has_value());
}

TEST_F(SessionsTest, PasswordChangeEndsTheUsersOtherSessionsOnly) {
  const Session here = sessions_.open(1, "alice");
  const Session elsewhere = sessions_.open(1, "alice");
  const Session bob = sessions_.open(2, "bob");
  sessions_.close_all_of(1, here.id);
  EXPECT_TRUE(sessions_.find(here.id).has_value());
  EXPECT_FALSE(sessions_.find(elsewhere.id).has_value());
  EXPECT_TRUE(sessions_.find(bob.id).has_value());
}

TEST_F(SessionsTest, OneUserCannotHoardSessions) {
  const Session first = sessions_.open(1, "alice");
  for (int i = 0; i < 100; ++i) {
    clock_.advance(std::chrono::seconds(1));
    sessions_.open(1, "alice");
  }
  EXPECT_LE(sessions_.size(), 32U);
  EXPECT_FALSE(sessions_.find(first.id).has_value());
}

TEST(SessionCookie, IsFoundAmongOtherCookies) {
  EXPECT_EQ(session_cookie("theme=dark; starling_session=abc; lang=de"), "abc");
  EXPECT_EQ(session_cookie("starling_session_old=x"), "");
  EXPECT_EQ(session_cookie(""), "");
}

} // namespace
} // namespace starling::api
