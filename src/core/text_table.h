// Aligned plain-text tables for command output, like `ps` or `ip` print them.
#pragma once

#include <string>
#include <vector>

namespace starling::core {

class TextTable {
public:
  explicit TextTable(std::vector<std::string> headings);

  void add_row(std::vector<std::string> cells);
  [[nodiscard]] bool empty() const { return rows_.empty(); }
  // Columns padded to their widest cell, two spaces apart, no trailing blanks.
  [[nodiscard]] std::string render() const;

private:
  std::vector<std::string> headings_;
  std::vector<std::vector<std::string>> rows_;
};

} // namespace starling::core
