#include <fmt/format.h>
#include <gtest/gtest.h>

#include "sip/parser.h"
#include "sip/registrar/registrar.h"

namespace starling::sip {
namespace {

class FakePersistence final : public BindingPersistence {
public:
  void save(store::AorBindings bindings, Done done) override {
    saved.push_back(std::move(bindings));
    pending.push_back(std::move(done));
    if (complete_at_once) {
      finish(true);
    }
  }
  [[nodiscard]] std::size_t backlog() const override { return pending.size(); }
  void finish(bool ok) {
    auto all = std::move(pending);
    pending.clear();
    for (auto& done : all) {
      done(ok);
    }
  }
  bool complete_at_once = true;
  std::vector<store::AorBindings> saved;
  std::vector<Done> pending;
};

class RegistrarTest : public testing::Test {
protected:
  RegistrarTest() {
    subscription_ = events_.subscribe<RegistrationEvent>(
        [this](const RegistrationEvent& event) { seen_.push_back(event); });
  }

  // Sends a REGISTER for `user` with the given extra header lines; returns the reply.
  std::string register_with(std::string_view extra, std::uint32_t cseq = 1,
                            std::string_view user = "alice",
                            std::string_view call_id = "reg-1@phone") {
    const std::string text = fmt::format("REGISTER sip:pbx.test SIP/2.0\r\n"
                                         "Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK{}\r\n"
                                         "Max-Forwards: 70\r\n"
                                         "From: <sip:{}@pbx.test>;tag=ft\r\n"
                                         "To: <sip:{}@pbx.test>\r\n"
                                         "Call-ID: {}\r\n"
                                         "CSeq: {} REGISTER\r\n"
                                         "User-Agent: TestPhone/1.0\r\n"
                                         "{}"
                                         "Content-Length: 0\r\n\r\n",
                                         cseq, user, user, call_id, cseq, extra);
    auto message = parse_message(text);
    EXPECT_TRUE(message.has_value()) << text;
    auto validated = validate_request(*message);
    EXPECT_TRUE(validated.has_value());
    last_reply_.clear();
    registrar_.handle_register(
        *message, *validated, source_, "alice", "totag",
        [this](std::string response, bool) { last_reply_ = std::move(response); });
    return last_reply_;
  }

  core::ManualClock clock_;
  core::EventBus events_;
  FakePersistence persistence_;
  Registrar registrar_{RegistrarSettings{}, clock_, events_, persistence_};
  RegistrationSource source_{"udp", "203.0.113.7", 40000, "192.0.2.1", 5060};
  std::vector<RegistrationEvent> seen_;
  std::string last_reply_; // outlives register_with(), for replies that come later
  core::EventBus::Subscription subscription_;
};

TEST_F(RegistrarTest, FirstRegisterStoresTheBindingWithItsNatSourceAndAnswers200) {
  const auto reply = register_with("Contact: <sip:alice@192.168.1.20:5062>\r\n");
  EXPECT_TRUE(reply.starts_with("SIP/2.0 200 OK\r\n")) << reply;
  EXPECT_NE(reply.find("Contact: <sip:alice@192.168.1.20:5062>;expires=3600\r\n"),
            std::string::npos);
  EXPECT_NE(reply.find("To: <sip:alice@pbx.test>;tag=totag\r\n"), std::string::npos);
  EXPECT_NE(reply.find("\r\nDate: "), std::string::npos);
  ASSERT_EQ(registrar_.binding_count(), 1U);
  const auto binding = registrar_.bindings_of("alice").front();
  EXPECT_EQ(binding.source_address, "203.0.113.7");
  EXPECT_EQ(binding.source_port, 40000);
  EXPECT_EQ(binding.user_agent, "TestPhone/1.0");
  ASSERT_EQ(persistence_.saved.size(), 1U);
  EXPECT_EQ(persistence_.saved.front().bindings.size(), 1U);
  ASSERT_EQ(seen_.size(), 1U);
  EXPECT_EQ(seen_.front().kind, RegistrationEvent::Kind::added);
  EXPECT_EQ(seen_.front().source, "203.0.113.7:40000");
}

TEST_F(RegistrarTest, AnswersOnlyOnceTheBindingIsDurable) {
  persistence_.complete_at_once = false;
  const auto reply = register_with("Contact: <sip:alice@192.168.1.20>\r\n");
  EXPECT_TRUE(reply.empty());
  EXPECT_TRUE(seen_.empty());
  persistence_.finish(true);
  EXPECT_EQ(seen_.size(), 1U);
  EXPECT_TRUE(last_reply_.starts_with("SIP/2.0 200 OK")) << last_reply_;
}

TEST_F(RegistrarTest, FailedSaveAnswers500WithRetryAfter) {
  persistence_.complete_at_once = false;
  std::string reply;
  {
    const std::string text =
        "REGISTER sip:pbx.test SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKx\r\n"
        "From: <sip:alice@pbx.test>;tag=a\r\nTo: <sip:alice@pbx.test>\r\n"
        "Call-ID: c\r\nCSeq: 1 REGISTER\r\nContact: <sip:alice@h>\r\n"
        "Content-Length: 0\r\n\r\n";
    auto message = parse_message(text);
    auto validated = validate_request(*message);
    registrar_.handle_register(*message, *validated, source_, "alice", "t",
                               [&reply](std::string r, bool) { reply = std::move(r); });
  }
  persistence_.finish(false);
  EXPECT_TRUE(reply.starts_with("SIP/2.0 500 ")) << reply;
  EXPECT_NE(reply.find("Retry-After: 5"), std::string::npos);
  // Made after the request is gone, it still answers that request (RFC 3261 §8.2.6.2).
  for (const std::string_view copied :
       {"Via: SIP/2.0/UDP h;branch=z9hG4bKx\r\n", "From: <sip:alice@pbx.test>;tag=a\r\n",
        "To: <sip:alice@pbx.test>;tag=t\r\n", "Call-ID: c\r\n", "CSeq: 1 REGISTER\r\n"}) {
    EXPECT_NE(reply.find(copied), std::string::npos) << copied;
  }
  EXPECT_EQ(reply.find("Contact:"), std::string::npos);
  EXPECT_TRUE(seen_.empty());
}

TEST_F(RegistrarTest, ContactExpiresWinsOverTheHeaderAndLongAsksAreShortened) {
  auto reply =
      register_with("Expires: 120\r\nContact: <sip:alice@a>;expires=300, <sip:alice@b>\r\n");
  EXPECT_NE(reply.find("<sip:alice@a>;expires=300"), std::string::npos) << reply;
  EXPECT_NE(reply.find("<sip:alice@b>;expires=120"), std::string::npos) << reply;
  reply = register_with("Contact: <sip:alice@c>;expires=999999\r\n", 2);
  EXPECT_NE(reply.find("<sip:alice@c>;expires=7200"), std::string::npos) << reply;
}

TEST_F(RegistrarTest, TooShortIntervalGets423WithMinExpires) {
  const auto reply = register_with("Contact: <sip:alice@a>;expires=10\r\n");
  EXPECT_TRUE(reply.starts_with("SIP/2.0 423 Interval Too Brief\r\n")) << reply;
  EXPECT_NE(reply.find("Min-Expires: 60\r\n"), std::string::npos);
  EXPECT_EQ(registrar_.binding_count(), 0U);
}

TEST_F(RegistrarTest, SeveralDevicesKeepSeveralContactsAndRefreshReplacesInPlace) {
  register_with("Contact: <sip:alice@desk>\r\n", 1, "alice", "desk-call");
  register_with("Contact: <sip:alice@mobile>\r\n", 1, "alice", "mobile-call");
  EXPECT_EQ(registrar_.binding_count(), 2U);
  const auto reply = register_with("Contact: <sip:alice@desk>\r\n", 2, "alice", "desk-call");
  EXPECT_TRUE(reply.starts_with("SIP/2.0 200"));
  EXPECT_EQ(registrar_.binding_count(), 2U);
  EXPECT_EQ(seen_.back().kind, RegistrationEvent::Kind::refreshed);
}

// RFC 3261 §10.3 step 7 compares Contact URIs by §19.1.4, not by their text.
TEST_F(RegistrarTest, AContactWrittenDifferentlyButEquivalentRefreshesTheSameBinding) {
  register_with("Contact: <sip:alice@desk.example.com;transport=udp>\r\n", 1);
  const auto reply = register_with("Contact: <sip:alice@DESK.example.com;Transport=UDP>\r\n", 2);
  EXPECT_TRUE(reply.starts_with("SIP/2.0 200")) << reply;
  EXPECT_EQ(registrar_.binding_count(), 1U);
  EXPECT_EQ(seen_.back().kind, RegistrationEvent::Kind::refreshed);
}

TEST_F(RegistrarTest, RepeatedCSeqOfTheSameCallIdIsRefused) {
  register_with("Contact: <sip:alice@desk>\r\n", 5);
  const auto reply = register_with("Contact: <sip:alice@desk>;expires=0\r\n", 5);
  EXPECT_TRUE(reply.starts_with("SIP/2.0 500 Out of Order Request")) << reply;
  EXPECT_EQ(registrar_.binding_count(), 1U);
}

TEST_F(RegistrarTest, ExpiresZeroRemovesOnlyThatContact) {
  register_with("Contact: <sip:alice@a>, <sip:alice@b>\r\n", 1);
  const auto reply = register_with("Contact: <sip:alice@a>;expires=0\r\n", 2);
  EXPECT_EQ(reply.find("sip:alice@a>"), std::string::npos) << reply;
  EXPECT_NE(reply.find("<sip:alice@b>;expires="), std::string::npos);
  EXPECT_EQ(registrar_.binding_count(), 1U);
  EXPECT_EQ(seen_.back().kind, RegistrationEvent::Kind::removed);
}

TEST_F(RegistrarTest, WildcardWithExpiresZeroRemovesEveryBinding) {
  register_with("Contact: <sip:alice@a>, <sip:alice@b>\r\n", 1);
  const auto reply = register_with("Contact: *\r\nExpires: 0\r\n", 2);
  EXPECT_TRUE(reply.starts_with("SIP/2.0 200 OK")) << reply;
  EXPECT_EQ(reply.find("Contact:"), std::string::npos);
  EXPECT_EQ(registrar_.binding_count(), 0U);
  EXPECT_TRUE(persistence_.saved.back().bindings.empty());
}

TEST_F(RegistrarTest, WildcardWithoutExpiresZeroIsABadRequest) {
  EXPECT_TRUE(register_with("Contact: *\r\n").starts_with("SIP/2.0 400 Invalid wildcard"));
  EXPECT_TRUE(register_with("Contact: *, <sip:alice@a>\r\nExpires: 0\r\n")
                  .starts_with("SIP/2.0 400 Invalid wildcard"));
}

TEST_F(RegistrarTest, DeviceCannotRegisterSomebodyElsesAddress) {
  const auto reply = register_with("Contact: <sip:bob@a>\r\n", 1, "bob");
  EXPECT_TRUE(reply.starts_with("SIP/2.0 403 Forbidden")) << reply;
  EXPECT_EQ(registrar_.binding_count(), 0U);
}

TEST_F(RegistrarTest, RegisterWithoutContactListsTheBindingsAndSavesNothing) {
  register_with("Contact: <sip:alice@a>\r\n", 1);
  const auto saves = persistence_.saved.size();
  const auto reply = register_with("", 2);
  EXPECT_NE(reply.find("<sip:alice@a>;expires="), std::string::npos) << reply;
  EXPECT_EQ(persistence_.saved.size(), saves);
}

TEST_F(RegistrarTest, PathIsKeptAndEchoedWhenSupported) {
  const auto reply =
      register_with("Supported: path\r\nPath: <sip:edge.example;lr>\r\nContact: <sip:alice@a>\r\n");
  EXPECT_NE(reply.find("Path: <sip:edge.example;lr>\r\n"), std::string::npos) << reply;
  EXPECT_EQ(registrar_.bindings_of("alice").front().path, "<sip:edge.example;lr>");
}

TEST_F(RegistrarTest, BindingsExpireWhenNotRefreshed) {
  register_with("Contact: <sip:alice@a>;expires=60, <sip:alice@b>;expires=600\r\n");
  clock_.advance(std::chrono::seconds(59));
  EXPECT_EQ(registrar_.expire_due(), 0U);
  clock_.advance(std::chrono::seconds(1));
  EXPECT_EQ(registrar_.expire_due(), 1U);
  EXPECT_EQ(registrar_.binding_count(), 1U);
  EXPECT_EQ(seen_.back().kind, RegistrationEvent::Kind::expired);
  EXPECT_EQ(seen_.back().contact, "sip:alice@a");
  EXPECT_EQ(persistence_.saved.back().bindings.size(), 1U);
}

// A REGISTER of alice's whose text the test keeps, to ask repeat_answer() and answer_again() about
// it later.
std::string retransmitted_register(std::string_view call_id) {
  return fmt::format("REGISTER sip:pbx.test SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKr\r\n"
                     "From: <sip:alice@pbx.test>;tag=a\r\nTo: <sip:alice@pbx.test>\r\n"
                     "Call-ID: {}\r\nCSeq: 7 REGISTER\r\nContact: <sip:alice@h>\r\n"
                     "Content-Length: 0\r\n\r\n",
                     call_id);
}

TEST_F(RegistrarTest, RetransmissionIsAnsweredAgainOnlyOnceItsChangeIsDurable) {
  persistence_.complete_at_once = false;
  const std::string text = retransmitted_register("again");
  auto message = parse_message(text);
  auto validated = validate_request(*message);
  registrar_.handle_register(*message, *validated, source_, "alice", "t",
                             [](const std::string&, bool) {});
  EXPECT_TRUE(registrar_.is_saving("alice"));
  EXPECT_FALSE(registrar_.repeat_answer(*message, *validated, "alice", "t").has_value());
  persistence_.finish(true);
  EXPECT_FALSE(registrar_.is_saving("alice"));
  const auto again = registrar_.repeat_answer(*message, *validated, "alice", "t");
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(again->starts_with("SIP/2.0 200 OK")) << *again;
  EXPECT_FALSE(registrar_.repeat_answer(*message, *validated, "bob", "t").has_value());
}

// Another REGISTER of the AOR (another Call-ID) replaced the binding before the first one's
// 200, lost, was asked for again: only the caller's record of the answer tells it was a 200.
TEST_F(RegistrarTest, ARetransmissionKnownAnsweredGetsTheCurrentBindingsAfterANewerRegister) {
  const std::string text = retransmitted_register("first");
  auto message = parse_message(text);
  auto validated = validate_request(*message);
  registrar_.handle_register(*message, *validated, source_, "alice", "t",
                             [](const std::string&, bool) {});
  register_with("Contact: <sip:alice@h>\r\n", 1, "alice", "second");
  EXPECT_FALSE(registrar_.repeat_answer(*message, *validated, "alice", "t").has_value());
  const auto again = registrar_.answer_again(*message, *validated, "alice", "t");
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(again->starts_with("SIP/2.0 200 OK")) << *again;
  EXPECT_NE(again->find("Contact: <sip:alice@h>;expires="), std::string::npos) << *again;
  EXPECT_FALSE(registrar_.answer_again(*message, *validated, "bob", "t").has_value());
  // A third registration still on its way to the disk does not hold the answer back.
  persistence_.complete_at_once = false;
  register_with("Contact: <sip:alice@h>\r\n", 1, "alice", "third");
  ASSERT_TRUE(registrar_.is_saving("alice"));
  EXPECT_TRUE(registrar_.answer_again(*message, *validated, "alice", "t").has_value());
  EXPECT_FALSE(registrar_.repeat_answer(*message, *validated, "alice", "t").has_value());
}

// An AOR whose last binding went stays known while that change is on its way to the disk,
// and is forgotten once the last of its saves completes.
TEST_F(RegistrarTest, AnAorWithoutBindingsIsForgottenOnlyWhenItsSavesComplete) {
  persistence_.complete_at_once = false;
  register_with("Contact: <sip:alice@a>\r\n", 1);
  register_with("Contact: *\r\nExpires: 0\r\n", 2);
  EXPECT_TRUE(registrar_.is_saving("alice"));
  EXPECT_EQ(registrar_.binding_count(), 0U);
  EXPECT_TRUE(registrar_.bindings_of("alice").empty());
  EXPECT_EQ(registrar_.expire_due(), 0U);
  persistence_.finish(true);
  EXPECT_FALSE(registrar_.is_saving("alice"));
  EXPECT_TRUE(last_reply_.starts_with("SIP/2.0 200 OK")) << last_reply_;
  register_with("Contact: <sip:alice@b>\r\n", 3);
  persistence_.finish(true);
  EXPECT_EQ(registrar_.bindings_of("alice").front().contact, "sip:alice@b");
  EXPECT_EQ(registrar_.binding_count(), 1U);
}

TEST_F(RegistrarTest, DiskBacklogBeyondTheLimitGets503WithRetryAfter) {
  RegistrarSettings settings;
  settings.max_save_backlog = 2;
  Registrar registrar(settings, clock_, events_, persistence_);
  persistence_.complete_at_once = false;
  std::vector<std::string> replies;
  for (int n = 0; n < 3; ++n) {
    const std::string text =
        fmt::format("REGISTER sip:pbx.test SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKb{}\r\n"
                    "From: <sip:alice@pbx.test>;tag=a\r\nTo: <sip:alice@pbx.test>\r\n"
                    "Call-ID: backlog-{}\r\nCSeq: 1 REGISTER\r\nContact: <sip:alice@h{}>\r\n"
                    "Content-Length: 0\r\n\r\n",
                    n, n, n);
    auto message = parse_message(text);
    auto validated = validate_request(*message);
    registrar.handle_register(*message, *validated, source_, "alice", "t",
                              [&replies](std::string r, bool) { replies.push_back(std::move(r)); });
  }
  ASSERT_EQ(replies.size(), 1U);
  EXPECT_TRUE(replies.front().starts_with("SIP/2.0 503 Service Unavailable")) << replies.front();
  EXPECT_NE(replies.front().find("Retry-After: 5"), std::string::npos);
  persistence_.finish(true);
  EXPECT_EQ(replies.size(), 3U);
}

TEST_F(RegistrarTest, RestoreKeepsOnlyBindingsThatHaveNotExpired) {
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.system_now().time_since_epoch())
          .count();
  store::Binding live;
  live.aor = "alice";
  live.contact = "sip:alice@a";
  live.expires_at = now + 100;
  store::Binding dead = live;
  dead.aor = "bob";
  dead.expires_at = now - 1;
  registrar_.restore({live, dead});
  EXPECT_EQ(registrar_.binding_count(), 1U);
  EXPECT_EQ(registrar_.bindings_of("alice").size(), 1U);
  EXPECT_TRUE(registrar_.bindings_of("bob").empty());
}

} // namespace
} // namespace starling::sip
