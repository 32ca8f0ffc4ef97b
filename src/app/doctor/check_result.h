// What one doctor check found: pass, warn or fail, in words, with a hint when it failed.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "store/records.h"

namespace starling::app::doctor {

enum class CheckStatus { pass, warn, fail };

struct CheckResult {
  CheckStatus status = CheckStatus::pass;
  std::string check; // e.g. "ntp 127.0.0.1:1123"
  std::string found; // e.g. "offset +0.4 ms, round trip 0.2 ms"
  std::string hint;  // what to do; set for warnings and failures
};

// What the doctor examines: the effective configuration and what the store configures on top.
struct Subject {
  const core::Config& config;
  std::span<const store::Trunk> trunks;
};

// A group of checks; each returns one result per thing it checked.
struct Check {
  std::string_view title; // shown in the progress display
  std::vector<CheckResult> (*run)(const Subject& subject);
};

[[nodiscard]] constexpr std::string_view status_name(CheckStatus status) {
  switch (status) {
  case CheckStatus::pass:
    return "PASS";
  case CheckStatus::warn:
    return "WARN";
  case CheckStatus::fail:
    return "FAIL";
  }
  return "FAIL";
}

} // namespace starling::app::doctor
