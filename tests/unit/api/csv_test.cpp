// CSV records: RFC 4180 quoting and formula neutralising.
#include <gtest/gtest.h>

#include "api/csv.h"

namespace starling::api {
namespace {

TEST(CsvRecord, JoinsPlainFieldsWithCommasAndEndsInCrLf) {
  EXPECT_EQ(csv_record({"c1", "alice", "201", ""}), "c1,alice,201,\r\n");
}

TEST(CsvRecord, QuotesFieldsWithCommasQuotesOrLineBreaksAndDoublesQuotes) {
  EXPECT_EQ(csv_record({"Meier, Anna", R"(say "hi")", "two\nlines", "cr\r"}),
            "\"Meier, Anna\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\"\r\n");
}

TEST(CsvRecord, KeepsFieldsThatASpreadsheetWouldRunAsFormulasText) {
  EXPECT_EQ(csv_record({"=HYPERLINK(\"http://x\")", "+41 44", "-1", "@SUM(A1)", "\tx", "a=b"}),
            "\"'=HYPERLINK(\"\"http://x\"\")\",'+41 44,'-1,'@SUM(A1),'\tx,a=b\r\n");
}

TEST(CsvRecord, QuotesAFormulaFieldThatAlsoNeedsQuotes) {
  EXPECT_EQ(csv_record({"=1,2"}), "\"'=1,2\"\r\n");
}

} // namespace
} // namespace starling::api
