// The UA side of registration (RFC 3261 §10.2) for one trunk: binds a Contact at a
// provider's registrar, answers its Digest challenges, refreshes before the binding runs out
// and retries with backoff when the provider refuses or does not answer.
//
// Use:
//   RegistrationClient trunk{{signalling, timers, clock, resolve_provider}, settings,
//                            [](const RegistrationStatus& s) { publish(s); }};
//   trunk.start();
//   ...
//   trunk.stop(); // unregisters (Expires: 0) when registered
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "sip/auth/digest_client.h"
#include "sip/dialog/signalling.h"
#include "sip/registration/registration_timing.h"
#include "sip/transaction/timer_service.h"
#include "sip/transaction/timer_slot.h"

namespace starling::sip {

// What providers expect of a trunk; RFC 3261 §10.2.1.1 leaves the choice to the UA.
inline constexpr std::chrono::seconds kDefaultRegistrationExpires{600};

enum class RegistrationState : std::uint8_t {
  unregistered, // not started, or stopped
  registering,  // a REGISTER is on its way and no binding is known to exist
  registered,   // the registrar accepted the binding; refreshes keep this state
  failing,      // the last attempt failed; retries follow, and it stays so until one succeeds
};

std::string_view to_string(RegistrationState state);

struct RegistrationStatus {
  RegistrationState state = RegistrationState::unregistered;
  // Why it is failing, for the operator: "403 Forbidden", "401 from provider: wrong
  // credentials", "no answer from 192.0.2.10:5060". Empty in the other states.
  std::string reason;
  // When registered: when the binding runs out unless refreshed (wall clock, for display).
  std::optional<std::chrono::system_clock::time_point> expires_at;

  friend bool operator==(const RegistrationStatus&, const RegistrationStatus&) = default;
};

// The registrar's destinations in the order to try them (RFC 3263 §4), or why there are none.
using DestinationList = std::expected<std::vector<Destination>, std::string>;
// Looks the registrar up and calls its argument once, now or later on the client's thread.
using DestinationResolver = std::function<void(std::function<void(DestinationList)>)>;
// Uniform in [0, 1]: the jitter of retry delays.
using JitterSource = std::function<double()>;

double uniform_jitter();

struct RegistrationSettings {
  std::string registrar; // the Request-URI: "sip:provider.example" (RFC 3261 §10.2)
  std::string aor;       // address-of-record, in From and To: "sip:user@provider.example"
  DigestClientCredentials credentials;
  // The Contact to bind, as a header value: "<sip:trunk1@198.51.100.7:5060>". Empty: the
  // one Signalling::contact() gives for the destination.
  std::string contact;
  std::chrono::seconds expires = kDefaultRegistrationExpires; // asked for; the registrar decides
  RetryPolicy retry;
};

// What the client works with; all must outlive it.
struct RegistrationServices {
  Signalling& signalling;
  TimerService& timers;
  const core::Clock& clock;
  DestinationResolver resolve;
  JitterSource jitter = uniform_jitter;
  CnonceSource cnonce = random_cnonce;
};

// Single-threaded: call it, and let its resolver and responses reach it, on one shard.
// Responses and resolutions that arrive after the client was destroyed are dropped.
class RegistrationClient {
public:
  // Called on every change of status(). It must not destroy the client.
  using Observer = std::function<void(const RegistrationStatus&)>;

  RegistrationClient(RegistrationServices services, RegistrationSettings settings,
                     Observer observer);
  RegistrationClient(const RegistrationClient&) = delete;
  RegistrationClient& operator=(const RegistrationClient&) = delete;
  RegistrationClient(RegistrationClient&&) = delete;
  RegistrationClient& operator=(RegistrationClient&&) = delete;
  ~RegistrationClient();

  // Registers, and keeps the registration up until stop(). Does nothing when started.
  void start();
  // Stops refreshing and retrying. With a binding in place (or a REGISTER that may create
  // one) it sends an unregister (Expires: 0, RFC 3261 §10.2.2) and answers one challenge to
  // it while the client lives; the status becomes unregistered at once.
  void stop();

  [[nodiscard]] const RegistrationStatus& status() const { return status_; }
  // The expiry asked for: the configured one, or the Min-Expires of a 423.
  [[nodiscard]] std::chrono::seconds requested_expires() const { return expires_; }

private:
  void begin_attempt();
  void on_destinations(DestinationList destinations);
  void send_register();
  void on_response(std::uint32_t cseq, const ClientResponse& response);
  void on_success(const Message& response);
  void on_challenge(const Message& response);
  void on_interval_too_brief(const Message& response);
  void on_unreachable(std::string_view what);
  void on_unregister_response(const ClientResponse& response);
  void fail(std::string reason, std::optional<std::chrono::seconds> retry_after = std::nullopt);
  void set_status(RegistrationStatus status);

  Signalling& signalling_;
  const core::Clock& clock_;
  DestinationResolver resolve_;
  JitterSource jitter_;
  RegistrationSettings settings_;
  Observer observer_;
  DigestClient digest_;
  TimerSlot timer_; // the refresh, or the retry after a failure

  // RFC 3261 §10.2.4: one Call-ID for all REGISTERs of this client, CSeq counting up.
  const std::string call_id_;
  const std::string from_tag_;
  std::uint32_t cseq_ = 0;
  std::chrono::seconds expires_;

  bool running_ = false;
  bool unregistering_ = false;
  std::vector<Destination> destinations_;
  std::size_t destination_index_ = 0;
  std::string contact_;                  // the Contact value of the REGISTERs sent
  std::optional<std::uint32_t> pending_; // CSeq of the REGISTER awaiting its final response
  // The pending REGISTER answers a challenge of its own transaction's predecessor, not a
  // remembered nonce: another challenge that is not stale means the credentials are wrong.
  bool answering_challenge_ = false;
  unsigned challenges_ = 0;      // within this attempt, against stale-nonce loops
  unsigned too_brief_ = 0;       // 423s within this attempt
  unsigned failures_ = 0;        // consecutive, for the backoff
  std::uint64_t resolution_ = 0; // answers to older look-ups are dropped
  RegistrationStatus status_;
  // Callbacks hold it weakly to find out whether the client still exists.
  std::shared_ptr<RegistrationClient*> self_;
};

} // namespace starling::sip
