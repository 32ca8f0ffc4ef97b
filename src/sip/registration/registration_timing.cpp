// The arithmetic of registration refreshes and retries, apart from the client's state machine.
#include "sip/registration/registration_timing.h"

#include <algorithm>
#include <cstddef>

#include "sip/comma_list.h"
#include "sip/name_addr.h"
#include "sip/scalars.h"

namespace starling::sip {

std::optional<std::uint32_t> granted_expires(const Message& response, const Uri& contact) {
  // The 2xx lists every binding of the address-of-record, other devices' too (RFC 3261
  // §10.3 step 8); only ours tells how long we are registered.
  for (const HeaderField& field : response.headers()) {
    if (field.id != HeaderId::contact) {
      continue;
    }
    for (const std::string_view value : CommaList{field.value}) {
      const auto binding = parse_contact(value);
      if (binding && !binding->wildcard && uri_equivalent(binding->address.uri, contact)) {
        if (const auto expires = binding->expires()) {
          return expires;
        }
      }
    }
  }
  if (const HeaderField* expires = response.find(HeaderId::expires)) {
    if (const auto seconds = parse_delta_seconds(expires->value)) {
      return *seconds;
    }
  }
  return std::nullopt;
}

std::chrono::milliseconds refresh_delay(std::chrono::seconds granted) {
  const std::chrono::milliseconds ninety_percent = granted * 9 / 10;
  const std::chrono::milliseconds before_margin = granted - kRefreshMargin;
  return std::max(std::min(ninety_percent, before_margin),
                  std::chrono::milliseconds{kMinRefreshDelay});
}

std::chrono::milliseconds retry_delay(const RetryPolicy& policy, unsigned failures, double jitter) {
  // Doubling stops at max-time; 2^31 s is far beyond any max-time, so the shift cannot overflow.
  constexpr unsigned kMaxDoublings = 31;
  const auto doubled = policy.base_time * (std::int64_t{1} << std::min(failures, kMaxDoublings));
  const std::chrono::milliseconds wait = std::min(doubled, policy.max_time);
  const double fraction = 0.5 + (0.5 * std::clamp(jitter, 0.0, 1.0));
  return std::chrono::milliseconds{
      static_cast<std::int64_t>(static_cast<double>(wait.count()) * fraction)};
}

std::optional<std::chrono::seconds> retry_after(const Message& response) {
  const std::string_view value = response.value(HeaderId::retry_after);
  const std::size_t digits = value.find_first_not_of("0123456789");
  const auto seconds = parse_delta_seconds(value.substr(0, digits));
  if (!seconds) {
    return std::nullopt;
  }
  return std::chrono::seconds{*seconds};
}

} // namespace starling::sip
