#include <gtest/gtest.h>

#include "core/text_table.h"

namespace starling::core {
namespace {

TEST(TextTable, PadsColumnsToTheWidestCellWithoutTrailingBlanks) {
  TextTable table({"NAME", "ROLE"});
  table.add_row({"alice", "admin"});
  table.add_row({"bo", ""});
  EXPECT_EQ(table.render(), "NAME   ROLE\nalice  admin\nbo\n");
}

TEST(TextTable, CountsMultiByteCharactersAsOneColumn) {
  TextTable table({"A", "B"});
  table.add_row({"é", "x"});
  EXPECT_EQ(table.render(), "A  B\né  x\n");
}

TEST(TextTable, RefusesRowsOfTheWrongWidth) {
  TextTable table({"A", "B"});
  EXPECT_THROW(table.add_row({"only one"}), std::logic_error);
}

} // namespace
} // namespace starling::core
