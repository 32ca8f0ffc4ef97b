// Tests of CommaList and ParamList iteration.
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "sip/comma_list.h"
#include "sip/param_list.h"

namespace starling::sip {
namespace {

std::vector<std::string_view> split(std::string_view v) {
  std::vector<std::string_view> out;
  for (std::string_view e : CommaList{v}) {
    out.push_back(e);
  }
  return out;
}

TEST(CommaList, SplitsOnlyAtTopLevelCommas) {
  EXPECT_EQ(split(R"("Doe, J" <sip:a@h;x=a,b>;p=1 ,  <sip:c@h>)"),
            (std::vector<std::string_view>{R"("Doe, J" <sip:a@h;x=a,b>;p=1)", "<sip:c@h>"}));
}

TEST(CommaList, KeepsEmptyElementsForTheValueParsersToReject) {
  EXPECT_EQ(split("a,,b"), (std::vector<std::string_view>{"a", "", "b"}));
}

TEST(CommaList, HandlesEscapedQuotes) {
  EXPECT_EQ(split(R"("a\",b" <sip:x@h>, c)").size(), 2U);
}

TEST(CommaList, KeepsCommasInsideQuotesAndAnglesAndEndsAtAnUnclosedQuote) {
  EXPECT_EQ(split(R"("x\\", <sip:a,b@h> , "\"," , d)"),
            (std::vector<std::string_view>{R"("x\\")", "<sip:a,b@h>", R"("\",")", "d"}));
  EXPECT_EQ(split(R"(a, "b, c)"), (std::vector<std::string_view>{"a", R"("b, c)"}));
  EXPECT_EQ(split(R"(a, "b\)"), (std::vector<std::string_view>{"a", R"("b\)"}));
}

TEST(ParamList, IteratesNamesAndValuesWithWhiteSpace) {
  const ParamList params{";  a = 1 ;b;\r\n c=\"q;v\""};
  std::vector<std::string_view> names;
  for (const Param& p : params) {
    names.push_back(p.name);
  }
  EXPECT_EQ(names, (std::vector<std::string_view>{"a", "b", "c"}));
  EXPECT_EQ(params.value_of("A"), "1");
  EXPECT_EQ(params.value_of("c"), "q;v");
  EXPECT_FALSE(params.find("b")->has_value);
  EXPECT_EQ(params.size(), 3U);
}

} // namespace
} // namespace starling::sip
