// Tests of the test TimerService driven by a ManualClock.
#include <vector>

#include <gtest/gtest.h>

#include "sip/transaction/manual_timer_service.h"

namespace starling::sip {
namespace {

using Ms = std::chrono::milliseconds;

struct ManualTimerFixture : ::testing::Test {
  Ms elapsed() const { return std::chrono::duration_cast<Ms>(clock.now() - start); }
  core::ManualClock clock;
  core::Clock::TimePoint start = clock.now();
  ManualTimerService timers{clock};
  std::vector<Ms> fired;
};

TEST_F(ManualTimerFixture, FiresTimersInDueOrderAtTheirDueTime) {
  timers.start(Ms{300}, [this] { fired.push_back(elapsed()); });
  timers.start(Ms{100}, [this] { fired.push_back(elapsed()); });
  timers.advance(Ms{250});
  EXPECT_EQ(fired, std::vector<Ms>{Ms{100}});
  EXPECT_EQ(elapsed(), Ms{250});
  timers.advance(Ms{50});
  EXPECT_EQ(fired, (std::vector<Ms>{Ms{100}, Ms{300}}));
  EXPECT_EQ(timers.pending(), 0U);
}

TEST_F(ManualTimerFixture, CancelledTimersNeverFire) {
  const TimerHandle handle = timers.start(Ms{100}, [this] { fired.push_back(elapsed()); });
  timers.cancel(handle);
  timers.cancel(handle); // twice is harmless
  timers.cancel(TimerHandle{});
  timers.advance(Ms{1000});
  EXPECT_TRUE(fired.empty());
}

TEST_F(ManualTimerFixture, RunsTimersThatCallbacksStartWithinTheSameAdvance) {
  timers.start(Ms{100}, [this] {
    fired.push_back(elapsed());
    timers.start(Ms{100}, [this] { fired.push_back(elapsed()); });
  });
  timers.advance(Ms{500});
  EXPECT_EQ(fired, (std::vector<Ms>{Ms{100}, Ms{200}}));
}

TEST_F(ManualTimerFixture, RunDueFiresTimersAfterTheClockWasMovedDirectly) {
  timers.start(Ms{0}, [this] { fired.push_back(elapsed()); });
  clock.advance(Ms{10});
  timers.run_due();
  EXPECT_EQ(fired, std::vector<Ms>{Ms{10}});
}

TEST_F(ManualTimerFixture, ACallbackMayCancelItsOwnTimer) {
  TimerHandle handle;
  handle = timers.start(Ms{10}, [this, &handle] {
    timers.cancel(handle);
    fired.push_back(elapsed());
  });
  timers.advance(Ms{20});
  EXPECT_EQ(fired, std::vector<Ms>{Ms{10}});
}

} // namespace
} // namespace starling::sip
