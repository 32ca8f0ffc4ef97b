// Doctor check: each enabled SIP trunk's servers are found in DNS and one of them answers.
#pragma once

#include <vector>

#include "app/doctor/check_result.h"

namespace starling::app::doctor {

// One line per trunk; one line saying so when there are none.
std::vector<CheckResult> check_trunks(const Subject& subject);

} // namespace starling::app::doctor
