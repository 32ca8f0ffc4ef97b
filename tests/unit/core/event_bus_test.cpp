#include <string>

#include <gtest/gtest.h>

#include "core/event_bus.h"

namespace starling::core {
namespace {

struct Registered {
  std::string aor;
};
struct CallEnded {
  int cause;
};

TEST(EventBus, DeliversEachEventToItsTypesSubscribersOnly) {
  EventBus bus;
  std::vector<std::string> seen;
  int calls = 0;
  auto registrations =
      bus.subscribe<Registered>([&](const Registered& e) { seen.push_back(e.aor); });
  auto ended = bus.subscribe<CallEnded>([&](const CallEnded&) { ++calls; });
  bus.publish(Registered{"alice"});
  bus.publish(Registered{"bob"});
  EXPECT_EQ(seen, (std::vector<std::string>{"alice", "bob"}));
  EXPECT_EQ(calls, 0);
}

TEST(EventBus, DestroyedSubscriptionReceivesNothing) {
  EventBus bus;
  int count = 0;
  {
    auto subscription = bus.subscribe<Registered>([&](const Registered&) { ++count; });
    bus.publish(Registered{"a"});
  }
  bus.publish(Registered{"b"});
  EXPECT_EQ(count, 1);
}

TEST(EventBus, HandlerMayUnsubscribeItselfWhileBeingCalled) {
  EventBus bus;
  int count = 0;
  EventBus::Subscription subscription;
  subscription = bus.subscribe<Registered>([&](const Registered&) {
    ++count;
    subscription.reset();
  });
  bus.publish(Registered{"a"});
  bus.publish(Registered{"b"});
  EXPECT_EQ(count, 1);
}

TEST(EventBus, PublishingWithoutSubscribersDoesNothing) {
  const EventBus bus;
  bus.publish(CallEnded{16});
}

} // namespace
} // namespace starling::core
