// Push notifications (XEP-0357) through the router: enabling and disabling app servers, the
// notification when a message waits for a user whom no connected client can take it to, and
// an app server's error disabling its registration.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "../im/router_fixture.h"
#include "xmpp/im/memory_user_data.h"
#include "xmpp/push/push_service.h"
#include "xmpp/push/xmpp_app_server.h"

namespace starling::xmpp::push {
namespace {

using im::error_condition;
using im::FakeSession;
using im::jid;

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// The app server is a client of Carol's: without server-to-server connections, that is an
// app server this server reaches.
constexpr std::string_view kAppServer = "carol@pbx.example/push";

std::string enable(std::string_view node, std::string_view form = {}) {
  return "<iq type='set' id='en'><enable xmlns='urn:xmpp:push:0' jid='" + std::string(kAppServer) +
         "' node='" + std::string(node) + "'>" + std::string(form) + "</enable></iq>";
}

class PushServiceTest : public im::RouterFixture {
protected:
  explicit PushServiceTest(PushPolicy policy = {}) : push_(roster_, data_, app_server_, policy) {
    router_.add_iq_handler(push_);
    router_.add_iq_handler(app_server_);
    router_.add_message_waiting_listener(push_);
    router_.add_resource_observer(push_);
    PushService::announce(router_.server_iq());
  }

  // Alice's phone enables pushes and goes away; the app server is online.
  FakeSession& alice_registered_and_gone(std::string_view form = {}) {
    auto& phone = online("alice@pbx.example/phone");
    send(phone, enable("node-1", form));
    EXPECT_EQ(phone.take(),
              std::vector<std::string>{"<iq to='alice@pbx.example/phone' id='en' type='result'/>"});
    close(phone);
    return online(kAppServer);
  }

  // What reached the app server's client besides colleagues' presence.
  static std::vector<std::string> notifications(FakeSession& app_server) {
    auto delivered = app_server.take();
    std::erase_if(delivered, [](const std::string& s) { return s.starts_with("<presence"); });
    return delivered;
  }

  im::MemoryUserData data_;
  XmppAppServer app_server_{router_.sessions()};
  PushService push_;
};

TEST_F(PushServiceTest, AMessageForAnOfflineUserIsPublishedToTheAppServer) {
  auto& app_server = alice_registered_and_gone();
  auto& bob = online("bob@pbx.example/desk");
  send(bob, "<message to='alice@pbx.example' type='chat'><body>Lunch?</body></message>");
  EXPECT_EQ(notifications(app_server),
            std::vector<std::string>{
                "<iq type='set' from='alice@pbx.example' to='carol@pbx.example/push' "
                "id='push-1'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                "<publish node='node-1'><item><notification xmlns='urn:xmpp:push:0'>"
                "<x xmlns='jabber:x:data' type='submit'>"
                "<field var='FORM_TYPE' type='hidden'><value>urn:xmpp:push:summary</value></field>"
                "<field var='message-count'><value>1</value></field>"
                "<field var='last-message-sender'><value>bob@pbx.example</value></field>"
                "</x></notification></item></publish></pubsub></iq>"});
  send(bob, "<message to='alice@pbx.example' type='chat'><body>Now?</body></message>");
  EXPECT_TRUE(
      contains(notifications(app_server).at(0), "<field var='message-count'><value>2</value>"));
}

TEST_F(PushServiceTest, TheEnableFormGoesAlongAsPublishOptions) {
  auto& app_server = alice_registered_and_gone(
      "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'>"
      "<value>http://jabber.org/protocol/pubsub#publish-options</value></field>"
      "<field var='secret'><value>s3cret</value></field></x>");
  auto& bob = online("bob@pbx.example/desk");
  send(bob, "<message to='alice@pbx.example'><body>Hi</body></message>");
  EXPECT_TRUE(contains(notifications(app_server).at(0),
                       "</publish><publish-options><x xmlns='jabber:x:data' type='submit'>"
                       "<field var='FORM_TYPE'>"
                       "<value>http://jabber.org/protocol/pubsub#publish-options</value></field>"
                       "<field var='secret'><value>s3cret</value></field></x></publish-options>"));
}

TEST_F(PushServiceTest, NothingIsSentWhileAClientIsConnectedOrForChatStates) {
  auto& phone = online("alice@pbx.example/phone");
  send(phone, enable("node-1"));
  auto& app_server = online(kAppServer);
  auto& bob = online("bob@pbx.example/desk");
  send(bob, "<message to='alice@pbx.example' type='chat'><body>Lunch?</body></message>");
  EXPECT_TRUE(notifications(app_server).empty());
  close(phone);
  send(bob, "<message to='alice@pbx.example' type='chat'>"
            "<composing xmlns='http://jabber.org/protocol/chatstates'/></message>");
  EXPECT_TRUE(notifications(app_server).empty());
}

TEST_F(PushServiceTest, AnInvitationToAGroupChatWakesThePhone) {
  auto& app_server = alice_registered_and_gone();
  auto& bob = online("bob@pbx.example/desk");
  send(bob, "<message to='alice@pbx.example'><x xmlns='jabber:x:conference' "
            "jid='lobby@conference.pbx.example'/></message>"); // XEP-0249
  EXPECT_EQ(notifications(app_server).size(), 1U);
  send(bob, "<message to='alice@pbx.example'><x xmlns='http://jabber.org/protocol/muc#user'>"
            "<invite from='bob@pbx.example/desk'/></x></message>"); // XEP-0045 §7.8.2
  EXPECT_EQ(notifications(app_server).size(), 1U);
}

TEST_F(PushServiceTest, AMessageQueuedForASessionWaitingToResumeIsNotified) {
  auto& phone = online("alice@pbx.example/phone");
  send(phone, enable("node-1"));
  auto& app_server = online(kAppServer);
  phone.is_connected = false; // XEP-0198: the connection is gone, the session waits
  auto& bob = online("bob@pbx.example/desk");
  send(bob, "<message to='alice@pbx.example/phone' type='chat'><body>Lunch?</body></message>");
  EXPECT_EQ(notifications(app_server).size(), 1U);
  send(bob, "<message to='alice@pbx.example' type='chat'><body>Lunch?</body></message>");
  EXPECT_EQ(notifications(app_server).size(), 1U);
}

TEST_F(PushServiceTest, AnErrorFromTheAppServerDisablesTheRegistration) {
  auto& app_server = alice_registered_and_gone();
  auto& bob = online("bob@pbx.example/desk");
  send(bob, "<message to='alice@pbx.example' type='chat'><body>One</body></message>");
  ASSERT_EQ(notifications(app_server).size(), 1U);
  send(app_server, "<iq type='error' id='push-1' to='alice@pbx.example'>"
                   "<error type='cancel'><item-not-found "
                   "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
  EXPECT_TRUE(push_.registrations("alice").empty());
  send(bob, "<message to='alice@pbx.example' type='chat'><body>Two</body></message>");
  EXPECT_TRUE(notifications(app_server).empty());
}

TEST_F(PushServiceTest, AResultKeepsTheRegistrationAndOthersCannotAnswerForTheAppServer) {
  auto& app_server = alice_registered_and_gone();
  auto& bob = online("bob@pbx.example/desk");
  send(bob, "<message to='alice@pbx.example' type='chat'><body>One</body></message>");
  notifications(app_server);
  send(bob, "<iq type='error' id='push-1' to='alice@pbx.example'>"
            "<error type='cancel'><item-not-found "
            "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
  send(app_server, "<iq type='result' id='push-1' to='alice@pbx.example'/>");
  EXPECT_EQ(push_.registrations("alice").size(), 1U);
  send(bob, "<message to='alice@pbx.example' type='chat'><body>Two</body></message>");
  EXPECT_EQ(notifications(app_server).size(), 1U);
}

TEST_F(PushServiceTest, ComingOnlineStartsTheCountAgain) {
  auto& app_server = alice_registered_and_gone();
  auto& bob = online("bob@pbx.example/desk");
  send(bob, "<message to='alice@pbx.example' type='chat'><body>One</body></message>");
  notifications(app_server);
  close(online("alice@pbx.example/laptop"));
  send(bob, "<message to='alice@pbx.example' type='chat'><body>Two</body></message>");
  EXPECT_TRUE(
      contains(notifications(app_server).at(0), "<field var='message-count'><value>1</value>"));
}

TEST_F(PushServiceTest, DisableRemovesOneNodeOrEveryNodeOfTheAppServer) {
  auto& alice = online("alice@pbx.example/phone");
  send(alice, enable("node-1"));
  send(alice, enable("node-2"));
  send(alice, enable("node-3"));
  alice.take();
  ASSERT_EQ(push_.registrations("alice").size(), 3U);
  send(alice, "<iq type='set' id='d1'><disable xmlns='urn:xmpp:push:0' jid='" +
                  std::string(kAppServer) + "' node='node-2'/></iq>");
  EXPECT_EQ(error_condition(alice.take().at(0)), "");
  EXPECT_EQ(push_.registrations("alice").size(), 2U);
  send(alice, "<iq type='set' id='d2'><disable xmlns='urn:xmpp:push:0' jid='" +
                  std::string(kAppServer) + "'/></iq>");
  EXPECT_EQ(error_condition(alice.take().at(0)), "");
  EXPECT_TRUE(push_.registrations("alice").empty());
}

TEST_F(PushServiceTest, EnableNeedsAJidAndANodeAndIsForOnesOwnAccount) {
  auto& alice = online("alice@pbx.example/phone");
  send(alice, "<iq type='set' id='e'><enable xmlns='urn:xmpp:push:0' node='n'/></iq>");
  EXPECT_EQ(error_condition(alice.take().at(0)), "bad-request");
  send(alice, "<iq type='set' id='e'><enable xmlns='urn:xmpp:push:0' jid='push.example'/></iq>");
  EXPECT_EQ(error_condition(alice.take().at(0)), "bad-request");
  online("bob@pbx.example/desk");
  send(alice, "<iq type='set' id='e' to='bob@pbx.example'><enable xmlns='urn:xmpp:push:0' "
              "jid='push.example' node='n'/></iq>");
  EXPECT_EQ(error_condition(alice.take().at(0)), "forbidden");
  EXPECT_TRUE(push_.registrations("bob").empty());
  for (std::size_t i = 0; i < PushService::kMaxRegistrationsPerUser; ++i) {
    send(alice, enable("node-" + std::to_string(i)));
  }
  alice.take();
  send(alice, enable("one-more"));
  EXPECT_EQ(error_condition(alice.take().at(0)), "not-allowed");
}

TEST_F(PushServiceTest, TheAccountAnnouncesPush) {
  auto& alice = online("alice@pbx.example/phone");
  send(alice, "<iq type='get' id='d1' to='alice@pbx.example'>"
              "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
  EXPECT_TRUE(contains(alice.take().at(0), "<feature var='urn:xmpp:push:0'/>"));
}

class PushWithBodiesTest : public PushServiceTest {
protected:
  PushWithBodiesTest() : PushServiceTest(PushPolicy{.include_body = true}) {}
};

TEST_F(PushWithBodiesTest, TheBodyGoesAlongWhenThePolicySaysSo) {
  auto& app_server = alice_registered_and_gone();
  auto& bob = online("bob@pbx.example/desk");
  send(bob, "<message to='alice@pbx.example' type='chat'><body>Lunch?</body></message>");
  EXPECT_TRUE(contains(notifications(app_server).at(0),
                       "<field var='last-message-body'><value>Lunch?</value></field>"));
}

// The seam for a built-in app server (the mobile push issue): it gets the summary instead.
class RecordingAppServer final : public AppServer {
public:
  void notify(const Jid& user, const Registration& registration, const Summary& summary,
              std::function<void()> refused) override {
    notified.push_back(user.to_string() + " " + registration.node + " " +
                       std::to_string(summary.message_count));
    refuse = std::move(refused);
  }
  std::vector<std::string> notified;
  std::function<void()> refuse;
};

TEST_F(PushServiceTest, AnAppServerSetForAJidTakesItsNotifications) {
  RecordingAppServer built_in;
  push_.set_app_server(std::string(kAppServer), built_in);
  auto& app_server = alice_registered_and_gone();
  auto& bob = online("bob@pbx.example/desk");
  send(bob, "<message to='alice@pbx.example' type='chat'><body>Hi</body></message>");
  EXPECT_TRUE(notifications(app_server).empty());
  EXPECT_EQ(built_in.notified, std::vector<std::string>{"alice@pbx.example node-1 1"});
  built_in.refuse();
  EXPECT_TRUE(push_.registrations("alice").empty());
}

} // namespace
} // namespace starling::xmpp::push
