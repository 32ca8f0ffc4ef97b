// The numbering plans the routing tests dial in: Berlin and New York City.
#pragma once

#include <cstdlib>
#include <utility>

#include <gtest/gtest.h>

#include "pbx/numbering_plan.h"

namespace starling::pbx::testing {

inline NumberingPlanSettings berlin_settings() {
  return {.country_code = "49",
          .area_code = "30",
          .international_prefix = "00",
          .national_prefix = "0",
          .emergency_numbers = {"110", "112"},
          .max_internal_length = 4};
}

inline NumberingPlanSettings new_york_settings() {
  return {.country_code = "1",
          .area_code = "212",
          .international_prefix = "011",
          .national_prefix = "1",
          .emergency_numbers = {"911"},
          .max_internal_length = 4};
}

inline NumberingPlan make_plan(NumberingPlanSettings settings) {
  auto plan = NumberingPlan::create(std::move(settings));
  if (!plan) {
    ADD_FAILURE() << plan.error().message;
    std::abort();
  }
  return std::move(*plan);
}

inline NumberingPlan berlin() {
  return make_plan(berlin_settings());
}
inline NumberingPlan new_york() {
  return make_plan(new_york_settings());
}

} // namespace starling::pbx::testing
