// Tests of the offline message queue over a real SQLite store: stamps, order, the quota,
// and what a restart finds.
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "core/clock.h"
#include "store/open_store.h"
#include "xmpp/jid.h"
#include "xmpp/server/offline_queue.h"
#include "xmpp/xml/document.h"
#include "xmpp/xml/namespaces.h"

namespace starling::xmpp::server {
namespace {

constexpr std::string_view kDomain = "pbx.test";
constexpr std::string_view kDelay = "urn:xmpp:delay";

Jid bare(std::string_view local) {
  return *Jid::from_parts(local, kDomain);
}

xml::Element chat(std::string_view to, std::string_view body) {
  xml::Element message(xml::kClientNamespace, "message");
  message.set_attribute("from", "bob@pbx.test/desk")
      .set_attribute("to", std::string(to) + "@pbx.test")
      .set_attribute("type", "chat");
  message.append(xml::Element(xml::kClientNamespace, "body")).append_text(body);
  return message;
}

std::string body_of(const xml::Element& message) {
  const xml::Element* body = message.child(xml::kClientNamespace, "body");
  return body == nullptr ? std::string() : body->text();
}

std::vector<std::string> bodies(const std::vector<xml::Element>& messages) {
  std::vector<std::string> result;
  result.reserve(messages.size());
  for (const auto& message : messages) {
    result.push_back(body_of(message));
  }
  return result;
}

// Sends the default logger's output to a string while it lives.
class CapturedLog {
public:
  CapturedLog() : previous_(spdlog::default_logger()) {
    spdlog::set_default_logger(std::make_shared<spdlog::logger>(
        "captured", std::make_shared<spdlog::sinks::ostream_sink_st>(out_)));
  }
  CapturedLog(const CapturedLog&) = delete;
  CapturedLog& operator=(const CapturedLog&) = delete;
  CapturedLog(CapturedLog&&) = delete;
  CapturedLog& operator=(CapturedLog&&) = delete;
  ~CapturedLog() { spdlog::set_default_logger(previous_); }

  [[nodiscard]] std::string text() const { return out_.str(); }

private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> previous_;
};

// Sets the process's time zone while it lives, as an operator's TZ would.
class TimeZone {
public:
  explicit TimeZone(const char* zone) {
    if (const char* old = std::getenv("TZ")) {
      previous_ = old;
    }
    ::setenv("TZ", zone, 1);
    ::tzset();
  }
  TimeZone(const TimeZone&) = delete;
  TimeZone& operator=(const TimeZone&) = delete;
  TimeZone(TimeZone&&) = delete;
  TimeZone& operator=(TimeZone&&) = delete;
  ~TimeZone() {
    if (previous_) {
      ::setenv("TZ", previous_->c_str(), 1);
    } else {
      ::unsetenv("TZ");
    }
    ::tzset();
  }

private:
  std::optional<std::string> previous_;
};

class OfflineQueueTest : public testing::Test {
protected:
  void SetUp() override {
    data_dir_ = std::filesystem::temp_directory_path() /
                ("starling-offline-queue-test-" + std::to_string(::getpid()) + "-" +
                 testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(data_dir_);
    auto opened = store::open_store({}, data_dir_);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    store_ = std::move(*opened);
    auto alice = store_->add_user({"alice", "", store::Role::user, {"x"}});
    auto bob = store_->add_user({"bob", "", store::Role::user, {"x"}});
    ASSERT_TRUE(alice.has_value() && bob.has_value());
    alice_ = alice->id;
    bob_ = bob->id;
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(data_dir_);
  }

  std::unique_ptr<OfflineQueue> make_queue() {
    return std::make_unique<OfflineQueue>(std::string(kDomain), *store_, io_.get_executor(),
                                          clock_);
  }

  // Runs the writes posted so far, as the store's worker would.
  void flush() {
    io_.restart();
    io_.run();
  }

  std::vector<store::OfflineMessage> rows() {
    auto listed = store_->list_offline_messages();
    EXPECT_TRUE(listed.has_value()) << (listed ? "" : listed.error().message);
    return listed.value_or(std::vector<store::OfflineMessage>{});
  }

  std::filesystem::path data_dir_;
  std::unique_ptr<store::Store> store_;
  store::Id alice_ = 0;
  store::Id bob_ = 0;
  boost::asio::io_context io_;
  core::ManualClock clock_;
};

// XEP-0203 §3: the server's JID and when it stored the message, in UTC.
TEST_F(OfflineQueueTest, StoredMessageIsStampedWithTheServersDelay) {
  auto queue = make_queue();
  queue->store(bare("alice"), chat("alice", "hello"));
  const auto taken = queue->take(bare("alice"));
  ASSERT_EQ(taken.size(), 1U);
  const xml::Element* delay = taken.front().child(kDelay, "delay");
  ASSERT_NE(delay, nullptr);
  EXPECT_EQ(delay->attribute("from"), "pbx.test");
  EXPECT_EQ(delay->attribute("stamp"), "2026-01-01T00:00:00Z");
  EXPECT_EQ(body_of(taken.front()), "hello");
  EXPECT_EQ(taken.front().attribute("from"), "bob@pbx.test/desk");
}

// 'stamp' ends in Z, so it must be UTC whatever time zone the server runs in.
TEST_F(OfflineQueueTest, StampIsUtcWhateverTheServersTimeZone) {
  const TimeZone new_york("EST5EDT");
  auto queue = make_queue();
  queue->store(bare("alice"), chat("alice", "hello"));
  const auto taken = queue->take(bare("alice"));
  ASSERT_EQ(taken.size(), 1U);
  const xml::Element* delay = taken.front().child(kDelay, "delay");
  ASSERT_NE(delay, nullptr);
  EXPECT_EQ(delay->attribute("stamp"), "2026-01-01T00:00:00Z");
}

TEST_F(OfflineQueueTest, TakeReturnsTheUsersMessagesOldestFirstThenNothing) {
  auto queue = make_queue();
  queue->store(bare("alice"), chat("alice", "first"));
  clock_.advance(std::chrono::seconds(65));
  queue->store(bare("bob"), chat("bob", "for bob"));
  queue->store(bare("alice"), chat("alice", "second"));
  EXPECT_EQ(queue->size(), 3U);

  const auto taken = queue->take(bare("alice"));
  EXPECT_EQ(bodies(taken), (std::vector<std::string>{"first", "second"}));
  ASSERT_EQ(taken.size(), 2U);
  EXPECT_EQ(taken[1].child(kDelay, "delay")->attribute("stamp"), "2026-01-01T00:01:05Z");
  EXPECT_TRUE(queue->take(bare("alice")).empty());
  EXPECT_EQ(queue->size(), 1U);
  EXPECT_EQ(bodies(queue->take(bare("bob"))), std::vector<std::string>{"for bob"});
  EXPECT_EQ(queue->size(), 0U);
}

TEST_F(OfflineQueueTest, StoreWritesTheStampedMessagesBehindAndTakeRemovesThem) {
  auto queue = make_queue();
  queue->store(bare("alice"), chat("alice", "first"));
  queue->store(bare("bob"), chat("bob", "for bob"));
  clock_.advance(std::chrono::seconds(10));
  queue->store(bare("alice"), chat("alice", "second"));
  flush();

  const auto written = rows();
  ASSERT_EQ(written.size(), 3U);
  EXPECT_EQ(written[0].user_id, alice_);
  EXPECT_EQ(written[1].user_id, bob_);
  EXPECT_EQ(written[2].user_id, alice_);
  EXPECT_EQ(written[0].stored_at, 1'767'225'600);
  EXPECT_EQ(written[2].stored_at, 1'767'225'610);
  const auto first = xml::parse_document(written[0].stanza);
  ASSERT_TRUE(first.has_value()) << written[0].stanza;
  EXPECT_EQ(body_of(*first), "first");
  ASSERT_NE(first->child(kDelay, "delay"), nullptr);

  const auto taken = queue->take(bare("alice"));
  ASSERT_EQ(taken.size(), 2U);
  EXPECT_EQ(taken.front(), *first);
  flush();
  const auto left = rows();
  ASSERT_EQ(left.size(), 1U);
  EXPECT_EQ(left.front().user_id, bob_);
}

// Written in order: a message stored after a take stays in the store for the next login.
TEST_F(OfflineQueueTest, MessageStoredAfterATakeIsNotRemovedByIt) {
  auto queue = make_queue();
  queue->store(bare("alice"), chat("alice", "delivered"));
  ASSERT_EQ(queue->take(bare("alice")).size(), 1U);
  queue->store(bare("alice"), chat("alice", "later"));
  flush();
  const auto left = rows();
  ASSERT_EQ(left.size(), 1U);
  const auto later = xml::parse_document(left.front().stanza);
  ASSERT_TRUE(later.has_value());
  EXPECT_EQ(body_of(*later), "later");
}

TEST_F(OfflineQueueTest, NewQueueLoadsWhatTheLastRunStored) {
  {
    auto before = make_queue();
    before->store(bare("alice"), chat("alice", "first"));
    before->store(bare("bob"), chat("bob", "for bob"));
    before->store(bare("alice"), chat("alice", "second"));
    flush();
  }
  auto after = make_queue();
  ASSERT_TRUE(after->load());
  EXPECT_EQ(after->size(), 3U);
  const auto taken = after->take(bare("alice"));
  EXPECT_EQ(bodies(taken), (std::vector<std::string>{"first", "second"}));
  ASSERT_EQ(taken.size(), 2U);
  EXPECT_EQ(taken[0].child(kDelay, "delay")->attribute("stamp"), "2026-01-01T00:00:00Z");
  EXPECT_EQ(std::ranges::distance(taken[0].children(kDelay, "delay")), 1);
  EXPECT_EQ(bodies(after->take(bare("bob"))), std::vector<std::string>{"for bob"});
}

TEST_F(OfflineQueueTest, LoadSkipsARowThatIsNotAnElement) {
  ASSERT_TRUE(store_->add_offline_message(alice_, "<message xmlns='jabber:client'>", 1));
  ASSERT_TRUE(store_->add_offline_message(
      alice_, "<message xmlns='jabber:client'><body>kept</body></message>", 2));
  auto queue = make_queue();
  ASSERT_TRUE(queue->load());
  EXPECT_EQ(bodies(queue->take(bare("alice"))), std::vector<std::string>{"kept"});
}

TEST_F(OfflineQueueTest, MessagesOverTheQuotaAreDropped) {
  auto queue = make_queue();
  for (std::size_t i = 0; i < kMaxOfflineMessagesPerUser + 3; ++i) {
    queue->store(bare("alice"), chat("alice", std::to_string(i)));
  }
  queue->store(bare("bob"), chat("bob", "bob's own quota"));
  EXPECT_EQ(queue->size(), kMaxOfflineMessagesPerUser + 1);
  flush();
  EXPECT_EQ(rows().size(), kMaxOfflineMessagesPerUser + 1);

  const auto taken = queue->take(bare("alice"));
  ASSERT_EQ(taken.size(), kMaxOfflineMessagesPerUser);
  EXPECT_EQ(body_of(taken.front()), "0");
  EXPECT_EQ(body_of(taken.back()), std::to_string(kMaxOfflineMessagesPerUser - 1));
}

TEST_F(OfflineQueueTest, MessageForAUserNotInTheStoreIsKeptButNotWritten) {
  const CapturedLog log;
  auto queue = make_queue();
  queue->store(bare("carol"), chat("carol", "in memory only"));
  flush();
  EXPECT_TRUE(rows().empty());
  EXPECT_NE(log.text().find("offline messages for carol not written: no such user"),
            std::string::npos)
      << log.text();
  EXPECT_EQ(bodies(queue->take(bare("carol"))), std::vector<std::string>{"in memory only"});
}

} // namespace
} // namespace starling::xmpp::server
