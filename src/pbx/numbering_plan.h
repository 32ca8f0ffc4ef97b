// The numbering plan of the site: which dialled numbers are internal, local, national,
// international or emergency, and how they are written in E.164 and for a trunk.
#pragma once

#include <cstddef>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "pbx/call_class.h"
#include "pbx/dialled_number.h"
#include "pbx/routing_config_error.h"

namespace starling::pbx {

struct NumberingPlanSettings {
  std::string country_code;         // "49", "1"
  std::string area_code;            // "30", "212"; empty where there are no area codes
  std::string international_prefix; // "00", "011"
  std::string national_prefix;      // "0", "1"; empty where there is none
  std::vector<std::string> emergency_numbers{"110", "112"};
  // Numbers of at most this many characters (without a "+") are extensions and feature
  // codes, never public numbers: "201", "0" for the operator, "100" where the national
  // prefix is "1". Local numbers must be longer.
  std::size_t max_internal_length = 4;
};

// How a trunk wants numbers written (caller IDs, or numbers sent to the provider).
enum class NumberFormat {
  e164,          // "+4930123456"
  national,      // "030123456"; numbers of other countries fall back to international
  international, // "004930123456"
  digits,        // "4930123456": E.164 without the "+"
};

// Classification looks at the number's shape, in this order: emergency numbers; anything
// with * or # (feature codes) is internal; at most max_internal_length characters without a
// "+" is internal; then "+", the international prefix, the national prefix, and otherwise a
// local subscriber number (in the own area). External numbers are classed by destination.
class NumberingPlan {
public:
  static std::expected<NumberingPlan, RoutingConfigError> create(NumberingPlanSettings settings);

  [[nodiscard]] const NumberingPlanSettings& settings() const { return settings_; }

  [[nodiscard]] bool is_emergency(std::string_view dialled) const;

  [[nodiscard]] std::expected<CallClass, NumberError> classify(std::string_view dialled) const;

  // "0301234567", "1234567", "0049301234567" and "+49301234567" all give "+49301234567".
  // Internal and emergency numbers have no E.164 form (NumberProblem::not_external).
  [[nodiscard]] std::expected<std::string, NumberError> to_e164(std::string_view dialled) const;

  // A number a trunk delivered (a DID or a caller ID). Providers send E.164, the
  // international or national form, or E.164 without the "+"; never the local form, so
  // digits without a prefix are taken as country code and number ("49301234500").
  [[nodiscard]] std::expected<std::string, NumberError>
  received_to_e164(std::string_view received) const;

  // Writes an E.164 number as a trunk wants it.
  [[nodiscard]] std::expected<std::string, NumberError> format(std::string_view e164,
                                                               NumberFormat format) const;

private:
  explicit NumberingPlan(NumberingPlanSettings settings);

  [[nodiscard]] bool is_internal(std::string_view dialled) const;
  [[nodiscard]] CallClass destination_class(std::string_view e164) const;
  [[nodiscard]] std::expected<std::string, NumberError>
  prefixed_to_e164(std::string_view number) const;

  NumberingPlanSettings settings_;
  std::string own_country_; // "+49"
};

} // namespace starling::pbx
