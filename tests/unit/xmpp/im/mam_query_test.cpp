// XEP-0313 archive queries: the filters and paging a client asks for, and the answer's shape.
#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "router_fixture.h"
#include "xmpp/im/mam_query.h"
#include "xmpp/xml/serializer.h"

namespace starling::xmpp::im {
namespace {

using namespace std::chrono;

// A query iq from alice with `payload` inside <query/>.
xml::Element query_iq(std::string_view payload) {
  return stanza("<iq type='set' id='q1' from='alice@pbx.example/phone'>"
                "<query xmlns='urn:xmpp:mam:2' queryid='f27'>" +
                std::string(payload) + "</query></iq>");
}

std::string form(std::string_view fields) {
  return "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'>"
         "<value>urn:xmpp:mam:2</value></field>" +
         std::string(fields) + "</x>";
}

TEST(MamQuery, AQueryWithoutFiltersAsksForTheDefaultPage) {
  const auto request = parse_archive_query(query_iq(""));
  ASSERT_TRUE(request.has_value());
  EXPECT_EQ(request->query_id, "f27");
  EXPECT_FALSE(request->filter.with.has_value());
  EXPECT_FALSE(request->filter.before.has_value());
  EXPECT_EQ(request->filter.max, kDefaultArchivePage);
}

TEST(MamQuery, ReadsTheFormsFiltersAndTheRsmPaging) {
  const auto request = parse_archive_query(
      query_iq(form("<field var='with'><value>bob@pbx.example</value></field>"
                    "<field var='start'><value>2026-12-01T00:00:00Z</value></field>"
                    "<field var='end'><value>2026-12-02T00:00:00Z</value></field>") +
               "<set xmlns='http://jabber.org/protocol/rsm'><max>10</max><after>a1</after>"
               "<before/></set>"));
  ASSERT_TRUE(request.has_value());
  EXPECT_EQ(request->filter.with, jid("bob@pbx.example"));
  EXPECT_EQ(request->filter.start, sys_days(year(2026) / 12 / 1));
  EXPECT_EQ(request->filter.end, sys_days(year(2026) / 12 / 2));
  EXPECT_EQ(request->filter.max, 10U);
  EXPECT_EQ(request->filter.after, "a1");
  EXPECT_EQ(request->filter.before, ""); // the last page
}

TEST(MamQuery, APageLargerThanTheCapIsCutToIt) {
  const auto request = parse_archive_query(
      query_iq("<set xmlns='http://jabber.org/protocol/rsm'><max>100000</max></set>"));
  ASSERT_TRUE(request.has_value());
  EXPECT_EQ(request->filter.max, kMaxArchivePage);
}

TEST(MamQuery, AFormOrPagingThatDoesNotParseIsABadRequest) {
  for (const auto& payload :
       {form("<field var='with'><value>@@</value></field>"),
        form("<field var='start'><value>yesterday</value></field>"),
        std::string("<x xmlns='jabber:x:data' type='form'/>"),
        std::string("<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'>"
                    "<value>urn:xmpp:mam:1</value></field></x>"),
        std::string("<set xmlns='http://jabber.org/protocol/rsm'><max>ten</max></set>"),
        std::string("<set xmlns='http://jabber.org/protocol/rsm'><after/></set>")}) {
    const auto request = parse_archive_query(query_iq(payload));
    ASSERT_FALSE(request.has_value()) << payload;
    EXPECT_EQ(request.error(), StanzaErrorCondition::bad_request) << payload;
  }
}

TEST(MamQuery, AFieldThisServerDoesNotFilterByIsNotImplemented) {
  const auto request = parse_archive_query(
      query_iq(form("<field var='{urn:example:x}flagged'><value>true</value></field>")));
  ASSERT_FALSE(request.has_value());
  EXPECT_EQ(request.error(), StanzaErrorCondition::feature_not_implemented);
}

TEST(MamQuery, TheAnswerForwardsEachMessageWithItsStampThenFinishesWithThePage) {
  const ArchivePage page{
      .messages = {{.id = "a1",
                    .stored_at = sys_days(year(2026) / 12 / 2) + hours(2),
                    .message = stanza("<message to='bob@pbx.example' type='chat' "
                                      "from='alice@pbx.example/phone'><body>hi</body></message>")}},
      .complete = true,
      .count = 1};
  const auto stanzas = archive_query_answer(jid("alice@pbx.example/phone"), query_iq(""), "f27",
                                            ArchiveAnswer(page));
  ASSERT_EQ(stanzas.size(), 2U);
  EXPECT_EQ(xml::serialize(stanzas[0]),
            "<message from='alice@pbx.example' to='alice@pbx.example/phone'>"
            "<result xmlns='urn:xmpp:mam:2' queryid='f27' id='a1'>"
            "<forwarded xmlns='urn:xmpp:forward:0'>"
            "<delay xmlns='urn:xmpp:delay' stamp='2026-12-02T02:00:00Z'/>"
            "<message xmlns='jabber:client' to='bob@pbx.example' type='chat' "
            "from='alice@pbx.example/phone'><body>hi</body></message>"
            "</forwarded></result></message>");
  EXPECT_EQ(xml::serialize(stanzas[1]),
            "<iq to='alice@pbx.example/phone' id='q1' type='result'>"
            "<fin xmlns='urn:xmpp:mam:2' complete='true'>"
            "<set xmlns='http://jabber.org/protocol/rsm'><first>a1</first><last>a1</last>"
            "<count>1</count></set></fin></iq>");
}

TEST(MamQuery, AnEmptyIncompletePageHasOnlyACount) {
  const auto stanzas = archive_query_answer(jid("alice@pbx.example/phone"), query_iq(""), "",
                                            ArchiveAnswer(ArchivePage{.count = 3}));
  ASSERT_EQ(stanzas.size(), 1U);
  EXPECT_EQ(xml::serialize(stanzas[0]),
            "<iq to='alice@pbx.example/phone' id='q1' type='result'>"
            "<fin xmlns='urn:xmpp:mam:2'><set xmlns='http://jabber.org/protocol/rsm'>"
            "<count>3</count></set></fin></iq>");
}

TEST(MamQuery, NoPageIsAnsweredWithTheError) {
  const auto stanzas =
      archive_query_answer(jid("alice@pbx.example/phone"), query_iq(""), "f27",
                           ArchiveAnswer(std::unexpected(StanzaErrorCondition::item_not_found)));
  ASSERT_EQ(stanzas.size(), 1U);
  EXPECT_EQ(error_condition(xml::serialize(stanzas[0])), "item-not-found");
}

} // namespace
} // namespace starling::xmpp::im
