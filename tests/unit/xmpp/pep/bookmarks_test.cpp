// Bookmarks (XEP-0402) over PEP, and the legacy forms kept in step with them (XEP-0402 §5.3):
// storage:bookmarks in private storage (XEP-0049) and on its own PEP node (XEP-0048).
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pep_fixture.h"
#include "xmpp/im/private_storage.h"
#include "xmpp/pep/bookmarks.h"

namespace starling::xmpp::pep {
namespace {

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

const std::string kBookmarksNotify = "urn:xmpp:bookmarks:1+notify";
const std::string kLegacyNotify = "storage:bookmarks+notify";

// XEP-0402 §3.1: a bookmark published with the options the XEP asks for.
std::string publish_bookmark(std::string_view room, std::string_view name) {
  return "<iq type='set' id='pub'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
         "<publish node='urn:xmpp:bookmarks:1'><item id='" +
         std::string(room) + "'><conference xmlns='urn:xmpp:bookmarks:1' name='" +
         std::string(name) +
         "' autojoin='true'><nick>Al</nick></conference></item></publish>"
         "<publish-options><x xmlns='jabber:x:data' type='submit'>"
         "<field var='FORM_TYPE' type='hidden'>"
         "<value>http://jabber.org/protocol/pubsub#publish-options</value></field>"
         "<field var='pubsub#persist_items'><value>true</value></field>"
         "<field var='pubsub#max_items'><value>max</value></field>"
         "<field var='pubsub#send_last_published_item'><value>never</value></field>"
         "<field var='pubsub#access_model'><value>whitelist</value></field>"
         "</x></publish-options></pubsub></iq>";
}

std::string private_set(std::string_view storage_content) {
  return "<iq type='set' id='ps'><query xmlns='jabber:iq:private'>"
         "<storage xmlns='storage:bookmarks'>" +
         std::string(storage_content) + "</storage></query></iq>";
}

const std::string kPrivateGet = "<iq type='get' id='pg'><query xmlns='jabber:iq:private'>"
                                "<storage xmlns='storage:bookmarks'/></query></iq>";

std::string items(std::string_view node) {
  return "<iq type='get' id='items' to='alice@pbx.example'>"
         "<pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='" +
         std::string(node) + "'/></pubsub></iq>";
}

class BookmarksTest : public PepFixture {
protected:
  BookmarksTest() {
    router_.add_iq_handler(private_storage_);
    private_storage_.add_view(kLegacyBookmarksNamespace, "storage", bookmarks_);
    pep_.add_listener(bookmarks_);
    BookmarksCompat::announce(router_.server_iq());
  }

  im::PrivateStorage private_storage_{roster_, data_};
  BookmarksCompat bookmarks_{pep_, data_};
};

TEST_F(BookmarksTest, ABookmarkIsKeptWhitelistedAndNotifiedToTheOwnersClientsOnly) {
  auto& laptop = online("alice@pbx.example/laptop");
  auto& phone = online_with_caps("alice@pbx.example/phone", {kBookmarksNotify});
  auto& bob = online_with_caps("bob@pbx.example/desk", {kBookmarksNotify});
  phone.take();
  bob.take();

  send(laptop, publish_bookmark("team@conference.pbx.example", "Team"));
  EXPECT_EQ(im::error_condition(laptop.take().at(0)), "");
  EXPECT_EQ(phone.take(), std::vector<std::string>{
                              "<message from='alice@pbx.example' to='alice@pbx.example/phone' "
                              "type='headline' id='pep-1'>"
                              "<event xmlns='http://jabber.org/protocol/pubsub#event'>"
                              "<items node='urn:xmpp:bookmarks:1'>"
                              "<item id='team@conference.pbx.example'>"
                              "<conference xmlns='urn:xmpp:bookmarks:1' name='Team' "
                              "autojoin='true'><nick>Al</nick></conference></item></items>"
                              "</event></message>"});
  EXPECT_TRUE(bob.take().empty()); // a colleague, but not on the whitelist

  // max_items=max: a second room does not push the first out.
  send(laptop, publish_bookmark("sales@conference.pbx.example", "Sales"));
  EXPECT_EQ(im::error_condition(laptop.take().at(0)), "");
  send(laptop, items("urn:xmpp:bookmarks:1"));
  const auto all = laptop.take().at(0);
  EXPECT_TRUE(contains(all, "<item id='team@conference.pbx.example'>"));
  EXPECT_TRUE(contains(all, "<item id='sales@conference.pbx.example'>"));
  send(bob, items("urn:xmpp:bookmarks:1"));
  EXPECT_EQ(im::error_condition(bob.take().at(0)), "not-allowed");
}

TEST_F(BookmarksTest, ALegacyGetShowsThePepBookmarks) {
  auto& alice = online("alice@pbx.example/laptop");
  send(alice, publish_bookmark("team@conference.pbx.example", "Team"));
  alice.take();
  send(alice, kPrivateGet);
  EXPECT_EQ(alice.take(),
            std::vector<std::string>{"<iq to='alice@pbx.example/laptop' id='pg' type='result'>"
                                     "<query xmlns='jabber:iq:private'>"
                                     "<storage xmlns='storage:bookmarks'>"
                                     "<conference jid='team@conference.pbx.example' name='Team' "
                                     "autojoin='true'><nick>Al</nick></conference></storage>"
                                     "</query></iq>"});

  // Retracting it over PEP takes it out of the legacy list too.
  send(alice, "<iq type='set' id='r'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
              "<retract node='urn:xmpp:bookmarks:1' notify='true'>"
              "<item id='team@conference.pbx.example'/></retract></pubsub></iq>");
  alice.take();
  send(alice, kPrivateGet);
  EXPECT_TRUE(contains(alice.take().at(0), "<storage xmlns='storage:bookmarks'/>"));
}

TEST_F(BookmarksTest, ALegacySetRepublishesOnlyWhatChanged) {
  auto& laptop = online("alice@pbx.example/laptop");
  send(laptop, private_set("<conference jid='team@conference.pbx.example' name='Team'>"
                           "<nick>Al</nick></conference>"
                           "<conference jid='sales@conference.pbx.example' autojoin='1'/>"));
  EXPECT_EQ(im::error_condition(laptop.take().at(0)), "");
  send(laptop, items("urn:xmpp:bookmarks:1"));
  const auto published = laptop.take().at(0);
  EXPECT_TRUE(contains(published, "<item id='team@conference.pbx.example'>"
                                  "<conference xmlns='urn:xmpp:bookmarks:1' name='Team'>"
                                  "<nick>Al</nick></conference></item>"))
      << published;
  EXPECT_TRUE(contains(published, "<item id='sales@conference.pbx.example'>"
                                  "<conference xmlns='urn:xmpp:bookmarks:1' autojoin='1'/>"));

  auto& phone = online_with_caps("alice@pbx.example/phone", {kBookmarksNotify});
  phone.take();
  // Team unchanged, Sales gone, Board new.
  send(laptop, private_set("<conference jid='team@conference.pbx.example' name='Team'>"
                           "<nick>Al</nick></conference>"
                           "<conference jid='board@conference.pbx.example' name='Board'/>"));
  laptop.take();
  const auto events = phone.take();
  ASSERT_EQ(events.size(), 2U);
  EXPECT_TRUE(contains(events[0], "<item id='board@conference.pbx.example'>")) << events[0];
  EXPECT_TRUE(contains(events[1], "<retract id='sales@conference.pbx.example'/>")) << events[1];
}

TEST_F(BookmarksTest, UrlBookmarksStayInPrivateStorage) {
  auto& alice = online("alice@pbx.example/laptop");
  send(alice, private_set("<url name='Wiki' url='https://wiki.example/'/>"
                          "<conference jid='team@conference.pbx.example' name='Team'/>"));
  alice.take();
  send(alice, publish_bookmark("sales@conference.pbx.example", "Sales"));
  alice.take();
  send(alice, kPrivateGet);
  const auto answer = alice.take().at(0);
  EXPECT_TRUE(contains(answer, "<url name='Wiki' url='https://wiki.example/'/>")) << answer;
  EXPECT_TRUE(contains(answer, "<conference jid='team@conference.pbx.example' name='Team'/>"));
  EXPECT_TRUE(contains(answer, "<conference jid='sales@conference.pbx.example' name='Sales' "
                               "autojoin='true'>"));
}

TEST_F(BookmarksTest, TheLegacyPepNodeFollowsTheBookmarksAndChangesThem) {
  auto& alice = online("alice@pbx.example/laptop");
  send(alice, publish_bookmark("team@conference.pbx.example", "Team"));
  alice.take();
  send(alice, items("storage:bookmarks"));
  EXPECT_TRUE(contains(alice.take().at(0),
                       "<item id='current'><storage xmlns='storage:bookmarks'>"
                       "<conference jid='team@conference.pbx.example' name='Team' "
                       "autojoin='true'><nick>Al</nick></conference></storage></item>"));

  // XEP-0048 §3.3: a legacy client publishes its whole list.
  send(alice, "<iq type='set' id='lp'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
              "<publish node='storage:bookmarks'><item id='current'>"
              "<storage xmlns='storage:bookmarks'>"
              "<conference jid='board@conference.pbx.example' name='Board'/></storage>"
              "</item></publish></pubsub></iq>");
  EXPECT_EQ(im::error_condition(alice.take().at(0)), "");
  send(alice, items("urn:xmpp:bookmarks:1"));
  const auto now = alice.take().at(0);
  EXPECT_TRUE(contains(now, "<item id='board@conference.pbx.example'>")) << now;
  EXPECT_FALSE(contains(now, "team@conference.pbx.example"));
}

TEST_F(BookmarksTest, TheAccountAnnouncesCompatibilityAndMaxItems) {
  auto& alice = online("alice@pbx.example/laptop");
  send(alice, "<iq type='get' id='d1' to='alice@pbx.example'>"
              "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
  const auto info = alice.take().at(0);
  for (std::string_view feature : {"urn:xmpp:bookmarks:1#compat", "urn:xmpp:bookmarks:1#compat-pep",
                                   "http://jabber.org/protocol/pubsub#config-node-max",
                                   "http://jabber.org/protocol/pubsub#multi-items"}) {
    EXPECT_TRUE(contains(info, "<feature var='" + std::string(feature) + "'/>")) << feature;
  }
}

TEST(LegacyBookmarks, ConvertOneRoomPerJidWithExtensionsBothWays) {
  const auto storage = im::stanza(
      "<storage xmlns='storage:bookmarks'>"
      "<conference jid='not a jid'/>"
      "<conference jid='team@conference.pbx.example' name='Old'/>"
      "<conference jid='team@conference.pbx.example' name='Team' autojoin='true'>"
      "<nick>Al</nick><password>pw</password><minimize xmlns='urn:client:x'/></conference>"
      "<url url='https://wiki.example/'/></storage>");
  const auto converted = bookmarks_from_legacy(storage);
  ASSERT_EQ(converted.size(), 1U);
  EXPECT_EQ(converted[0].room, "team@conference.pbx.example");
  EXPECT_EQ(xml::serialize(converted[0].conference),
            "<conference xmlns='urn:xmpp:bookmarks:1' name='Team' autojoin='true'>"
            "<nick>Al</nick><password>pw</password>"
            "<extensions><minimize xmlns='urn:client:x'/></extensions></conference>");
  EXPECT_EQ(xml::serialize(legacy_conference(converted[0])),
            "<conference xmlns='storage:bookmarks' jid='team@conference.pbx.example' "
            "name='Team' autojoin='true'><nick>Al</nick><password>pw</password>"
            "<minimize xmlns='urn:client:x'/></conference>");
}

} // namespace
} // namespace starling::xmpp::pep
