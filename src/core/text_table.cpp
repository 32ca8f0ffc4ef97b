// Aligned plain-text tables for command output, like `ps` or `ip` print them.
#include "core/text_table.h"

#include <algorithm>
#include <stdexcept>

namespace starling::core {
namespace {

// Counts code points, not bytes, so "–" or "é" in a cell do not skew the columns.
std::size_t display_width(const std::string& text) {
  return static_cast<std::size_t>(std::ranges::count_if(
      text, [](char c) { return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U; }));
}

} // namespace

TextTable::TextTable(std::vector<std::string> headings) : headings_(std::move(headings)) {}

void TextTable::add_row(std::vector<std::string> cells) {
  if (cells.size() != headings_.size()) {
    throw std::logic_error("table row has the wrong number of cells");
  }
  rows_.push_back(std::move(cells));
}

std::string TextTable::render() const {
  std::vector<std::size_t> widths(headings_.size());
  auto widen = [&widths](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      widths[i] = std::max(widths[i], display_width(cells[i]));
    }
  };
  widen(headings_);
  std::ranges::for_each(rows_, widen);

  std::string out;
  auto append = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      line += cells[i];
      if (i + 1 < cells.size()) {
        line.append(widths[i] - display_width(cells[i]) + 2, ' ');
      }
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + '\n';
  };
  append(headings_);
  std::ranges::for_each(rows_, append);
  return out;
}

} // namespace starling::core
