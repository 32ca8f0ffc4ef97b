// How doctor results are shown: aligned lines with hints for people, JSON for machines.
#pragma once

#include <string>
#include <vector>

#include "app/doctor/check_result.h"

namespace starling::app::doctor {

// "FAIL  ntp 127.0.0.1:123: no answer …" and, for warnings and failures, an indented hint line.
[[nodiscard]] std::string format_result(const CheckResult& result);

// {"ok": false, "failed": 1, "warnings": 2, "checks": [{"status": "fail", "check": …,
// "found": …, "hint": …}, …]}
[[nodiscard]] std::string format_json(const std::vector<CheckResult>& results);

} // namespace starling::app::doctor
