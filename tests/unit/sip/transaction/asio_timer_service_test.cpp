// Tests of the io_context TimerService with short real timers.
#include <memory>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "sip/transaction/asio_timer_service.h"

namespace starling::sip {
namespace {

using Ms = std::chrono::milliseconds;

TEST(AsioTimerService, FiresTimersInDueOrder) {
  boost::asio::io_context io;
  AsioTimerService timers{io};
  std::vector<int> fired;
  timers.start(Ms{20}, [&fired] { fired.push_back(2); });
  timers.start(Ms{1}, [&fired] { fired.push_back(1); });
  io.run();
  EXPECT_EQ(fired, (std::vector<int>{1, 2}));
}

TEST(AsioTimerService, CancelledTimersNeverFire) {
  boost::asio::io_context io;
  AsioTimerService timers{io};
  int fired = 0;
  const TimerHandle handle = timers.start(Ms{1}, [&fired] { ++fired; });
  timers.start(Ms{5}, [&fired] { fired += 10; });
  timers.cancel(handle);
  io.run();
  EXPECT_EQ(fired, 10);
}

TEST(AsioTimerService, TimersPendingWhenTheServiceIsDestroyedDoNothing) {
  boost::asio::io_context io;
  int fired = 0;
  {
    AsioTimerService timers{io};
    timers.start(Ms{1}, [&fired] { ++fired; });
  }
  io.run();
  EXPECT_EQ(fired, 0);
}

TEST(AsioTimerService, ACallbackMayStartAndCancelTimers) {
  boost::asio::io_context io;
  AsioTimerService timers{io};
  std::vector<int> fired;
  TimerHandle first;
  first = timers.start(Ms{1}, [&] {
    timers.cancel(first);
    fired.push_back(1);
    timers.start(Ms{1}, [&fired] { fired.push_back(2); });
  });
  io.run();
  EXPECT_EQ(fired, (std::vector<int>{1, 2}));
}

} // namespace
} // namespace starling::sip
