// When a registration client refreshes and retries: the expiry a registrar granted, the refresh
// point before it, and the backoff after failures (RFC 3261 §10.2, RFC 5626 §4.5).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "sip/message.h"
#include "sip/uri.h"

namespace starling::sip {

// A refresh goes out this long before the binding runs out at the latest, so that a
// retransmitted REGISTER (Timer F: 32 s on UDP) still arrives in time.
inline constexpr std::chrono::seconds kRefreshMargin{30};
// Never refresh sooner than this: a registrar granting a second or two would otherwise make
// the trunk flood it.
inline constexpr std::chrono::seconds kMinRefreshDelay{5};

// RFC 5626 §4.5's base-time and max-time for retries after a failed registration.
struct RetryPolicy {
  std::chrono::seconds base_time{30};
  std::chrono::seconds max_time{std::chrono::minutes{30}};
};

// The expiry a 2xx to REGISTER granted `contact` (RFC 3261 §10.2.4): the expires parameter
// of the matching Contact, else the Expires header; nothing when it gives neither.
std::optional<std::uint32_t> granted_expires(const Message& response, const Uri& contact);

// When to refresh a binding granted for `granted`: at 90% of it or kRefreshMargin before its
// end, whichever is earlier, but not before kMinRefreshDelay.
std::chrono::milliseconds refresh_delay(std::chrono::seconds granted);

// RFC 5626 §4.5: wait-time = min(max-time, base-time * 2^consecutive-failures), of which a
// random 50–100% is waited so that trunks failing together do not retry together. `failures`
// counts the failures before this one (0 for the first); `jitter` is uniform in [0, 1].
std::chrono::milliseconds retry_delay(const RetryPolicy& policy, unsigned failures, double jitter);

// Retry-After = delta-seconds [ comment ] *( SEMI retry-param ) (RFC 3261 §20.33): the
// seconds, when the header is present and starts with them.
std::optional<std::chrono::seconds> retry_after(const Message& response);

} // namespace starling::sip
