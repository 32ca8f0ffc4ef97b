// Tests of inbound routes: which extension rings for a number a provider delivers.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "pbx/inbound_routes.h"
#include "routing_test_plans.h"

namespace starling::pbx {
namespace {

using testing::berlin;

InboundRoutes make_routes(std::vector<TrunkInboundSettings> trunks,
                          std::optional<std::string> global_default = std::nullopt) {
  auto routes = InboundRoutes::create(std::move(trunks), std::move(global_default), berlin());
  if (!routes) {
    ADD_FAILURE() << routes.error().message;
    std::abort();
  }
  return std::move(*routes);
}

// The office's block of 100 numbers reaches reception; a few have their own extension.
InboundRoutes office() {
  return make_routes({{.trunk = "carrier",
                       .dids = {{"+49301234500-+49301234599", "200"},
                                {"+4930123451X", "210"},
                                {"+49301234501", "201"}}}});
}

InboundDecision decision(const std::expected<InboundDecision, InboundRefusal>& routed) {
  EXPECT_TRUE(routed) << routed.error().sip_status << " " << routed.error().reason;
  return routed.value_or(InboundDecision{});
}

TEST(InboundRoutes, RoutesAnExactNumberToItsExtension) {
  const auto routed = decision(office().route("carrier", "+49301234501"));
  EXPECT_EQ(routed.target, "201");
  EXPECT_EQ(routed.called, "+49301234501");
  EXPECT_EQ(routed.matched_by, InboundMatch::number);
}

TEST(InboundRoutes, AcceptsTheCalledNumberInEveryProviderForm) {
  const auto routes = office();
  for (const std::string_view called :
       {"+49301234501", "0301234501", "49301234501", "0049301234501"}) {
    EXPECT_EQ(decision(routes.route("carrier", called)).target, "201") << called;
  }
}

TEST(InboundRoutes, ExactNumberWinsOverRangeAndPattern) {
  const auto routes = make_routes({{.trunk = "carrier",
                                    .dids = {{"+4930123450X", "pattern"},
                                             {"+49301234500-+49301234599", "range"},
                                             {"+49301234505", "number"}}}});
  EXPECT_EQ(decision(routes.route("carrier", "+49301234505")).target, "number");
}

TEST(InboundRoutes, RangeWinsOverPattern) {
  const auto routes = make_routes(
      {{.trunk = "carrier",
        .dids = {{"+4930123451X", "pattern"}, {"+49301234500-+49301234599", "range"}}}});
  const auto routed = decision(routes.route("carrier", "+49301234515"));
  EXPECT_EQ(routed.target, "range");
  EXPECT_EQ(routed.matched_by, InboundMatch::range);
}

TEST(InboundRoutes, NarrowerRangeWinsOverWiderRange) {
  const auto routes = make_routes(
      {{.trunk = "carrier",
        .dids = {{"+49301234500-+49301234599", "block"}, {"+49301234520-+49301234529", "sales"}}}});
  EXPECT_EQ(decision(routes.route("carrier", "+49301234525")).target, "sales");
  EXPECT_EQ(decision(routes.route("carrier", "+49301234535")).target, "block");
}

TEST(InboundRoutes, FirstListedPatternWinsAmongPatterns) {
  const auto routes = make_routes(
      {{.trunk = "carrier", .dids = {{"+4930123451.", "first"}, {"+4930123451X", "second"}}}});
  const auto routed = decision(routes.route("carrier", "+49301234515"));
  EXPECT_EQ(routed.target, "first");
  EXPECT_EQ(routed.matched_by, InboundMatch::pattern);
}

TEST(InboundRoutes, UsesThePatternWhereNoNumberOrRangeMatches) {
  const auto routes = make_routes(
      {{.trunk = "carrier", .dids = {{"+4930123460X", "support"}, {"+49301234501", "201"}}}});
  EXPECT_EQ(decision(routes.route("carrier", "+49301234607")).target, "support");
}

TEST(InboundRoutes, SendsUnknownNumbersToTheTrunksDefault) {
  auto routes = make_routes(
      {{.trunk = "carrier", .dids = {{"+49301234501", "201"}}, .default_target = "200"}}, "999");
  const auto routed = decision(routes.route("carrier", "+49309999999"));
  EXPECT_EQ(routed.target, "200");
  EXPECT_EQ(routed.matched_by, InboundMatch::trunk_default);
}

TEST(InboundRoutes, SendsUnknownNumbersToTheGlobalDefaultWhenTheTrunkHasNone) {
  auto routes = make_routes({{.trunk = "carrier", .dids = {{"+49301234501", "201"}}}}, "999");
  const auto routed = decision(routes.route("carrier", "+49309999999"));
  EXPECT_EQ(routed.target, "999");
  EXPECT_EQ(routed.matched_by, InboundMatch::global_default);
}

TEST(InboundRoutes, AnswersNotFoundForUnknownNumbersWithoutAnyDefault) {
  const auto routed = office().route("carrier", "+49309999999");
  ASSERT_FALSE(routed);
  EXPECT_EQ(routed.error().sip_status, 404);
  EXPECT_EQ(routed.error().reason, "the called number is not assigned");
}

TEST(InboundRoutes, DoesNotUseAnotherTrunksNumbers) {
  const auto routed = office().route("other-carrier", "+49301234501");
  ASSERT_FALSE(routed);
  EXPECT_EQ(routed.error().sip_status, 404);
}

TEST(InboundRoutes, RefusesJunkFromTheNetworkCleanly) {
  const auto routes = office();
  for (const std::string& junk :
       std::vector<std::string>{"", "alice", "+49 30 1234501", "0301234501;npdi",
                                std::string(1'000'000, '4'), std::string("\0\xff", 2)}) {
    const auto routed = routes.route("carrier", junk);
    ASSERT_FALSE(routed);
    EXPECT_EQ(routed.error().sip_status, 404);
    EXPECT_TRUE(routed.error().reason.starts_with("the called number is no number: "));
  }
}

TEST(InboundRoutes, SendsJunkToTheDefaultLikeAnUnknownNumber) {
  // Some providers put their account name in the Request-URI instead of the number.
  auto routes = make_routes({{.trunk = "carrier", .default_target = "200"}});
  const auto routed = decision(routes.route("carrier", "sipgate-1234567e0"));
  EXPECT_EQ(routed.target, "200");
  EXPECT_EQ(routed.called, "");
}

TEST(InboundRoutes, RefusesTheSameNumberTwiceOnATrunk) {
  const auto routes = InboundRoutes::create(
      {{.trunk = "carrier", .dids = {{"+49301234501", "201"}, {"0301234501", "202"}}}},
      std::nullopt, berlin());
  ASSERT_FALSE(routes);
  EXPECT_EQ(routes.error().message, "inbound routes of trunk 'carrier': DID '0301234501' is the "
                                    "same number as '+49301234501'");
}

TEST(InboundRoutes, RefusesADidWithoutATarget) {
  EXPECT_FALSE(InboundRoutes::create({{.trunk = "carrier", .dids = {{"+49301234501", ""}}}},
                                     std::nullopt, berlin()));
}

TEST(InboundRoutes, RefusesABadDidNamingTheTrunk) {
  const auto routes =
      InboundRoutes::create({{.trunk = "carrier", .dids = {{"+49301234599-+49301234500", "200"}}}},
                            std::nullopt, berlin());
  ASSERT_FALSE(routes);
  EXPECT_EQ(routes.error().message, "inbound routes of trunk 'carrier': DID "
                                    "'+49301234599-+49301234500': the range ends before it starts");
}

TEST(InboundRoutes, RefusesATrunkListedTwice) {
  EXPECT_FALSE(
      InboundRoutes::create({{.trunk = "carrier"}, {.trunk = "carrier"}}, std::nullopt, berlin()));
}

TEST(InboundRoutes, RefusesEmptyDefaultTargets) {
  EXPECT_FALSE(InboundRoutes::create({}, "", berlin()));
  EXPECT_FALSE(
      InboundRoutes::create({{.trunk = "carrier", .default_target = ""}}, std::nullopt, berlin()));
}

} // namespace
} // namespace starling::pbx
