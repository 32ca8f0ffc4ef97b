// Tests of the numbering plan with German (Berlin) and North American (New York) settings.
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "pbx/numbering_plan.h"
#include "routing_test_plans.h"

namespace starling::pbx {
namespace {

using testing::berlin;
using testing::berlin_settings;
using testing::new_york;

CallClass class_of(const NumberingPlan& plan, std::string_view dialled) {
  const auto call_class = plan.classify(dialled);
  EXPECT_TRUE(call_class) << dialled << ": " << call_class.error().message;
  return call_class.value_or(CallClass::internal);
}

std::string e164_of(const NumberingPlan& plan, std::string_view dialled) {
  const auto e164 = plan.to_e164(dialled);
  EXPECT_TRUE(e164) << dialled << ": " << e164.error().message;
  return e164.value_or("");
}

TEST(NumberingPlan, ClassifiesBerlinNumbersByWhereTheyLead) {
  const auto plan = berlin();
  EXPECT_EQ(class_of(plan, "201"), CallClass::internal);
  EXPECT_EQ(class_of(plan, "1234567"), CallClass::local);
  EXPECT_EQ(class_of(plan, "0301234567"), CallClass::local);
  EXPECT_EQ(class_of(plan, "+49301234567"), CallClass::local);
  EXPECT_EQ(class_of(plan, "08912345678"), CallClass::national);
  EXPECT_EQ(class_of(plan, "0049891234567"), CallClass::national);
  EXPECT_EQ(class_of(plan, "00442071234567"), CallClass::international);
  EXPECT_EQ(class_of(plan, "+12125551234"), CallClass::international);
  EXPECT_EQ(class_of(plan, "112"), CallClass::emergency);
  EXPECT_EQ(class_of(plan, "110"), CallClass::emergency);
}

TEST(NumberingPlan, ClassifiesNewYorkNumbersByWhereTheyLead) {
  const auto plan = new_york();
  EXPECT_EQ(class_of(plan, "100"), CallClass::internal);
  EXPECT_EQ(class_of(plan, "5551234"), CallClass::local);
  EXPECT_EQ(class_of(plan, "12125551234"), CallClass::local);
  EXPECT_EQ(class_of(plan, "14155551234"), CallClass::national);
  EXPECT_EQ(class_of(plan, "+14155551234"), CallClass::national);
  EXPECT_EQ(class_of(plan, "01149301234567"), CallClass::international);
  EXPECT_EQ(class_of(plan, "911"), CallClass::emergency);
  EXPECT_EQ(class_of(plan, "112"), CallClass::internal);
}

TEST(NumberingPlan, TreatsShortNumbersAsExtensionsUpToTheConfiguredLength) {
  auto settings = berlin_settings();
  settings.max_internal_length = 3;
  const auto plan = testing::make_plan(settings);
  EXPECT_EQ(class_of(plan, "201"), CallClass::internal);
  EXPECT_EQ(class_of(plan, "0"), CallClass::internal);
  EXPECT_EQ(class_of(plan, "2011"), CallClass::local);
}

TEST(NumberingPlan, TreatsFeatureCodesAsInternal) {
  const auto plan = berlin();
  EXPECT_EQ(class_of(plan, "*72*0301234567#"), CallClass::internal);
  EXPECT_EQ(class_of(plan, "#31#"), CallClass::internal);
}

TEST(NumberingPlan, UsesConfiguredEmergencyNumbers) {
  auto settings = berlin_settings();
  settings.emergency_numbers = {"112", "911"};
  const auto plan = testing::make_plan(settings);
  EXPECT_EQ(class_of(plan, "911"), CallClass::emergency);
  EXPECT_EQ(class_of(plan, "110"), CallClass::internal);
}

TEST(NumberingPlan, WithoutAnAreaCodeEveryDomesticNumberIsNational) {
  auto settings = berlin_settings();
  settings.area_code.clear();
  const auto plan = testing::make_plan(settings);
  EXPECT_EQ(class_of(plan, "0301234567"), CallClass::national);
  EXPECT_EQ(e164_of(plan, "301234567"), "+49301234567");
}

TEST(NumberingPlan, RefusesToClassifyJunk) {
  const auto plan = berlin();
  EXPECT_EQ(plan.classify("").error().problem, NumberProblem::empty);
  EXPECT_EQ(plan.classify("bob").error().problem, NumberProblem::not_dialable);
  EXPECT_EQ(plan.classify(std::string(5000, '0')).error().problem, NumberProblem::too_long);
  EXPECT_EQ(plan.classify("000000").error().problem, NumberProblem::malformed);
}

TEST(NumberingPlan, NormalisesEveryBerlinFormToE164) {
  const auto plan = berlin();
  EXPECT_EQ(e164_of(plan, "0301234567"), "+49301234567");
  EXPECT_EQ(e164_of(plan, "1234567"), "+49301234567");
  EXPECT_EQ(e164_of(plan, "0049301234567"), "+49301234567");
  EXPECT_EQ(e164_of(plan, "+49301234567"), "+49301234567");
  EXPECT_EQ(e164_of(plan, "00442071234567"), "+442071234567");
}

TEST(NumberingPlan, NormalisesEveryNewYorkFormToE164) {
  const auto plan = new_york();
  EXPECT_EQ(e164_of(plan, "5551234"), "+12125551234");
  EXPECT_EQ(e164_of(plan, "14155551234"), "+14155551234");
  EXPECT_EQ(e164_of(plan, "01149301234567"), "+49301234567");
}

TEST(NumberingPlan, HasNoE164FormForInternalAndEmergencyNumbers) {
  const auto plan = berlin();
  EXPECT_EQ(plan.to_e164("201").error().problem, NumberProblem::not_external);
  EXPECT_EQ(plan.to_e164("112").error().problem, NumberProblem::not_external);
  EXPECT_EQ(plan.to_e164("*31#0301234567").error().problem, NumberProblem::not_external);
}

TEST(NumberingPlan, RefusesNumbersThatAreNoE164Number) {
  const auto plan = berlin();
  EXPECT_EQ(plan.to_e164("+").error().problem, NumberProblem::incomplete);
  EXPECT_EQ(plan.to_e164("00000").error().problem, NumberProblem::malformed);
  EXPECT_EQ(plan.to_e164("+4930123456789012").error().problem, NumberProblem::malformed);
}

TEST(NumberingPlan, NormalisesNumbersReceivedFromATrunkInAnyProviderForm) {
  const auto plan = berlin();
  for (const std::string_view received :
       {"+49301234500", "0301234500", "0049301234500", "49301234500"}) {
    const auto e164 = plan.received_to_e164(received);
    ASSERT_TRUE(e164) << received << ": " << e164.error().message;
    EXPECT_EQ(*e164, "+49301234500") << received;
  }
  EXPECT_EQ(*new_york().received_to_e164("12125551234"), "+12125551234");
}

TEST(NumberingPlan, RefusesReceivedNumbersThatAreNoNumbers) {
  const auto plan = berlin();
  EXPECT_FALSE(plan.received_to_e164("anonymous"));
  EXPECT_FALSE(plan.received_to_e164(""));
  EXPECT_FALSE(plan.received_to_e164("+49*30"));
}

TEST(NumberingPlan, FormatsE164ForEachCallerIdFormat) {
  const auto plan = berlin();
  EXPECT_EQ(*plan.format("+4930123456", NumberFormat::e164), "+4930123456");
  EXPECT_EQ(*plan.format("+4930123456", NumberFormat::national), "030123456");
  EXPECT_EQ(*plan.format("+4930123456", NumberFormat::international), "004930123456");
  EXPECT_EQ(*plan.format("+4930123456", NumberFormat::digits), "4930123456");
}

TEST(NumberingPlan, FormatsForeignNumbersInternationallyWhenNationalIsAsked) {
  EXPECT_EQ(*berlin().format("+442071234567", NumberFormat::national), "00442071234567");
  EXPECT_EQ(*new_york().format("+12125551234", NumberFormat::national), "12125551234");
  EXPECT_EQ(*new_york().format("+49301234567", NumberFormat::national), "01149301234567");
}

TEST(NumberingPlan, RefusesToFormatWhatIsNotE164) {
  const auto plan = berlin();
  EXPECT_FALSE(plan.format("030123456", NumberFormat::e164));
  EXPECT_FALSE(plan.format("+", NumberFormat::digits));
  EXPECT_FALSE(plan.format("+49 30", NumberFormat::digits));
  EXPECT_FALSE(plan.format("", NumberFormat::national));
}

TEST(NumberingPlan, RefusesSettingsThatAreNotDigits) {
  auto settings = berlin_settings();
  settings.area_code = "3O";
  const auto plan = NumberingPlan::create(settings);
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().message, "numbering plan: area code '3O' must be digits only");
}

TEST(NumberingPlan, RefusesAMissingCountryCodeOrInternationalPrefix) {
  auto no_country = berlin_settings();
  no_country.country_code.clear();
  EXPECT_EQ(NumberingPlan::create(no_country).error().message,
            "numbering plan: country code must not be empty");
  auto no_prefix = berlin_settings();
  no_prefix.international_prefix.clear();
  EXPECT_FALSE(NumberingPlan::create(no_prefix));
}

TEST(NumberingPlan, RefusesACountryCodeThatCannotExist) {
  auto settings = berlin_settings();
  settings.country_code = "0049";
  EXPECT_FALSE(NumberingPlan::create(settings));
}

TEST(NumberingPlan, RefusesEmergencyNumbersThatCannotBeDialled) {
  auto settings = berlin_settings();
  settings.emergency_numbers = {"112", ""};
  EXPECT_FALSE(NumberingPlan::create(settings));
}

} // namespace
} // namespace starling::pbx
