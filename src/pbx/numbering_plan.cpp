// Classification and rewriting of numbers by the site's numbering plan.
#include "pbx/numbering_plan.h"

#include <algorithm>
#include <tuple>
#include <utility>

namespace starling::pbx {
namespace {

// ITU-T E.164: country codes have one to three digits and never start with 0.
constexpr std::size_t kMaxCountryCodeLength = 3;

bool all_digits(std::string_view text) {
  return std::ranges::all_of(text, is_digit);
}

std::unexpected<NumberError> number_error(NumberProblem problem, std::string message) {
  return std::unexpected(NumberError{problem, std::move(message)});
}

// "+" and 1 to 15 digits, the first not 0 (no country code starts with 0).
std::expected<std::string, NumberError> checked_e164(std::string e164) {
  const std::string_view digits = std::string_view(e164).substr(1);
  if (digits.empty()) {
    return number_error(NumberProblem::incomplete, "the number ends after its prefix");
  }
  if (!all_digits(digits)) {
    return number_error(NumberProblem::not_external, "* and # are not part of public numbers");
  }
  if (digits.front() == '0') {
    return number_error(NumberProblem::malformed, "no country code starts with 0");
  }
  if (digits.size() > kMaxE164Digits) {
    return number_error(NumberProblem::malformed, "an E.164 number has at most " +
                                                      std::to_string(kMaxE164Digits) + " digits");
  }
  return e164;
}

std::expected<void, RoutingConfigError> check_digits(std::string_view setting,
                                                     std::string_view value, bool may_be_empty) {
  if (value.empty() && !may_be_empty) {
    return std::unexpected(
        RoutingConfigError{"numbering plan: " + std::string(setting) + " must not be empty"});
  }
  if (!all_digits(value)) {
    return std::unexpected(RoutingConfigError{"numbering plan: " + std::string(setting) + " '" +
                                              std::string(value) + "' must be digits only"});
  }
  return {};
}

std::expected<void, RoutingConfigError> check_settings(const NumberingPlanSettings& settings) {
  for (const auto& [setting, value, may_be_empty] :
       {std::tuple{"country code", std::string_view(settings.country_code), false},
        std::tuple{"area code", std::string_view(settings.area_code), true},
        std::tuple{"international prefix", std::string_view(settings.international_prefix), false},
        std::tuple{"national prefix", std::string_view(settings.national_prefix), true}}) {
    if (auto checked = check_digits(setting, value, may_be_empty); !checked) {
      return checked;
    }
  }
  if (settings.country_code.size() > kMaxCountryCodeLength ||
      settings.country_code.front() == '0') {
    return std::unexpected(
        RoutingConfigError{"numbering plan: country code '" + settings.country_code +
                           "' is not one (they have 1 to 3 digits and do not start with 0)"});
  }
  for (const auto& number : settings.emergency_numbers) {
    if (auto checked = check_digits("emergency number", number, false); !checked) {
      return checked;
    }
  }
  return {};
}

} // namespace

std::expected<NumberingPlan, RoutingConfigError>
NumberingPlan::create(NumberingPlanSettings settings) {
  if (auto checked = check_settings(settings); !checked) {
    return std::unexpected(std::move(checked.error()));
  }
  return NumberingPlan(std::move(settings));
}

NumberingPlan::NumberingPlan(NumberingPlanSettings settings)
    : settings_(std::move(settings)), own_country_("+" + settings_.country_code) {}

bool NumberingPlan::is_emergency(std::string_view dialled) const {
  return std::ranges::find(settings_.emergency_numbers, dialled) !=
         settings_.emergency_numbers.end();
}

bool NumberingPlan::is_internal(std::string_view dialled) const {
  // Feature codes (*72, #31#) never reach the public network as such.
  if (dialled.find_first_of("*#") != std::string_view::npos) {
    return true;
  }
  return !dialled.starts_with('+') && dialled.size() <= settings_.max_internal_length;
}

std::expected<CallClass, NumberError> NumberingPlan::classify(std::string_view dialled) const {
  if (auto checked = check_dialled(dialled); !checked) {
    return std::unexpected(std::move(checked.error()));
  }
  if (is_emergency(dialled)) {
    return CallClass::emergency;
  }
  if (is_internal(dialled)) {
    return CallClass::internal;
  }
  auto e164 = prefixed_to_e164(dialled);
  if (!e164) {
    return std::unexpected(std::move(e164.error()));
  }
  return destination_class(*e164);
}

CallClass NumberingPlan::destination_class(std::string_view e164) const {
  if (!e164.starts_with(own_country_)) {
    return CallClass::international;
  }
  const std::string_view national_number = e164.substr(own_country_.size());
  if (!settings_.area_code.empty() && national_number.starts_with(settings_.area_code)) {
    return CallClass::local;
  }
  return CallClass::national;
}

std::expected<std::string, NumberError> NumberingPlan::to_e164(std::string_view dialled) const {
  if (auto checked = check_dialled(dialled); !checked) {
    return std::unexpected(std::move(checked.error()));
  }
  if (is_emergency(dialled)) {
    return number_error(NumberProblem::not_external,
                        "emergency numbers have no E.164 form; they are sent as dialled");
  }
  if (is_internal(dialled)) {
    return number_error(NumberProblem::not_external,
                        "an internal number or feature code has no E.164 form");
  }
  return prefixed_to_e164(dialled);
}

// The external forms, once emergency and internal numbers are ruled out. The international
// prefix is tried before the national one because in most plans ("00" and "0") it starts
// with it.
std::expected<std::string, NumberError>
NumberingPlan::prefixed_to_e164(std::string_view number) const {
  if (number.starts_with('+')) {
    return checked_e164(std::string(number));
  }
  if (number.starts_with(settings_.international_prefix)) {
    return checked_e164("+" + std::string(number.substr(settings_.international_prefix.size())));
  }
  if (!settings_.national_prefix.empty() && number.starts_with(settings_.national_prefix)) {
    const std::string_view national_number = number.substr(settings_.national_prefix.size());
    if (national_number.empty()) {
      return number_error(NumberProblem::incomplete, "the number ends after its prefix");
    }
    return checked_e164(own_country_ + std::string(national_number));
  }
  return checked_e164(own_country_ + settings_.area_code + std::string(number));
}

std::expected<std::string, NumberError>
NumberingPlan::received_to_e164(std::string_view received) const {
  if (auto checked = check_dialled(received); !checked) {
    return std::unexpected(std::move(checked.error()));
  }
  if (received.starts_with('+') || received.starts_with(settings_.international_prefix) ||
      (!settings_.national_prefix.empty() && received.starts_with(settings_.national_prefix))) {
    return prefixed_to_e164(received);
  }
  return checked_e164("+" + std::string(received));
}

std::expected<std::string, NumberError> NumberingPlan::format(std::string_view e164,
                                                              NumberFormat format) const {
  if (!e164.starts_with('+')) {
    return number_error(NumberProblem::malformed, "an E.164 number starts with +");
  }
  if (auto checked = check_dialled(e164); !checked) {
    return std::unexpected(std::move(checked.error()));
  }
  auto valid = checked_e164(std::string(e164));
  if (!valid) {
    return valid;
  }
  const std::string_view digits = e164.substr(1);
  switch (format) {
  case NumberFormat::e164:
    return valid;
  case NumberFormat::digits:
    return std::string(digits);
  case NumberFormat::national:
    if (e164.starts_with(own_country_)) {
      return settings_.national_prefix + std::string(e164.substr(own_country_.size()));
    }
    // A foreign number has no national form: the international one reaches it from here.
    break;
  case NumberFormat::international:
    break;
  }
  return settings_.international_prefix + std::string(digits);
}

} // namespace starling::pbx
