// Private XML storage (XEP-0049) through the router: a user's own elements, kept per user,
// and the errors of §2.3.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "router_fixture.h"
#include "xmpp/im/memory_user_data.h"
#include "xmpp/im/private_storage.h"

namespace starling::xmpp::im {
namespace {

class PrivateStorageTest : public RouterFixture {
protected:
  PrivateStorageTest() {
    router_.add_iq_handler(storage_);
    PrivateStorage::announce(router_.server_iq());
  }

  static std::string query(std::string_view type, std::string_view payload,
                           std::string_view to = {}) {
    std::string iq = "<iq type='" + std::string(type) + "' id='p1'";
    if (!to.empty()) {
      iq += " to='" + std::string(to) + "'";
    }
    return iq + "><query xmlns='jabber:iq:private'>" + std::string(payload) + "</query></iq>";
  }

  MemoryUserData data_;
  PrivateStorage storage_{roster_, data_};
};

constexpr std::string_view kPrefs =
    "<exodus xmlns='exodus:prefs'><defaultnick>Hamlet</defaultnick></exodus>";

TEST_F(PrivateStorageTest, AStoredElementComesBackToTheUsersOtherClientsOnly) {
  auto& phone = online("alice@pbx.example/phone");
  send(phone, query("set", kPrefs));
  EXPECT_EQ(phone.take(),
            std::vector<std::string>{"<iq to='alice@pbx.example/phone' id='p1' type='result'/>"});

  auto& desk = online("alice@pbx.example/desk");
  send(desk, query("get", "<exodus xmlns='exodus:prefs'/>"));
  EXPECT_EQ(desk.take(), std::vector<std::string>{
                             "<iq to='alice@pbx.example/desk' id='p1' type='result'>"
                             "<query xmlns='jabber:iq:private'><exodus xmlns='exodus:prefs'>"
                             "<defaultnick>Hamlet</defaultnick></exodus></query></iq>"});

  // Bob's storage is his own: he gets the empty element back.
  auto& bob = online("bob@pbx.example/desk");
  send(bob, query("get", "<exodus xmlns='exodus:prefs'/>"));
  EXPECT_EQ(bob.take(), std::vector<std::string>{
                            "<iq to='bob@pbx.example/desk' id='p1' type='result'>"
                            "<query xmlns='jabber:iq:private'><exodus xmlns='exodus:prefs'/>"
                            "</query></iq>"});
}

TEST_F(PrivateStorageTest, ASetReplacesTheElementAndKeepsOthers) {
  auto& alice = online("alice@pbx.example/phone");
  send(alice, query("set", kPrefs));
  send(alice, query("set", "<notes xmlns='http://miranda-im.org/storage#notes'/>"));
  send(alice, query("set", "<exodus xmlns='exodus:prefs'><defaultnick>Ophelia</defaultnick>"
                           "</exodus>"));
  alice.take();
  send(alice, query("get", "<exodus xmlns='exodus:prefs'/>"));
  const auto answer = alice.take();
  ASSERT_EQ(answer.size(), 1U);
  EXPECT_NE(answer[0].find("Ophelia"), std::string::npos);
  EXPECT_EQ(answer[0].find("Hamlet"), std::string::npos);
  EXPECT_NE(data_.find("alice", kPrivateKind, "{http://miranda-im.org/storage#notes}notes"),
            nullptr);
}

TEST_F(PrivateStorageTest, AnotherUsersStorageIsForbidden) {
  online("bob@pbx.example/desk");
  auto& alice = online("alice@pbx.example/phone");
  send(alice, query("set", kPrefs, "bob@pbx.example"));
  EXPECT_EQ(error_condition(alice.take().at(0)), "forbidden");
  send(alice, query("get", "<exodus xmlns='exodus:prefs'/>", "bob@pbx.example"));
  EXPECT_EQ(error_condition(alice.take().at(0)), "forbidden");
  EXPECT_EQ(data_.find("bob", kPrivateKind, "{exodus:prefs}exodus"), nullptr);
}

TEST_F(PrivateStorageTest, QueriesWithoutAnElementOrInAReservedNamespaceAreNotAcceptable) {
  auto& alice = online("alice@pbx.example/phone");
  for (const auto& request :
       {query("get", ""), query("set", ""), query("set", "<vCard xmlns='vcard-temp'/>"),
        query("get", "<query xmlns='jabber:iq:roster'/>"),
        query("set", "<x xmlns='http://jabber.org/protocol/muc'/>"),
        query("set", "<unqualified/>")}) {
    send(alice, request);
    EXPECT_EQ(error_condition(alice.take().at(0)), "not-acceptable") << request;
  }
  EXPECT_TRUE(data_.list("alice", kPrivateKind).empty());
}

TEST_F(PrivateStorageTest, AGetForTwoNamespacesIsABadRequest) {
  auto& alice = online("alice@pbx.example/phone");
  send(alice, query("get", "<a xmlns='urn:a'/><b xmlns='urn:b'/>"));
  EXPECT_EQ(error_condition(alice.take().at(0)), "bad-request");
}

TEST_F(PrivateStorageTest, AUserKeepsAtMostTheLimitOfElements) {
  auto& alice = online("alice@pbx.example/phone");
  for (std::size_t i = 0; i < PrivateStorage::kMaxElementsPerUser; ++i) {
    send(alice, query("set", "<e xmlns='urn:test:" + std::to_string(i) + "'/>"));
  }
  alice.take();
  send(alice, query("set", "<e xmlns='urn:test:one-more'/>"));
  EXPECT_EQ(error_condition(alice.take().at(0)), "not-allowed");
  send(alice, query("set", "<e xmlns='urn:test:0'>replaced</e>")); // replacing is fine
  EXPECT_EQ(error_condition(alice.take().at(0)), "");
}

TEST_F(PrivateStorageTest, TheAccountAnnouncesPrivateStorage) {
  auto& alice = online("alice@pbx.example/phone");
  send(alice, "<iq type='get' id='d1' to='alice@pbx.example'>"
              "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
  EXPECT_NE(alice.take().at(0).find("<feature var='jabber:iq:private'/>"), std::string::npos);
}

} // namespace
} // namespace starling::xmpp::im
