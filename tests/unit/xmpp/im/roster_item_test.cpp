// Roster items as elements, and the checks of a client's roster set (RFC 6121 §2.3.3).
#include <string>

#include <gtest/gtest.h>

#include "router_fixture.h"
#include "xmpp/im/roster_item.h"

namespace starling::xmpp::im {
namespace {

xml::Element query(std::string_view items) {
  return *stanza("<iq type='set' id='s'><query xmlns='jabber:iq:roster'>" + std::string(items) +
                 "</query></iq>")
              .child("jabber:iq:roster", "query");
}

TEST(RosterItemElement, RoundTripsEveryField) {
  const RosterItem item{.jid = jid("dave@example.org"),
                        .name = "Dave",
                        .subscription = Subscription::from,
                        .ask = true,
                        .groups = {"Friends", "Bowling"}};
  const auto element = to_element(item);
  EXPECT_EQ(xml::serialize(element),
            "<item xmlns='jabber:iq:roster' jid='dave@example.org' name='Dave' "
            "subscription='from' ask='subscribe'><group>Friends</group><group>Bowling</group>"
            "</item>");
  EXPECT_EQ(from_element(element), item);
}

TEST(RosterItemElement, RefusesStoredElementsThatAreNoItem) {
  EXPECT_FALSE(from_element(xml::Element("jabber:iq:roster", "item")));
  auto full = to_element(RosterItem{.jid = jid("dave@example.org")});
  full.set_attribute("jid", "dave@example.org/phone");
  EXPECT_FALSE(from_element(full));
  auto odd = to_element(RosterItem{.jid = jid("dave@example.org")});
  odd.set_attribute("subscription", "sometimes");
  EXPECT_FALSE(from_element(odd));
}

TEST(RosterSet, TakesTheJidNameAndGroups) {
  const auto request = parse_roster_set(
      query("<item jid='Dave@Example.org' name='Dave'><group>Friends</group></item>"));
  ASSERT_TRUE(request);
  EXPECT_EQ(request->jid.to_string(), "dave@example.org");
  EXPECT_EQ(request->name, "Dave");
  EXPECT_EQ(request->groups, std::vector<std::string>{"Friends"});
  EXPECT_FALSE(request->remove);
}

TEST(RosterSet, SubscriptionRemoveAsksForRemoval) {
  const auto request = parse_roster_set(query("<item jid='dave@example.org' "
                                              "subscription='remove'/>"));
  ASSERT_TRUE(request);
  EXPECT_TRUE(request->remove);
}

TEST(RosterSet, ClientsCannotSetSubscriptionOrAsk) {
  const auto request = parse_roster_set(query("<item jid='dave@example.org' "
                                              "subscription='both' ask='subscribe'/>"));
  ASSERT_TRUE(request);
  EXPECT_FALSE(request->remove);
}

TEST(RosterSet, RefusesWhatSection233Refuses) {
  using enum StanzaErrorCondition;
  const std::string long_name(kMaxRosterNameLength + 1, 'x');
  for (const auto& [items, condition] : std::vector<std::pair<std::string, StanzaErrorCondition>>{
           {"", bad_request},
           {"<item jid='a@example.org'/><item jid='b@example.org'/>", bad_request},
           {"<item/>", bad_request},
           {"<item jid='@@'/>", bad_request},
           {"<item jid='a@example.org/phone'/>", bad_request},
           {"<item jid='a@example.org'><group>g</group><group>g</group></item>", bad_request},
           {"<item jid='a@example.org'><group/></item>", not_acceptable},
           {"<item jid='a@example.org' name='" + long_name + "'/>", not_acceptable},
       }) {
    const auto request = parse_roster_set(query(items));
    ASSERT_FALSE(request) << items;
    EXPECT_EQ(request.error(), condition) << items;
  }
}

} // namespace
} // namespace starling::xmpp::im
