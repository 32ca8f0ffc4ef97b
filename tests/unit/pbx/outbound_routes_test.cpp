// Tests of outbound routes: the trunk, the number sent and the refusals a caller gets.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "pbx/outbound_routes.h"
#include "routing_test_plans.h"

namespace starling::pbx {
namespace {

using testing::berlin;
using testing::new_york;

OutboundRule rule(std::string name, std::string_view pattern, std::vector<std::string> trunks) {
  auto parsed = DialPattern::parse(pattern);
  EXPECT_TRUE(parsed) << parsed.error().message;
  return OutboundRule{.name = std::move(name),
                      .pattern = parsed ? std::move(*parsed) : *DialPattern::parse("0"),
                      .trunks = std::move(trunks)};
}

OutboundRoutes make_routes(std::vector<OutboundRule> rules, NumberingPlan plan = berlin(),
                           std::vector<std::string> emergency_trunks = {}) {
  auto routes =
      OutboundRoutes::create(std::move(rules), std::move(emergency_trunks), std::move(plan));
  if (!routes) {
    ADD_FAILURE() << routes.error().message;
    std::abort();
  }
  return std::move(*routes);
}

// A Berlin office: everything starting with 0 goes to the carrier, with a backup trunk.
OutboundRoutes berlin_office() {
  return make_routes(
      {rule("external", "0.", {"carrier", "backup"}), rule("emergency", "11[02]", {"carrier"})});
}

OutboundDecision decision(const std::expected<OutboundDecision, OutboundRefusal>& routed) {
  EXPECT_TRUE(routed) << routed.error().sip_status << " " << routed.error().reason;
  return routed.value_or(OutboundDecision{});
}

OutboundRefusal refusal(const std::expected<OutboundDecision, OutboundRefusal>& routed) {
  EXPECT_FALSE(routed) << "routed by rule " << routed->rule << " as " << routed->number;
  return routed ? OutboundRefusal{} : routed.error();
}

TEST(OutboundRoutes, SendsANationalCallAsDialledToTheTrunksInOrder) {
  const auto routed = decision(berlin_office().route("08912345678", PermissionClass::national));
  EXPECT_EQ(routed.rule, "external");
  EXPECT_EQ(routed.number, "08912345678");
  EXPECT_EQ(routed.call_class, CallClass::national);
  EXPECT_EQ(routed.trunks, (std::vector<std::string>{"carrier", "backup"}));
}

TEST(OutboundRoutes, RefusesInternationalForUserWithNationalClass) {
  const auto refused = refusal(berlin_office().route("00442071234567", PermissionClass::national));
  EXPECT_EQ(refused.sip_status, 403);
  EXPECT_EQ(refused.reason, "international calls are not allowed for this user");
}

TEST(OutboundRoutes, RefusesLocalCallsForInternalOnlyUsers) {
  const auto refused = refusal(berlin_office().route("0301234567", PermissionClass::internal));
  EXPECT_EQ(refused.sip_status, 403);
  EXPECT_EQ(refused.reason, "local calls are not allowed for this user");
}

TEST(OutboundRoutes, AllowsInternationalForUserWithInternationalClass) {
  const auto routed =
      decision(berlin_office().route("00442071234567", PermissionClass::international));
  EXPECT_EQ(routed.call_class, CallClass::international);
}

TEST(OutboundRoutes, AnswersNotFoundWhenNoRuleMatches) {
  const auto refused = refusal(berlin_office().route("1234567", PermissionClass::international));
  EXPECT_EQ(refused.sip_status, 404);
  EXPECT_EQ(refused.reason, "no outbound route for this number");
}

TEST(OutboundRoutes, FirstMatchingRuleWins) {
  const auto routes = make_routes(
      {rule("mobile", "01[5-7].", {"mobile-gateway"}), rule("external", "0.", {"carrier"})});
  EXPECT_EQ(decision(routes.route("015112345678", PermissionClass::national)).rule, "mobile");
  EXPECT_EQ(decision(routes.route("08912345678", PermissionClass::national)).rule, "external");
}

TEST(OutboundRoutes, StripsAnOutsideLineDigitAndClassesTheNumberBehindIt) {
  auto outside_line = rule("outside line", "9.", {"carrier"});
  outside_line.strip = 1;
  const auto routes = make_routes({std::move(outside_line)});
  const auto routed = decision(routes.route("90301234567", PermissionClass::local));
  EXPECT_EQ(routed.number, "0301234567");
  EXPECT_EQ(routed.call_class, CallClass::local);
}

TEST(OutboundRoutes, PrependsWhatTheProviderNeedsAfterClassifying) {
  auto carrier_select = rule("cheap abroad", "00.", {"carrier"});
  carrier_select.prepend = "01013";
  const auto routes = make_routes({std::move(carrier_select)});
  const auto routed = decision(routes.route("00442071234567", PermissionClass::international));
  EXPECT_EQ(routed.number, "0101300442071234567");
  EXPECT_EQ(routed.call_class, CallClass::international);
  // The prefix starts with the national prefix, but the call stays international.
  EXPECT_EQ(refusal(routes.route("00442071234567", PermissionClass::national)).sip_status, 403);
}

TEST(OutboundRoutes, SendsTheNormalisedNumberWhenTheRuleAsksForE164) {
  auto e164 = rule("sip provider", "X.", {"provider"});
  e164.send_e164 = true;
  const auto routes = make_routes({std::move(e164)});
  EXPECT_EQ(decision(routes.route("0301234567", PermissionClass::local)).number, "+49301234567");
  EXPECT_EQ(decision(routes.route("1234567", PermissionClass::local)).number, "+49301234567");
  EXPECT_EQ(decision(routes.route("0044207123456", PermissionClass::international)).number,
            "+44207123456");
}

TEST(OutboundRoutes, SendsE164AfterStrippingTheOutsideLineDigit) {
  auto e164 = rule("outside line", "0.", {"provider"});
  e164.strip = 1;
  e164.send_e164 = true;
  const auto routes = make_routes({std::move(e164)}, new_york());
  const auto routed = decision(routes.route("014155551234", PermissionClass::national));
  EXPECT_EQ(routed.number, "+14155551234");
  EXPECT_EQ(routed.call_class, CallClass::national);
}

TEST(OutboundRoutes, RefusesAnInternalNumberOnAnE164Rule) {
  auto e164 = rule("anything", "!", {"provider"});
  e164.send_e164 = true;
  const auto refused =
      refusal(make_routes({std::move(e164)}).route("201", PermissionClass::international));
  EXPECT_EQ(refused.sip_status, 404);
  EXPECT_EQ(refused.reason, "outbound rule 'anything' sends E.164 numbers: an internal number or "
                            "feature code has no E.164 form");
}

TEST(OutboundRoutes, RoutesEmergencyCallsForUsersWithoutAnyOutsideClass) {
  const auto routed = decision(berlin_office().route("112", PermissionClass::internal));
  EXPECT_EQ(routed.rule, "emergency");
  EXPECT_EQ(routed.number, "112");
  EXPECT_EQ(routed.call_class, CallClass::emergency);
  EXPECT_EQ(routed.trunks, std::vector<std::string>{"carrier"});
}

TEST(OutboundRoutes, RoutesEmergencyCallsByTheFirstRuleThatMatchesThem) {
  const auto routes = make_routes({rule("all", "X.", {"carrier"})}, new_york());
  const auto routed = decision(routes.route("911", PermissionClass::internal));
  EXPECT_EQ(routed.rule, "all");
  EXPECT_EQ(routed.call_class, CallClass::emergency);
}

TEST(OutboundRoutes, RecognisesAnEmergencyNumberBehindAnOutsideLineDigit) {
  auto outside_line = rule("outside line", "0.", {"carrier"});
  outside_line.strip = 1;
  const auto routed =
      decision(make_routes({std::move(outside_line)}).route("0112", PermissionClass::internal));
  EXPECT_EQ(routed.number, "112");
  EXPECT_EQ(routed.call_class, CallClass::emergency);
}

TEST(OutboundRoutes, SendsEmergencyNumbersAsDialledOnAnE164Rule) {
  auto e164 = rule("all", "X.", {"provider"});
  e164.send_e164 = true;
  const auto routed =
      decision(make_routes({std::move(e164)}).route("110", PermissionClass::internal));
  EXPECT_EQ(routed.number, "110");
}

TEST(OutboundRoutes, SendsEmergencyCallsNoRuleMatchesToTheEmergencyTrunks) {
  const auto routes =
      make_routes({rule("external", "0.", {"carrier"})}, berlin(), {"emergency-line", "carrier"});
  const auto routed = decision(routes.route("112", PermissionClass::internal));
  EXPECT_EQ(routed.rule, kEmergencyFallbackRule);
  EXPECT_EQ(routed.number, "112");
  EXPECT_EQ(routed.call_class, CallClass::emergency);
  EXPECT_EQ(routed.trunks, (std::vector<std::string>{"emergency-line", "carrier"}));
}

TEST(OutboundRoutes, AnswersNotFoundForEmergencyCallsWhenNothingCanCarryThem) {
  const auto routes = make_routes({rule("external", "0.", {"carrier"})});
  EXPECT_EQ(refusal(routes.route("112", PermissionClass::international)).sip_status, 404);
}

TEST(OutboundRoutes, PassesOverARuleTheUserLacksTheClassFor) {
  auto premium = rule("premium", "0.", {"premium-carrier"});
  premium.minimum_class = PermissionClass::international;
  const auto routes = make_routes({std::move(premium), rule("standard", "0.", {"carrier"})});
  EXPECT_EQ(decision(routes.route("0301234567", PermissionClass::local)).rule, "standard");
  EXPECT_EQ(decision(routes.route("0301234567", PermissionClass::international)).rule, "premium");
}

TEST(OutboundRoutes, RefusesWhenOnlyRulesAboveTheUsersClassMatch) {
  auto premium = rule("premium", "0900.", {"carrier"});
  premium.minimum_class = PermissionClass::international;
  const auto refused =
      refusal(make_routes({std::move(premium)}).route("09001234567", PermissionClass::national));
  EXPECT_EQ(refused.sip_status, 403);
  EXPECT_EQ(refused.reason,
            "outbound rule 'premium' is for users of class international and above");
}

TEST(OutboundRoutes, IgnoresARulesMinimumClassForEmergencyCalls) {
  auto guarded = rule("guarded", "11[02]", {"carrier"});
  guarded.minimum_class = PermissionClass::international;
  const auto routed =
      decision(make_routes({std::move(guarded)}).route("110", PermissionClass::internal));
  EXPECT_EQ(routed.rule, "guarded");
}

TEST(OutboundRoutes, AsksForMoreDigitsWhenNothingWasDialled) {
  const auto refused = refusal(berlin_office().route("", PermissionClass::international));
  EXPECT_EQ(refused.sip_status, 484);
}

TEST(OutboundRoutes, RefusesJunkFromTheNetworkWithNotFound) {
  const auto routes = make_routes({rule("anything", "!", {"carrier"})});
  for (const std::string& junk :
       std::vector<std::string>{"alice", "0301234567;phone-context=x", "030%20123", "0301\r\n",
                                std::string(1, '\0'), "\xc3\xa9", "49+30", "--", "0x1F"}) {
    const auto refused = refusal(routes.route(junk, PermissionClass::international));
    EXPECT_EQ(refused.sip_status, 404) << junk;
    EXPECT_EQ(refused.reason.find(junk), std::string::npos) << "the reason repeats the input";
  }
}

TEST(OutboundRoutes, RefusesVeryLongInputCleanly) {
  const auto routes = make_routes({rule("anything", "!", {"carrier"})});
  const auto refused =
      refusal(routes.route(std::string(1'000'000, '0'), PermissionClass::international));
  EXPECT_EQ(refused.sip_status, 404);
  EXPECT_LT(refused.reason.size(), 100U);
}

TEST(OutboundRoutes, RefusesARuleWithoutTrunks) {
  const auto routes = OutboundRoutes::create({rule("nowhere", "0.", {})}, {}, berlin());
  ASSERT_FALSE(routes);
  EXPECT_EQ(routes.error().message, "outbound rule 'nowhere': no trunks to send the call to");
}

TEST(OutboundRoutes, RefusesARuleWithoutAName) {
  EXPECT_EQ(OutboundRoutes::create({rule("", "0.", {"carrier"})}, {}, berlin()).error().message,
            "outbound rule with pattern '0.': no name");
}

TEST(OutboundRoutes, RefusesAStripThatLeavesNothingToDial) {
  auto greedy = rule("greedy", "0X", {"carrier"});
  greedy.strip = 2;
  const auto routes = OutboundRoutes::create({std::move(greedy)}, {}, berlin());
  ASSERT_FALSE(routes);
  EXPECT_EQ(routes.error().message, "outbound rule 'greedy': strip 2 removes all of the shortest "
                                    "number that pattern '0X' matches (2 characters)");
}

TEST(OutboundRoutes, RefusesPrependTogetherWithE164) {
  auto both = rule("both", "0.", {"carrier"});
  both.prepend = "01013";
  both.send_e164 = true;
  EXPECT_FALSE(OutboundRoutes::create({std::move(both)}, {}, berlin()));
}

TEST(OutboundRoutes, RefusesAPrependThatCannotBeDialled) {
  auto bad = rule("bad", "0.", {"carrier"});
  bad.prepend = "tech:";
  EXPECT_FALSE(OutboundRoutes::create({std::move(bad)}, {}, berlin()));
}

TEST(OutboundRoutes, RefusesAnEmptyEmergencyTrunkName) {
  EXPECT_FALSE(OutboundRoutes::create({}, {""}, berlin()));
}

} // namespace
} // namespace starling::pbx
