// How doctor results are shown: aligned lines with hints for people, JSON for machines.
#include "app/doctor/report.h"

#include <algorithm>
#include <cctype>

#include <boost/json.hpp>
#include <fmt/format.h>

namespace starling::app::doctor {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::ranges::transform(out, out.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

} // namespace

std::string format_result(const CheckResult& result) {
  std::string out =
      fmt::format("{}  {}: {}\n", status_name(result.status), result.check, result.found);
  if (result.status != CheckStatus::pass && !result.hint.empty()) {
    out += fmt::format("      hint: {}\n", result.hint);
  }
  return out;
}

std::string format_json(const std::vector<CheckResult>& results) {
  boost::json::array checks;
  std::size_t failed = 0;
  std::size_t warnings = 0;
  for (const auto& result : results) {
    failed += result.status == CheckStatus::fail ? 1 : 0;
    warnings += result.status == CheckStatus::warn ? 1 : 0;
    boost::json::object check{{"status", lower(status_name(result.status))},
                              {"check", result.check},
                              {"found", result.found}};
    if (!result.hint.empty()) {
      check["hint"] = result.hint;
    }
    checks.push_back(std::move(check));
  }
  const boost::json::object report{
      {"ok", failed == 0}, {"failed", failed}, {"warnings", warnings}, {"checks", checks}};
  return boost::json::serialize(report) + "\n";
}

} // namespace starling::app::doctor
