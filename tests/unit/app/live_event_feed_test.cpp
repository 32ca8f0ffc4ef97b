// Registration and call changes become live events for the users they concern.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <vector>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>
#include <unistd.h>

#include "app/live_event_feed.h"
#include "store/open_store.h"

namespace starling::app {
namespace {

using namespace std::chrono_literals;

pbx::CallStateEvent call_event(std::string id, std::string caller, std::string callee,
                               std::string device, pbx::CallState state) {
  pbx::CallStateEvent event;
  event.call_id = std::move(id);
  event.caller = std::move(caller);
  event.callee = std::move(callee);
  event.device = std::move(device);
  event.state = state;
  return event;
}

sip::RegistrationEvent registration_event(sip::RegistrationEvent::Kind kind, std::string aor) {
  sip::RegistrationEvent event{};
  event.kind = kind;
  event.aor = std::move(aor);
  return event;
}

class RecordingSink final : public http::LiveEventSink {
public:
  void publish(http::LiveEvent event) override {
    {
      const std::scoped_lock lock(mutex_);
      events_.push_back(std::move(event));
    }
    arrived_.notify_all();
  }

  [[nodiscard]] bool has_viewers() const override { return has_viewers_; }
  void set_viewers(bool present) { has_viewers_ = present; }

  // Waits for `count` events in all and returns them.
  std::vector<http::LiveEvent> wait_for(std::size_t count) {
    std::unique_lock lock(mutex_);
    arrived_.wait_for(lock, 5s, [&] { return events_.size() >= count; });
    return events_;
  }

private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<http::LiveEvent> events_;
  std::atomic<bool> has_viewers_ = true;
};

class LiveEventFeedTest : public testing::Test {
protected:
  void SetUp() override {
    data_dir_ = std::filesystem::temp_directory_path() /
                ("starling-live-feed-test-" + std::to_string(::getpid()) + "-" +
                 testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(data_dir_);
    store_ = std::move(*store::open_store({}, data_dir_));
    alice_ = store_->add_user({"alice", "", store::Role::user, "x"})->id;
    bob_ = store_->add_user({"bob", "", store::Role::user, "x"})->id;
    ASSERT_TRUE(store_->add_device({alice_, "alice-desk", "pbx", "", "", ""}));
    ASSERT_TRUE(store_->add_device({bob_, "bob-desk", "pbx", "", "", ""}));
    ASSERT_TRUE(store_->add_extension({"202", bob_, std::nullopt, ""}));
    feed_ = std::make_unique<LiveEventFeed>(events_, *store_, sink_, metrics_);
  }
  void TearDown() override {
    feed_.reset();
    store_.reset();
    std::filesystem::remove_all(data_dir_);
  }

  static boost::json::object json(const http::LiveEvent& event) {
    return boost::json::parse(event.json).as_object();
  }

  std::filesystem::path data_dir_;
  std::unique_ptr<store::Store> store_;
  store::Id alice_ = 0;
  store::Id bob_ = 0;
  core::EventBus events_;
  core::MetricsRegistry metrics_;
  RecordingSink sink_;
  std::unique_ptr<LiveEventFeed> feed_;
};

TEST_F(LiveEventFeedTest, ARegistrationGoesToTheDevicesUser) {
  events_.publish(sip::RegistrationEvent{sip::RegistrationEvent::Kind::added, "alice-desk",
                                         "sip:alice-desk@192.0.2.7:5062", "udp", "192.0.2.7:5062",
                                         600, "phone 1.0"});
  const auto events = sink_.wait_for(1);
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].owners, std::vector<store::Id>{alice_});
  const auto message = json(events[0]);
  EXPECT_EQ(message.at("type"), "registration");
  EXPECT_EQ(message.at("event"), "registered");
  EXPECT_EQ(message.at("aor"), "alice-desk");
  EXPECT_EQ(message.at("device"), "alice-desk");
  EXPECT_EQ(message.at("user"), "alice");
  EXPECT_EQ(message.at("contact"), "sip:alice-desk@192.0.2.7:5062");
  EXPECT_EQ(message.at("transport"), "udp");
  EXPECT_EQ(message.at("source"), "192.0.2.7:5062");
}

TEST_F(LiveEventFeedTest, NothingIsLookedUpOrSentWhileNobodyWatches) {
  sink_.set_viewers(false);
  events_.publish(registration_event(sip::RegistrationEvent::Kind::added, "alice-desk"));
  sink_.set_viewers(true);
  events_.publish(registration_event(sip::RegistrationEvent::Kind::added, "bob-desk"));
  // In order: had the first been queued, it would be here before the second.
  const auto events = sink_.wait_for(1);
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(json(events[0]).at("aor"), "bob-desk");
}

TEST_F(LiveEventFeedTest, ACallGoesToTheCallerAndTheCallee) {
  events_.publish(call_event("c1", "alice-desk", "202", "", pbx::CallState::ringing));
  const auto events = sink_.wait_for(1);
  ASSERT_EQ(events.size(), 1U) << "one event, for both parties";
  EXPECT_EQ(events[0].owners, (std::vector<store::Id>{alice_, bob_}));
  const auto message = json(events[0]);
  EXPECT_EQ(message.at("type"), "call");
  EXPECT_EQ(message.at("id"), "c1");
  EXPECT_EQ(message.at("state"), "ringing");
  EXPECT_EQ(message.at("caller"), "alice-desk");
  EXPECT_EQ(message.at("callee"), "202");
  EXPECT_EQ(message.at("caller_user"), "alice");
  EXPECT_EQ(message.at("callee_user"), "bob");
  EXPECT_TRUE(message.at("device").is_null());
}

TEST_F(LiveEventFeedTest, ACallWithinOneUserIsPublishedOnce) {
  events_.publish(call_event("c1", "alice-desk", "alice", "alice-desk", pbx::CallState::connected));
  events_.publish(registration_event(sip::RegistrationEvent::Kind::removed, "bob-desk"));
  const auto events = sink_.wait_for(2);
  ASSERT_EQ(events.size(), 2U);
  EXPECT_EQ(events[0].owners, std::vector<store::Id>{alice_});
  EXPECT_EQ(json(events[1]).at("type"), "registration") << "the call made one event only";
}

TEST_F(LiveEventFeedTest, AChangeNobodyOwnsGoesToAdministratorsOnly) {
  events_.publish(registration_event(sip::RegistrationEvent::Kind::expired, "gone-phone"));
  const auto events = sink_.wait_for(1);
  ASSERT_EQ(events.size(), 1U);
  EXPECT_TRUE(events[0].owners.empty());
  EXPECT_FALSE(http::may_see({alice_, false}, events[0]));
  EXPECT_FALSE(http::may_see({bob_, false}, events[0]));
  EXPECT_TRUE(http::may_see({alice_, true}, events[0]));
  EXPECT_EQ(json(events[0]).at("event"), "expired");
}

} // namespace
} // namespace starling::app
