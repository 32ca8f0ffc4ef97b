// Client State Indication (XEP-0352): what an inactive client gets at once, later or never.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "xmpp/server/csi_queue.h"
#include "xmpp/xml/serializer.h"
#include "xmpp/xml/stream_parser.h"

namespace starling::xmpp::server {
namespace {

xml::Element stanza(std::string_view text) {
  xml::StreamParser parser;
  parser.feed("<stream:stream xmlns='jabber:client' "
              "xmlns:stream='http://etherx.jabber.org/streams'>");
  parser.feed(text);
  (void)parser.next();
  return std::get<xml::Element>(*parser.next());
}

std::vector<std::string> serialized(const std::vector<xml::Element>& stanzas) {
  std::vector<std::string> out;
  for (const auto& element : stanzas) {
    out.push_back(xml::serialize(element));
  }
  return out;
}

const std::string kBobAway = "<presence from='bob@pbx.example/desk'><show>away</show>"
                             "</presence>";
const std::string kBobDnd = "<presence from='bob@pbx.example/desk'><show>dnd</show>"
                            "</presence>";
const std::string kCarol = "<presence from='carol@pbx.example/phone'/>";
const std::string kBobComposing =
    "<message from='bob@pbx.example/desk' type='chat'>"
    "<composing xmlns='http://jabber.org/protocol/chatstates'/></message>";
const std::string kBobMessage =
    "<message from='bob@pbx.example/desk' type='chat'><body>lunch?</body>"
    "<active xmlns='http://jabber.org/protocol/chatstates'/></message>";

TEST(CsiQueue, ActiveClientGetsEverythingAtOnce) {
  CsiQueue queue;
  EXPECT_EQ(serialized(queue.offer(stanza(kBobAway))), std::vector<std::string>{kBobAway});
}

TEST(CsiQueue, InactiveClientGetsOnlyTheLatestPresencePerContactWhenItComesBack) {
  CsiQueue queue;
  EXPECT_TRUE(queue.set_active(false).empty());
  EXPECT_TRUE(queue.offer(stanza(kBobAway)).empty());
  EXPECT_TRUE(queue.offer(stanza(kCarol)).empty());
  EXPECT_TRUE(queue.offer(stanza(kBobDnd)).empty());
  EXPECT_EQ(serialized(queue.set_active(true)), (std::vector<std::string>{kCarol, kBobDnd}));
}

TEST(CsiQueue, MessageWithABodyFlushesWhatWaitedBeforeItInOrder) {
  CsiQueue queue;
  (void)queue.set_active(false);
  EXPECT_TRUE(queue.offer(stanza(kBobAway)).empty());
  EXPECT_TRUE(queue.offer(stanza(kBobComposing)).empty());
  EXPECT_EQ(serialized(queue.offer(stanza(kBobMessage))),
            (std::vector<std::string>{kBobAway, kBobComposing, kBobMessage}));
  EXPECT_FALSE(queue.active()); // still inactive: the next presence waits again
  EXPECT_TRUE(queue.offer(stanza(kCarol)).empty());
}

TEST(CsiQueue, IqAndSubscriptionRequestsAreUrgent) {
  CsiQueue queue;
  (void)queue.set_active(false);
  const std::string kPing = "<iq from='pbx.example' type='get' id='p'>"
                            "<ping xmlns='urn:xmpp:ping'/></iq>";
  EXPECT_EQ(serialized(queue.offer(stanza(kPing))), std::vector<std::string>{kPing});
  const std::string kSubscribe = "<presence from='dave@pbx.example' type='subscribe'/>";
  EXPECT_EQ(serialized(queue.offer(stanza(kSubscribe))), std::vector<std::string>{kSubscribe});
}

TEST(CsiQueue, TooMuchHeldGoesOutRatherThanGrowing) {
  CsiQueue queue;
  (void)queue.set_active(false);
  std::size_t sent = 0;
  for (std::size_t i = 0; i <= kMaxHeldWhileInactive; ++i) {
    sent +=
        queue.offer(stanza("<presence from='u" + std::to_string(i) + "@pbx.example/r'/>")).size();
  }
  EXPECT_EQ(sent, kMaxHeldWhileInactive + 1);
}

TEST(CsiQueue, TakeAllHandsOverWhatWaitedAndStartsActiveAgain) {
  CsiQueue queue;
  (void)queue.set_active(false);
  (void)queue.offer(stanza(kBobAway));
  EXPECT_EQ(serialized(queue.take_all()), std::vector<std::string>{kBobAway});
  EXPECT_TRUE(queue.active());
}

} // namespace
} // namespace starling::xmpp::server
