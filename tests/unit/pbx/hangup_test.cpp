// Tests of the status a caller gets when no callee device answered, and of hang-up causes.
#include <vector>

#include <gtest/gtest.h>

#include "pbx/hangup.h"

namespace starling::pbx {
namespace {

std::uint16_t best_of(std::vector<FinalStatus> answers) {
  return best_final_status(answers).code;
}

TEST(BestFinalStatus, PrefersAGlobalFailureOverEveryOtherAnswer) {
  EXPECT_EQ(best_of({{486, "Busy Here"}, {603, "Decline"}, {404, "Not Found"}}), 603);
}

TEST(BestFinalStatus, PicksTheLowestClass) {
  EXPECT_EQ(best_of({{503, "Service Unavailable"}, {404, "Not Found"}}), 404);
  EXPECT_EQ(best_of({{500, "Server Internal Error"}, {302, "Moved Temporarily"}}), 302);
}

TEST(BestFinalStatus, PrefersBusyHereWithinItsClass) {
  EXPECT_EQ(best_of({{408, "Request Timeout"}, {486, "Busy Here"}}), 486);
  EXPECT_EQ(best_of({{480, "Temporarily Unavailable"}, {486, "Busy Here"}, {404, "Not Found"}}),
            486);
}

TEST(BestFinalStatus, RanksATimeoutBelowEveryOtherClientFailure) {
  EXPECT_EQ(best_of({{408, "Request Timeout"}, {480, "Temporarily Unavailable"}}), 480);
  EXPECT_EQ(best_of({{408, "Request Timeout"}, {404, "Not Found"}}), 404);
}

TEST(BestFinalStatus, KeepsTheReasonPhraseOfTheChosenAnswer) {
  const std::vector<FinalStatus> answers{{408, "Request Timeout"}, {486, "Busy Now"}};
  EXPECT_EQ(best_final_status(answers).reason, "Busy Now");
}

TEST(BestFinalStatus, TurnsACalleesChallengeIntoTemporarilyUnavailable) {
  // The callee's 401/407 is addressed to Starling; the caller has no credentials for it.
  const std::vector<FinalStatus> answers{{407, "Proxy Authentication Required"}};
  const FinalStatus best = best_final_status(answers);
  EXPECT_EQ(best.code, 480);
  EXPECT_EQ(best.reason, "Temporarily Unavailable");
  EXPECT_EQ(best_of({{401, "Unauthorized"}, {503, "Service Unavailable"}}), 480);
}

TEST(BestFinalStatus, AnswersTemporarilyUnavailableWhenThereIsNoAnswer) {
  EXPECT_EQ(best_of({}), 480);
}

TEST(CauseOf, NamesTheCausesOfCallRecords) {
  EXPECT_EQ(cause_of(200), "normal");
  EXPECT_EQ(cause_of(404), "not_found");
  EXPECT_EQ(cause_of(604), "not_found");
  EXPECT_EQ(cause_of(408), "timeout");
  EXPECT_EQ(cause_of(480), "unavailable");
  EXPECT_EQ(cause_of(486), "busy");
  EXPECT_EQ(cause_of(600), "busy");
  EXPECT_EQ(cause_of(487), "cancelled");
  EXPECT_EQ(cause_of(603), "declined");
  EXPECT_EQ(cause_of(488), "rejected");
  EXPECT_EQ(cause_of(503), "rejected");
}

} // namespace
} // namespace starling::pbx
