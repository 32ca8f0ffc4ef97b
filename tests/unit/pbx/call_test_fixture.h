// A B2BUA on a test bench: call control with fake signalling that records what the phones
// would receive, a stepped clock, a real media relay on loopback and collected call records
// and events. The caller is alice-desk on 127.0.0.1:5062; bob's devices are the callees.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <gtest/gtest.h>

#include "core/clock.h"
#include "core/event_bus.h"
#include "core/metrics.h"
#include "media/media_relay.h"
#include "pbx/call_control.h"
#include "pbx/call_recorder.h"
#include "sip/dialog/signalling.h"
#include "sip/message.h"
#include "sip/transaction/manual_timer_service.h"
#include "sip/validation.h"

namespace starling::pbx::test {

// Starling's address as the fake advertises it: a documentation address, never contacted.
inline constexpr std::string_view kStarlingAddress = "192.0.2.1";
inline constexpr std::uint16_t kCallerPort = 5062;
inline constexpr std::uint16_t kDeskPort = 5070;           // bob-desk
inline constexpr std::uint16_t kSoftPort = 5071;           // bob-soft
inline constexpr std::uint16_t kProviderPort = 5080;       // the trunk's first server
inline constexpr std::uint16_t kProviderBackupPort = 5081; // and its second
inline constexpr std::uint16_t kCarrierPort = 5090;        // the "carrier" trunk's server
inline constexpr std::uint16_t kCallerRtpPort = 40000;
inline constexpr std::uint16_t kCalleeRtpPort = 40010;

// A request Starling sent, as the phone would parse it, with the handler for its responses.
struct SentRequest {
  sip::Message message;
  sip::Destination destination;
  sip::ResponseHandler on_response;

  [[nodiscard]] std::string_view method() const { return message.request_line().method; }
};

struct SentResponse {
  std::uint64_t transaction = 0;
  sip::Message message;
};

struct SentStateless {
  sip::Destination destination;
  sip::Message message;
};

class FakeSignalling final : public sip::Signalling {
public:
  std::expected<void, sip::RespondError> respond(sip::ServerTransactionHandle transaction,
                                                 std::string response) override;
  [[nodiscard]] const sip::Message*
  request(sip::ServerTransactionHandle transaction) const override;
  std::expected<sip::ClientTransactionHandle, sip::SendRequestError>
  send_request(std::string request, const sip::Destination& destination,
               sip::ResponseHandler on_response) override;
  void send_stateless(const sip::Destination& destination, std::string bytes) override;
  [[nodiscard]] std::vector<store::Binding> bindings_of(std::string_view aor) const override;
  [[nodiscard]] sip::Destination destination_of(const store::Binding& binding) const override;
  [[nodiscard]] std::string advertised_address(const sip::Destination& peer) const override;
  [[nodiscard]] std::string via(const sip::Destination& peer,
                                std::string_view branch) const override;
  [[nodiscard]] std::string contact(const sip::Destination& peer) const override;

  // The server transactions the test created, by id; respond() and request() find them here.
  std::map<std::uint64_t, sip::Message> live;
  // A deque: handlers send further requests while the test holds references to earlier ones.
  std::deque<SentRequest> requests;
  std::vector<SentResponse> responses;
  std::vector<SentStateless> stateless;
  std::unordered_map<std::string, std::vector<store::Binding>> bindings;
  bool refuse_requests = false; // send_request fails as an overloaded transaction layer does
};

// The trunks' servers, as DNS would give them: two for "provider", one for "carrier". Calls
// from the provider's first server come from the registered trunk.
class FakeTrunkGateway final : public TrunkGateway {
public:
  void locate(const store::Trunk& trunk, Located done) override {
    done(trunk.name == "carrier" ? std::vector<sip::Destination>{{0, "127.0.0.1", kCarrierPort}}
                                 : servers);
  }
  [[nodiscard]] std::optional<std::string>
  registered_trunk_at(const sip::Destination& source) const override {
    return source.port == kProviderPort ? std::optional<std::string>("provider") : std::nullopt;
  }

  std::vector<sip::Destination> servers{{0, "127.0.0.1", kProviderPort},
                                        {0, "127.0.0.1", kProviderBackupPort}};
};

class FakeCallRecorder final : public CallRecorder {
public:
  void record(store::CallLeg leg) override { legs.push_back(std::move(leg)); }
  std::vector<store::CallLeg> legs;
};

// What a test changes in a caller's INVITE.
struct InviteOptions {
  std::string dialled = "201";
  int max_forwards = 70;
  std::string extra_headers; // whole lines with CRLF
  std::optional<std::string> sdp;
};

class CallControlTest : public testing::Test {
protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite() { plan_.reset(); }
  CallControlTest();
  ~CallControlTest() override;
  CallControlTest(const CallControlTest&) = delete;
  CallControlTest& operator=(const CallControlTest&) = delete;
  CallControlTest(CallControlTest&&) = delete;
  CallControlTest& operator=(CallControlTest&&) = delete;

  // bob-desk, then bob-soft, registered from loopback over UDP.
  void register_bob(int devices);

  // The caller's side.
  sip::ServerTransactionHandle call(const InviteOptions& options = {});
  // A call the provider delivers for `did`, from its first server.
  sip::ServerTransactionHandle call_from_provider(std::string_view did);
  // A request within the caller's dialog; `extra_headers` are whole lines with CRLF.
  sip::ServerTransactionHandle caller_sends(std::string_view method, std::uint32_t cseq,
                                            std::string_view body = {},
                                            std::string_view extra_headers = {},
                                            std::string_view content_type = "application/sdp");
  void caller_acks(std::uint32_t cseq = 1, std::string_view sdp = {});
  void caller_cancels(sip::ServerTransactionHandle invite) { control_->on_cancel(invite); }

  // The callee's side: responses to `request`, and requests within the dialog of `fork`.
  void reply(SentRequest& request, std::uint16_t status, std::string_view reason,
             std::string_view sdp = {}, std::string_view to_tag = "bob-tag");
  void time_out(SentRequest& request) { request.on_response({nullptr, 408}); }
  sip::ServerTransactionHandle callee_sends(const SentRequest& fork, std::string_view method,
                                            std::uint32_t cseq, std::string_view sdp = {},
                                            std::string_view tag = "bob-tag");

  // One device rings, answers, and the caller acknowledges: a connected call.
  sip::ServerTransactionHandle connected_call();

  // What the phones received.
  std::vector<std::uint16_t> statuses(sip::ServerTransactionHandle transaction) const;
  const sip::Message& last_response(sip::ServerTransactionHandle transaction) const;
  std::vector<SentRequest*> sent(std::string_view method, std::uint16_t port);
  SentRequest& invite_to(std::uint16_t port);
  std::vector<const sip::Message*> acks_to(std::uint16_t port) const;
  std::string caller_to_tag() const; // Starling's tag in its responses to the caller

  // What Starling recorded and published.
  store::CallLeg record_of(std::string_view leg) const; // the latest record of that leg
  std::vector<CallState> states() const;

  static std::string caller_sdp(std::string_view direction = "sendrecv");
  static std::string callee_sdp(std::string_view direction = "sendrecv");

  static std::shared_ptr<const DialPlan> plan_;

  core::ManualClock clock_;
  sip::ManualTimerService timers_{clock_};
  core::MetricsRegistry metrics_;
  std::unique_ptr<media::MediaRelay> relay_;
  FakeSignalling signalling_;
  FakeCallRecorder recorder_;
  FakeTrunkGateway trunks_;
  DoNotDisturb do_not_disturb_;
  core::EventBus events_;
  std::vector<CallStateEvent> events_seen_;
  core::EventBus::Subscription subscription_;
  CallSettings settings_;
  std::unique_ptr<CallControl> control_;

  sip::Destination caller_{0, "127.0.0.1", kCallerPort};
  std::optional<sip::ServerTransactionHandle> invite_;

private:
  sip::ServerTransactionHandle deliver(std::string bytes, const sip::Destination& source);

  std::uint64_t next_transaction_ = 1000;
  int next_branch_ = 1;
};

// The SDP of a message: its connection address and first media port.
struct MediaLine {
  std::string address;
  std::uint16_t port = 0;
  std::string direction;
};
MediaLine media_line(const sip::Message& message);

// Helpers of the tests.
using Codes = std::vector<std::uint16_t>;
sip::ValidatedRequest parsed(const sip::Message& request);
sip::ValidatedResponse parsed_response(const sip::Message& response);
std::string branch_of(const sip::Message& request);
InviteOptions dialling(std::string number);
InviteOptions with_max_forwards(int hops);
InviteOptions with_headers(std::string lines);
void expect_ended(const store::CallLeg& leg, std::string_view cause, std::string_view side);

} // namespace starling::pbx::test
