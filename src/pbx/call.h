// One call through the B2BUA: the caller's leg (a), the INVITEs forked to every contact of
// the callee (b1, b2 …), the leg that answered, and the media relay between them.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/event_bus.h"
#include "core/metrics.h"
#include "media/media_relay.h"
#include "pbx/call_event.h"
#include "pbx/call_recorder.h"
#include "pbx/hangup.h"
#include "pbx/media_session.h"
#include "pbx/response_retransmitter.h"
#include "sip/auth/digest_client.h"
#include "sip/dialog/dialog.h"
#include "sip/dialog/signalling.h"
#include "sip/transaction/timer_slot.h"

namespace starling::pbx {

struct CallSettings {
  std::chrono::seconds no_answer_timeout{60};
  std::chrono::seconds session_expires{1800};
  std::chrono::seconds min_session_expires{90};
  std::chrono::seconds media_timeout{60};
  sip::TimerSettings timers;
};

// What every call uses; owned by CallControl's creator and outliving the calls.
struct CallServices {
  sip::Signalling& signalling;
  sip::TimerService& timers;
  media::MediaRelay& relay;
  CallRecorder& recorder;
  core::EventBus& events;
  const core::Clock& clock;
  CallSettings settings;
};

// How a call tells CallControl which dialogs are its own and when it is over.
class CallRegistry {
public:
  CallRegistry() = default;
  CallRegistry(const CallRegistry&) = delete;
  CallRegistry& operator=(const CallRegistry&) = delete;
  CallRegistry(CallRegistry&&) = delete;
  CallRegistry& operator=(CallRegistry&&) = delete;
  virtual ~CallRegistry() = default;

  // Requests with this Call-ID and To tag belong to the call's `side`.
  virtual void add_dialog(std::string key, std::uint64_t call, media::Side side) = 0;
  virtual void remove_dialog(const std::string& key) = 0;
  // The call ended and no answer it waits for can still arrive: destroy it soon.
  virtual void retire(std::uint64_t call) = 0;
};

// Call-ID and tag joined, the key of CallRegistry::add_dialog.
std::string dialog_key(std::string_view call_id, std::string_view local_tag);

// How a call goes out through one trunk: what its INVITE needs besides the SDP.
struct TrunkRoute {
  std::string trunk;
  std::string request_uri; // sip:+4930123456@sip.provider.example
  std::string from;        // <sip:4930123400@sip.provider.example>, without tag
  std::string to;          // <sip:+4930123456@sip.provider.example>
  std::vector<std::pair<std::string, std::string>> headers; // P-Asserted-Identity …
  std::vector<std::string> codecs;            // the trunk's preference, first in the offer
  sip::DigestClientCredentials credentials;   // for the provider's 401/407
  std::vector<sip::Destination> destinations; // in the order RFC 3263 gives them
};

// A callee contact to ring, or a trunk to send the call out on.
struct CallTarget {
  std::string device; // auth name (AOR), or the trunk's name
  store::Binding binding;
  std::optional<TrunkRoute> trunk;
};

class Call : public std::enable_shared_from_this<Call> {
public:
  // The caller's INVITE, already authenticated as `caller`; `callee` is the dialled string.
  Call(CallServices& services, CallRegistry& registry, std::uint64_t number,
       sip::ServerTransactionHandle invite, const sip::IncomingRequest& request, std::string caller,
       std::string callee);
  Call(const Call&) = delete;
  Call& operator=(const Call&) = delete;
  Call(Call&&) = delete;
  Call& operator=(Call&&) = delete;
  ~Call();

  // Sends 100 and forks the INVITE to `targets`; none means 480 at once. Devices ring all at
  // once; trunks are tried one after the other (failover), each server of a trunk in turn.
  void start(const sip::IncomingRequest& request, std::vector<CallTarget> targets,
             std::optional<std::chrono::seconds> session_interval);

  void on_cancel();
  // The ACK of our 2xx; for a call without an offer in its INVITE it carries the answer.
  void on_ack(media::Side side, const sip::Message& ack);
  void on_dialog_request(media::Side side, sip::ServerTransactionHandle transaction,
                         const sip::IncomingRequest& request);
  // Starling is stopping: both legs get BYE.
  void hang_up(std::string_view cause);

  [[nodiscard]] std::uint64_t number() const { return number_; }
  [[nodiscard]] const std::string& id() const { return id_; }
  [[nodiscard]] sip::ServerTransactionHandle invite() const { return invite_; }
  [[nodiscard]] CallState state() const { return state_; }

private:
  struct Fork {
    CallTarget target;
    std::string leg; // "b1", "b2" …
    sip::Destination destination;
    std::string request_uri;
    std::string from; // without the tag, which all forks share
    std::string to;
    std::string via;
    std::vector<std::string> route;
    std::uint32_t cseq = 1;                // of the INVITE in flight, which a CANCEL repeats
    std::string offer;                     // the SDP sent in its INVITE
    bool started = false;                  // a trunk waits until the ones before it failed
    std::size_t next_destination = 1;      // of a trunk's destinations, the next to try
    std::optional<sip::DigestClient> auth; // answers a trunk provider's challenges
    std::optional<sip::AuthorizationHeader> authorization;
    unsigned challenges = 0;  // answered so far; a second is only answered when stale
    bool provisional = false; // a 1xx arrived: CANCEL may go (RFC 3261 §9.1)
    bool cancel_wanted = false;
    bool done = false;
    store::UnixTime started_at = 0;
    std::uint16_t final_code = 0;
    std::string final_reason;
  };
  // A leg once its dialog exists.
  struct Leg {
    sip::Dialog dialog;
    sip::Destination destination;
    std::string last_sdp;          // the last SDP Starling sent on this leg
    std::uint32_t invite_cseq = 1; // of the INVITE that made the dialog, which its ACK repeats
  };
  // A re-INVITE or UPDATE from one side, passed to the other and not answered yet.
  struct PendingRequest {
    media::Side from = media::Side::a;
    sip::ServerTransactionHandle transaction;
    sip::Method method = sip::Method::invite;
  };

  // Setting up.
  // Request line, Via, Route, From, To, Call-ID and CSeq of a fork's INVITE, which its
  // CANCEL repeats (RFC 3261 §9.1).
  [[nodiscard]] sip::RequestBuilder fork_request(const Fork& fork, std::string_view method) const;
  void send_fork(std::size_t index, std::string_view offer);
  // The caller's SDP with the relay's address, as the fork's destination should see it;
  // nothing (and the call failed) when the relay cannot take it.
  std::optional<std::string> offer_for(std::size_t index);
  // RFC 3261 §22.2: a trunk's INVITE again with credentials for the provider's challenge.
  bool answer_challenge(std::size_t index, const sip::Message& response);
  // A trunk's INVITE that failed goes to the trunk's next server (RFC 3263 §4.3) or out on
  // the next trunk; false when there is neither.
  bool fail_over(std::size_t index, std::uint16_t status);
  void on_fork_response(std::size_t index, const sip::ClientResponse& response);
  void on_fork_provisional(std::size_t index, const sip::Message& response);
  void on_fork_answer(std::size_t index, const sip::Message& response);
  void on_fork_failure(std::size_t index, std::uint16_t status, std::string_view reason);
  void send_cancel(Fork& fork);
  void cancel_other_forks(std::size_t winner);
  void send_provisional_to_caller(std::uint16_t status, std::string_view reason,
                                  std::string_view sdp);
  void answer_caller(std::string_view sdp);
  void fail_attempt(FinalStatus status, std::string_view cause, std::string_view side);
  void ack_and_bye_late_answer(std::size_t index, const sip::Message& response);

  // Within the dialogs.
  void on_bye(media::Side side, sip::ServerTransactionHandle transaction,
              const sip::IncomingRequest& request);
  void on_offer(media::Side side, sip::ServerTransactionHandle transaction,
                const sip::IncomingRequest& request);
  void on_offer_response(const sip::ClientResponse& response);
  void on_prack(sip::ServerTransactionHandle transaction, const sip::IncomingRequest& request);
  void pass_through(media::Side side, sip::ServerTransactionHandle transaction,
                    const sip::IncomingRequest& request);

  // Helpers.
  Leg& leg(media::Side side) { return side == media::Side::a ? *a_ : *b_; }
  [[nodiscard]] bool has_leg(media::Side side) const {
    return side == media::Side::a ? a_.has_value() : b_.has_value();
  }
  using Headers = std::vector<std::pair<std::string_view, std::string>>;
  // A request within the leg's dialog with Via, Max-Forwards and (for offers) Contact.
  std::string new_request(Leg& leg, std::string_view method, const Headers& headers = {},
                          std::string_view body = {},
                          std::string_view content_type = "application/sdp") const;
  // A 200 to the INVITE or UPDATE `request` from `side`, with Contact, Allow, the session
  // timer towards the caller, and `sdp` when not empty.
  [[nodiscard]] std::string ok_response(const sip::Message& request, std::string_view to_tag,
                                        media::Side side, std::string_view sdp) const;
  [[nodiscard]] std::string new_ack(const Leg& leg, std::uint32_t cseq,
                                    std::string_view sdp = {}) const;
  void send_bye(media::Side side);
  void respond(sip::ServerTransactionHandle transaction, std::uint16_t status,
               std::string_view reason, const Headers& headers = {}, std::string_view body = {});
  void answer_with_sdp(media::Side side, sip::ServerTransactionHandle transaction,
                       std::string_view sdp);
  // The Session-Expires value for the caller (RFC 4028), or empty without session timer.
  [[nodiscard]] std::string session_expires() const;
  void restart_session_timer();
  void check_media();
  void set_state(CallState state);
  void end(std::string_view cause, std::string_view side);
  void record_legs();
  [[nodiscard]] store::UnixTime now() const;
  void maybe_retire();

  CallServices& services_;
  CallRegistry& registry_;
  std::uint64_t number_;
  std::string id_;
  std::string caller_;
  std::string callee_;

  // The caller's INVITE.
  sip::ServerTransactionHandle invite_;
  sip::Destination caller_destination_;
  std::string caller_call_id_;
  std::string caller_tag_; // our To tag towards the caller
  std::string offer_;      // the caller's SDP
  // RFC 3261 §13.2.1: an INVITE without SDP; the callee's 2xx then carries the offer and
  // the caller's ACK the answer, so the callee's ACK waits for the caller's.
  bool late_offer_ = false;
  bool callee_ack_waits_ = false;
  std::uint32_t max_forwards_ = 70;
  bool caller_requires_100rel_ = false;
  bool caller_supports_timer_ = false;
  std::optional<std::chrono::seconds> session_interval_;
  std::uint32_t rseq_ = 0;
  bool ringing_sent_ = false;

  // The callee side: one Call-ID and From tag shared by every fork.
  std::string callee_call_id_;
  std::string callee_tag_;
  std::string callee_from_; // the caller's From with callee_tag_
  std::string callee_to_;   // the caller's To, without tag
  std::vector<Fork> forks_;
  std::optional<std::size_t> winner_;

  std::optional<Leg> a_;
  std::optional<Leg> b_;
  std::optional<PendingRequest> pending_;
  std::uint32_t pending_cseq_ = 0; // of the re-INVITE sent for pending_

  MediaSession media_;
  CallState state_ = CallState::ringing;
  bool ended_ = false;
  std::string hangup_cause_;
  std::string hangup_side_;
  store::UnixTime started_at_ = 0;
  store::UnixTime answered_at_ = 0;
  store::UnixTime ended_at_ = 0;

  ResponseRetransmitter caller_ok_;   // 2xx to the caller's INVITE until the ACK
  ResponseRetransmitter callee_ok_;   // 2xx to the callee's re-INVITE until the ACK
  ResponseRetransmitter provisional_; // reliable 1xx until the PRACK
  std::string provisional_response_;
  sip::TimerSlot no_answer_timer_;
  sip::TimerSlot session_timer_;
  sip::TimerSlot media_timer_;
  sip::TimerSlot retire_timer_;
};

} // namespace starling::pbx
