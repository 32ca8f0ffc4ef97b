// The B2BUA test bench: fake signalling, phones' messages, records and events.
#include "call_test_fixture.h"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>
#include <unistd.h>

#include "loopback_relay.h"
#include "media/sdp.h"
#include "sip/parser.h"
#include "sip/response_builder.h"
#include "sip/validation.h"
#include "store/open_store.h"

namespace starling::pbx::test {
namespace {

sip::Message parse_or_fail(std::string_view bytes) {
  auto message = sip::parse_message(bytes);
  if (!message) {
    ADD_FAILURE() << "Starling sent an unparseable message: " << message.error().reason << "\n"
                  << bytes;
    return std::move(*sip::parse_message("SIP/2.0 500 Unparseable\r\n\r\n"));
  }
  return std::move(*message);
}

std::string sdp_of(std::uint16_t port, std::string_view owner, std::string_view direction) {
  return fmt::format("v=0\r\n"
                     "o={} 1001 1 IN IP4 127.0.0.1\r\n"
                     "s=-\r\n"
                     "c=IN IP4 127.0.0.1\r\n"
                     "t=0 0\r\n"
                     "m=audio {} RTP/AVP 0 101\r\n"
                     "a=rtpmap:101 telephone-event/8000\r\n"
                     "a={}\r\n",
                     owner, port, direction);
}

std::string with_body(std::string_view body, std::string_view type = "application/sdp") {
  if (body.empty()) {
    return "Content-Length: 0\r\n\r\n";
  }
  return fmt::format("Content-Type: {}\r\nContent-Length: {}\r\n\r\n{}", type, body.size(), body);
}

} // namespace

std::shared_ptr<const DialPlan> CallControlTest::plan_;

// --- FakeSignalling ---

std::expected<void, sip::RespondError>
FakeSignalling::respond(sip::ServerTransactionHandle transaction, std::string response) {
  if (!live.contains(transaction.id)) {
    return std::unexpected(sip::RespondError::unknown_transaction);
  }
  responses.push_back({transaction.id, parse_or_fail(response)});
  return {};
}

const sip::Message* FakeSignalling::request(sip::ServerTransactionHandle transaction) const {
  const auto found = live.find(transaction.id);
  return found == live.end() ? nullptr : &found->second;
}

std::expected<sip::ClientTransactionHandle, sip::SendRequestError>
FakeSignalling::send_request(std::string request, const sip::Destination& destination,
                             sip::ResponseHandler on_response) {
  if (refuse_requests) {
    return std::unexpected(sip::SendRequestError::overloaded);
  }
  auto message = parse_or_fail(request);
  EXPECT_TRUE(sip::validate_request(message)) << request;
  requests.push_back({std::move(message), destination, std::move(on_response)});
  return sip::ClientTransactionHandle{requests.size()};
}

void FakeSignalling::send_stateless(const sip::Destination& destination, std::string bytes) {
  stateless.push_back({destination, parse_or_fail(bytes)});
}

std::vector<store::Binding> FakeSignalling::bindings_of(std::string_view aor) const {
  const auto found = bindings.find(std::string(aor));
  return found == bindings.end() ? std::vector<store::Binding>{} : found->second;
}

sip::Destination FakeSignalling::destination_of(const store::Binding& binding) const {
  return {0, binding.source_address, binding.source_port};
}

std::string FakeSignalling::advertised_address(const sip::Destination& /*peer*/) const {
  return std::string(kStarlingAddress);
}

std::string FakeSignalling::via(const sip::Destination& /*peer*/, std::string_view branch) const {
  return fmt::format("SIP/2.0/UDP {}:5060;branch={};rport", kStarlingAddress, branch);
}

std::string FakeSignalling::contact(const sip::Destination& /*peer*/) const {
  return fmt::format("<sip:{}:5060>", kStarlingAddress);
}

// --- the bench ---

void CallControlTest::SetUpTestSuite() {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("starling-call-control-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  {
    auto store = store::open_store({}, dir);
    ASSERT_TRUE(store.has_value()) << store.error().message;
    auto& db = **store;
    const auto bob = db.add_user({"bob", "Bob", store::Role::user, "$argon2id$hash"});
    const auto alice = db.add_user({"alice", "Alice", store::Role::user, "$argon2id$hash"});
    ASSERT_TRUE(bob && alice);
    ASSERT_TRUE(db.add_device({bob->id, "bob-desk", "starling", "md5", "sha", ""}));
    ASSERT_TRUE(db.add_device({bob->id, "bob-soft", "starling", "md5", "sha", ""}));
    ASSERT_TRUE(db.add_device({alice->id, "alice-desk", "starling", "md5", "sha", ""}));
    ASSERT_TRUE(db.add_extension({"201", bob->id, std::nullopt, ""}));
    ASSERT_TRUE(db.add_extension({"200", alice->id, std::nullopt, ""}));
    store::Trunk trunk;
    trunk.name = "provider";
    trunk.domain = "provider.test";
    trunk.username = "4930555";
    trunk.password = "trunk-secret";
    trunk.numbers = {{"+4930555200", "200"}, {"+4930555201", "201"}};
    ASSERT_TRUE(db.add_trunk(trunk));
    store::Trunk carrier;
    carrier.name = "carrier";
    carrier.kind = store::TrunkKind::ip;
    carrier.domain = "carrier.test";
    carrier.allowed_addresses = {"127.0.0.1:5090"};
    ASSERT_TRUE(db.add_trunk(carrier));
    ASSERT_TRUE(
        db.add_outbound_route({0, 10, "international", "00Z.", 0, "", false, {"provider"}}));
    ASSERT_TRUE(
        db.add_outbound_route({0, 20, "national", "0Z.", 0, "", false, {"provider", "carrier"}}));
    RoutingSettings routing;
    routing.numbering.country_code = "49";
    routing.numbering.area_code = "30";
    routing.numbering.international_prefix = "00";
    routing.numbering.national_prefix = "0";
    routing.numbering.emergency_numbers = {"112"};
    routing.emergency_trunks = {"provider"};
    auto plan = DialPlan::load(db, routing);
    ASSERT_TRUE(plan.has_value());
    plan_ = *plan;
  }
  std::filesystem::remove_all(dir);
}

CallControlTest::CallControlTest() {
  auto started = start_loopback_relay(metrics_, 16);
  if (!started.relay) {
    throw std::runtime_error("no free window of relay ports on 127.0.0.1");
  }
  relay_ = std::move(started.relay);

  subscription_ = events_.subscribe<CallStateEvent>(
      [this](const CallStateEvent& event) { events_seen_.push_back(event); });
  settings_.no_answer_timeout = std::chrono::seconds(60);
  settings_.media_timeout = std::chrono::seconds(60);
  settings_.session_expires = std::chrono::seconds(1800);
  settings_.min_session_expires = std::chrono::seconds(90);
  control_ = std::make_unique<CallControl>(
      CallServices{signalling_, timers_, *relay_, recorder_, events_, clock_, settings_},
      [] { return plan_; }, trunks_, do_not_disturb_, metrics_);
}

CallControlTest::~CallControlTest() {
  control_.reset();
  if (relay_) {
    relay_->stop();
  }
}

void CallControlTest::register_bob(int devices) {
  const std::pair<const char*, std::uint16_t> phones[] = {{"bob-desk", kDeskPort},
                                                          {"bob-soft", kSoftPort}};
  for (int index = 0; index < devices; ++index) {
    const auto& [device, port] = phones[index];
    store::Binding binding;
    binding.aor = device;
    binding.contact = fmt::format("sip:{}@127.0.0.1:{}", device, port);
    binding.transport = "udp";
    binding.source_address = "127.0.0.1";
    binding.source_port = port;
    signalling_.bindings[device] = {binding};
  }
}

sip::ServerTransactionHandle CallControlTest::deliver(std::string bytes,
                                                      const sip::Destination& source) {
  const sip::ServerTransactionHandle handle{next_transaction_++};
  auto parsed_message = sip::parse_message(bytes);
  EXPECT_TRUE(parsed_message) << bytes;
  const sip::Message& message =
      signalling_.live.emplace(handle.id, std::move(*parsed_message)).first->second;
  const auto parsed = sip::validate_request(message);
  EXPECT_TRUE(parsed) << bytes;
  const sip::IncomingRequest request{message, *parsed, source, false, false, std::nullopt};
  if (parsed->to.tag().empty()) {
    control_->on_invite(handle, request, "alice-desk");
  } else {
    control_->on_dialog_request(handle, request);
  }
  return handle;
}

sip::ServerTransactionHandle CallControlTest::call(const InviteOptions& options) {
  const std::string sdp = options.sdp.value_or(caller_sdp());
  invite_ =
      deliver(fmt::format("INVITE sip:{}@{} SIP/2.0\r\n"
                          "Via: SIP/2.0/UDP 127.0.0.1:{};branch=z9hG4bK-alice-0;rport\r\n"
                          "Max-Forwards: {}\r\n"
                          "From: \"Alice\" <sip:alice-desk@{}>;tag=alice-tag\r\n"
                          "To: <sip:{}@{}>\r\n"
                          "Call-ID: alice-call\r\n"
                          "CSeq: 1 INVITE\r\n"
                          "Contact: <sip:alice-desk@127.0.0.1:{}>\r\n"
                          "{}{}",
                          options.dialled, kStarlingAddress, kCallerPort, options.max_forwards,
                          kStarlingAddress, options.dialled, kStarlingAddress, kCallerPort,
                          options.extra_headers, with_body(sdp)),
              caller_);
  return *invite_;
}

sip::ServerTransactionHandle CallControlTest::call_from_provider(std::string_view did) {
  const sip::Destination provider{0, "127.0.0.1", kProviderPort};
  const sip::ServerTransactionHandle handle{next_transaction_++};
  auto parsed_message = sip::parse_message(
      fmt::format("INVITE sip:4930555@{}:5060 SIP/2.0\r\n"
                  "Via: SIP/2.0/UDP 127.0.0.1:{};branch=z9hG4bK-provider-0\r\n"
                  "Max-Forwards: 69\r\n"
                  "From: <sip:+4989555000@provider.test>;tag=provider-tag\r\n"
                  "To: <sip:{}@provider.test>\r\n"
                  "Call-ID: provider-call\r\n"
                  "CSeq: 1 INVITE\r\n"
                  "Contact: <sip:127.0.0.1:{}>\r\n"
                  "{}",
                  kStarlingAddress, kProviderPort, did, kProviderPort, with_body(caller_sdp())));
  EXPECT_TRUE(parsed_message);
  const sip::Message& message =
      signalling_.live.emplace(handle.id, std::move(*parsed_message)).first->second;
  const auto parsed = sip::validate_request(message);
  EXPECT_TRUE(parsed);
  const sip::IncomingRequest request{message, *parsed, provider, false, false, std::nullopt};
  const auto trunk = control_->trunk_of(request);
  EXPECT_EQ(trunk, "provider");
  control_->on_trunk_invite(handle, request, trunk.value_or(""));
  invite_ = handle;
  return handle;
}

std::string CallControlTest::caller_to_tag() const {
  for (const auto& response : signalling_.responses) {
    if (invite_ && response.transaction == invite_->id) {
      const auto parsed = sip::validate_response(response.message);
      if (parsed && !parsed->to.tag().empty()) {
        return std::string(parsed->to.tag());
      }
    }
  }
  ADD_FAILURE() << "the caller got no response with a To tag";
  return {};
}

sip::ServerTransactionHandle
CallControlTest::caller_sends(std::string_view method, std::uint32_t cseq, std::string_view body,
                              std::string_view extra_headers, std::string_view content_type) {
  return deliver(fmt::format("{} sip:{}:5060 SIP/2.0\r\n"
                             "Via: SIP/2.0/UDP 127.0.0.1:{};branch=z9hG4bK-alice-{};rport\r\n"
                             "Max-Forwards: 70\r\n"
                             "From: \"Alice\" <sip:alice-desk@{}>;tag=alice-tag\r\n"
                             "To: <sip:201@{}>;tag={}\r\n"
                             "Call-ID: alice-call\r\n"
                             "CSeq: {} {}\r\n"
                             "Contact: <sip:alice-desk@127.0.0.1:{}>\r\n"
                             "{}{}",
                             method, kStarlingAddress, kCallerPort, next_branch_++,
                             kStarlingAddress, kStarlingAddress, caller_to_tag(), cseq, method,
                             kCallerPort, extra_headers, with_body(body, content_type)),
                 caller_);
}

void CallControlTest::caller_acks(std::uint32_t cseq, std::string_view sdp) {
  auto ack = sip::parse_message(
      fmt::format("ACK sip:{}:5060 SIP/2.0\r\n"
                  "Via: SIP/2.0/UDP 127.0.0.1:{};branch=z9hG4bK-alice-{};rport\r\n"
                  "Max-Forwards: 70\r\n"
                  "From: \"Alice\" <sip:alice-desk@{}>;tag=alice-tag\r\n"
                  "To: <sip:201@{}>;tag={}\r\n"
                  "Call-ID: alice-call\r\n"
                  "CSeq: {} ACK\r\n"
                  "{}Content-Length: {}\r\n\r\n{}",
                  kStarlingAddress, kCallerPort, next_branch_++, kStarlingAddress, kStarlingAddress,
                  caller_to_tag(), cseq, sdp.empty() ? "" : "Content-Type: application/sdp\r\n",
                  sdp.size(), sdp));
  ASSERT_TRUE(ack);
  control_->on_ack(*ack, caller_);
}

void CallControlTest::reply(SentRequest& request, std::uint16_t status, std::string_view reason,
                            std::string_view sdp, std::string_view to_tag) {
  sip::ResponseBuilder response(request.message, status, reason, status == 100 ? "" : to_tag);
  if (status > 100 && status < 300) {
    response.add_header("Contact",
                        fmt::format("<sip:bob@127.0.0.1:{};ob>", request.destination.port));
  }
  if (!sdp.empty()) {
    response.add_header("Content-Type", "application/sdp");
  }
  auto message = sip::parse_message(std::move(response).finish(sdp));
  ASSERT_TRUE(message);
  const auto handler = request.on_response; // may send requests, growing the deque
  handler({&*message, status});
}

sip::ServerTransactionHandle CallControlTest::callee_sends(const SentRequest& fork,
                                                           std::string_view method,
                                                           std::uint32_t cseq, std::string_view sdp,
                                                           std::string_view tag) {
  const auto& invite = fork.message;
  const sip::Destination source{0, "127.0.0.1", fork.destination.port};
  return deliver(
      fmt::format("{} sip:{}:5060 SIP/2.0\r\n"
                  "Via: SIP/2.0/UDP 127.0.0.1:{};branch=z9hG4bK-bob-{};rport\r\n"
                  "Max-Forwards: 70\r\n"
                  "From: {};tag={}\r\n"
                  "To: {}\r\n"
                  "Call-ID: {}\r\n"
                  "CSeq: {} {}\r\n"
                  "Contact: <sip:bob@127.0.0.1:{};ob>\r\n"
                  "{}",
                  method, kStarlingAddress, source.port, next_branch_++,
                  invite.value(sip::HeaderId::to), tag, invite.value(sip::HeaderId::from),
                  invite.value(sip::HeaderId::call_id), cseq, method, source.port, with_body(sdp)),
      source);
}

sip::ServerTransactionHandle CallControlTest::connected_call() {
  register_bob(1);
  const auto invite = call();
  auto& fork = invite_to(kDeskPort);
  reply(fork, 180, "Ringing");
  reply(fork, 200, "OK", callee_sdp());
  caller_acks();
  return invite;
}

std::vector<std::uint16_t>
CallControlTest::statuses(sip::ServerTransactionHandle transaction) const {
  std::vector<std::uint16_t> codes;
  for (const auto& response : signalling_.responses) {
    if (response.transaction == transaction.id) {
      codes.push_back(response.message.status_code());
    }
  }
  return codes;
}

const sip::Message& CallControlTest::last_response(sip::ServerTransactionHandle transaction) const {
  for (auto it = signalling_.responses.rbegin(); it != signalling_.responses.rend(); ++it) {
    if (it->transaction == transaction.id) {
      return it->message;
    }
  }
  ADD_FAILURE() << "no response to transaction " << transaction.id;
  static const sip::Message none = std::move(*sip::parse_message("SIP/2.0 500 None\r\n\r\n"));
  return none;
}

std::vector<SentRequest*> CallControlTest::sent(std::string_view method, std::uint16_t port) {
  std::vector<SentRequest*> found;
  for (auto& request : signalling_.requests) {
    if (request.method() == method && request.destination.port == port) {
      found.push_back(&request);
    }
  }
  return found;
}

SentRequest& CallControlTest::invite_to(std::uint16_t port) {
  const auto invites = sent("INVITE", port);
  if (invites.empty()) {
    ADD_FAILURE() << "no INVITE was sent to port " << port;
    throw std::runtime_error("no INVITE");
  }
  return *invites.front();
}

std::vector<const sip::Message*> CallControlTest::acks_to(std::uint16_t port) const {
  std::vector<const sip::Message*> acks;
  for (const auto& message : signalling_.stateless) {
    if (message.destination.port == port && message.message.method() == sip::Method::ack) {
      acks.push_back(&message.message);
    }
  }
  return acks;
}

store::CallLeg CallControlTest::record_of(std::string_view leg) const {
  for (auto it = recorder_.legs.rbegin(); it != recorder_.legs.rend(); ++it) {
    if (it->leg == leg) {
      return *it;
    }
  }
  ADD_FAILURE() << "no record of leg " << leg;
  return {};
}

std::vector<CallState> CallControlTest::states() const {
  std::vector<CallState> seen;
  for (const auto& event : events_seen_) {
    seen.push_back(event.state);
  }
  return seen;
}

std::string CallControlTest::caller_sdp(std::string_view direction) {
  return sdp_of(kCallerRtpPort, "alice", direction);
}

std::string CallControlTest::callee_sdp(std::string_view direction) {
  return sdp_of(kCalleeRtpPort, "bob", direction);
}

MediaLine media_line(const sip::Message& message) {
  const auto sdp = media::parse_sdp(message.body());
  if (!sdp || sdp->media.empty()) {
    ADD_FAILURE() << "no SDP in\n" << message.wire_bytes();
    return {};
  }
  const auto& stream = sdp->media.front();
  return {std::string(stream.connection_address), stream.port,
          std::string(media::direction_name(stream.direction))};
}

// --- helpers of the tests ---

sip::ValidatedRequest parsed(const sip::Message& request) {
  auto result = sip::validate_request(request);
  EXPECT_TRUE(result) << request.wire_bytes();
  return result.value_or(sip::ValidatedRequest{});
}

sip::ValidatedResponse parsed_response(const sip::Message& response) {
  auto result = sip::validate_response(response);
  EXPECT_TRUE(result) << response.wire_bytes();
  return result.value_or(sip::ValidatedResponse{});
}

std::string branch_of(const sip::Message& request) {
  return std::string(parsed(request).top_via.branch);
}

InviteOptions dialling(std::string number) {
  InviteOptions options;
  options.dialled = std::move(number);
  return options;
}

InviteOptions with_max_forwards(int hops) {
  InviteOptions options;
  options.max_forwards = hops;
  return options;
}

InviteOptions with_headers(std::string lines) {
  InviteOptions options;
  options.extra_headers = std::move(lines);
  return options;
}

void expect_ended(const store::CallLeg& leg, std::string_view cause, std::string_view side) {
  EXPECT_EQ(leg.state, "ended") << leg.leg;
  EXPECT_EQ(leg.hangup_cause, cause) << leg.leg;
  EXPECT_EQ(leg.hangup_side, side) << leg.leg;
  EXPECT_NE(leg.ended_at, 0) << leg.leg;
}

} // namespace starling::pbx::test
