// The client-to-server negotiation state machine: stream headers, STARTTLS, SASL, binding,
// and XEP-0198 stream management.
#include "xmpp/c2s/client_stream.h"

#include <algorithm>
#include <charconv>
#include <span>
#include <stdexcept>
#include <utility>

#include <openssl/rand.h>

#include "xmpp/sasl/base64.h"
#include "xmpp/sasl/condition.h"
#include "xmpp/xml/namespaces.h"
#include "xmpp/xml/serializer.h"
#include "xmpp/xml/stream_header.h"

namespace starling::xmpp::c2s {

namespace {

using xml::Element;
using enum xml::StreamErrorCondition;

// RFC 3921 §3 (kept by RFC 6121 §C for old clients) and XEP-0440.
constexpr std::string_view kSessionNamespace = "urn:ietf:params:xml:ns:xmpp-session";
constexpr std::string_view kCsiNamespace = "urn:xmpp:csi:0"; // XEP-0352
constexpr std::string_view kChannelBindingNamespace = "urn:xmpp:sasl-cb:0";

// 16 random bytes are 128 bits, what RFC 6120 §4.7.3 asks of a stream id's unpredictability.
constexpr std::size_t kStreamIdBytes = 16;
constexpr std::size_t kResourceBytes = 12;
// XEP-0198 §5 asks that a resumption id cannot be guessed: 128 random bits, like a stream id.
constexpr std::size_t kResumptionIdBytes = 16;

std::string random_hex(std::size_t bytes) {
  std::vector<unsigned char> random(bytes);
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  static constexpr std::string_view kDigits = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes * 2);
  for (const unsigned char byte : random) {
    hex += kDigits[byte >> 4U];
    hex += kDigits[byte & 0x0FU];
  }
  return hex;
}

// RFC 6120 §4.7.5: "major.minor", each an integer (leading zeros ignored); nothing if not.
std::optional<int> major_version(std::string_view version) {
  const auto dot = version.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == version.size()) {
    return std::nullopt;
  }
  int major = 0;
  int minor = 0;
  const std::string_view major_text = version.substr(0, dot);
  const std::string_view minor_text = version.substr(dot + 1);
  const auto major_end = major_text.data() + major_text.size();
  const auto minor_end = minor_text.data() + minor_text.size();
  const auto [major_ptr, major_ec] = std::from_chars(major_text.data(), major_end, major);
  const auto [minor_ptr, minor_ec] = std::from_chars(minor_text.data(), minor_end, minor);
  if (major_ec != std::errc{} || major_ptr != major_end || minor_ec != std::errc{} ||
      minor_ptr != minor_end) {
    return std::nullopt;
  }
  return major;
}

Element sasl_element(std::string_view name, std::span<const std::uint8_t> data) {
  Element element(xml::kSaslNamespace, name);
  if (!data.empty()) {
    element.append_text(sasl::encode_sasl_data(data));
  }
  return element;
}

Element sasl_failure_element(sasl::Condition condition) {
  Element failure(xml::kSaslNamespace, "failure");
  failure.append(Element(xml::kSaslNamespace, sasl::to_string(condition)));
  return failure;
}

bool is_stanza(const Element& element) {
  return element.ns() == xml::kClientNamespace &&
         (element.name() == "message" || element.name() == "presence" || element.name() == "iq");
}

} // namespace

void SaslStepWork::run() {
  if (!step_) {
    step_ = mechanism_->step(response_);
  }
}

ClientStream::ClientStream(const ClientStreamSettings& settings,
                           const sasl::CredentialLookup& lookup)
    : settings_(settings), lookup_(lookup),
      mechanisms_(std::in_place, lookup, settings.sasl, sasl::StreamSecurity{}),
      state_(settings.tls_required ? State::tls_negotiation : State::sasl_negotiation) {}

ClientStream::ClientStream(const ClientStreamSettings& settings,
                           const sasl::CredentialLookup& lookup, DirectTls tls)
    : settings_(settings), lookup_(lookup),
      mechanisms_(
          std::in_place, lookup, settings.sasl,
          sasl::StreamSecurity{.tls = true, .channel_bindings = std::move(tls.channel_bindings)}),
      state_(State::sasl_negotiation), tls_(true) {}

void ClientStream::receive(std::string_view bytes) {
  // RFC 6120 §5.4.3.3: after <proceed/> only the TLS handshake may come, which the owner reads.
  if (state_ == State::closed || state_ == State::tls_handshake) {
    return;
  }
  // While a SASL step runs elsewhere nothing is parsed, so the parser's own limit does not
  // bound what waits; a client has no reason to send more than one element meanwhile.
  if (state_ == State::sasl_step_pending &&
      parser_.unparsed().size() + bytes.size() > parser_.settings().max_element_size) {
    fail(policy_violation, {}, "too much input while a SASL step was running");
    return;
  }
  parser_.feed(bytes);
  process();
}

void ClientStream::process() {
  while (state_ != State::closed && state_ != State::tls_handshake &&
         state_ != State::sasl_step_pending && state_ != State::resuming) {
    auto event = parser_.next();
    if (!event) {
      return;
    }
    if (auto* header = std::get_if<xml::StreamHeader>(&*event)) {
      on_header(*header);
    } else if (auto* element = std::get_if<Element>(&*event)) {
      on_element(std::move(*element));
    } else if (std::holds_alternative<xml::StreamClosed>(*event)) {
      // RFC 6120 §4.4: answer the client's closing tag with ours.
      output_ += xml::kCloseStream;
      state_ = State::closed;
      events_.emplace_back(Closed{std::nullopt, "the client closed the stream"});
    } else {
      const auto& error = std::get<xml::ParseError>(*event);
      fail(error.condition, {}, std::string(error.reason));
    }
  }
}

void ClientStream::send_stream_header(std::string to) {
  output_ += xml::open_stream(xml::StreamHeader{
      .to = std::move(to),
      .from = settings_.domain,
      .id = settings_.make_stream_id ? settings_.make_stream_id() : random_hex(kStreamIdBytes),
      .version = "1.0",
      .lang = "en",
      .content_namespace = {}});
  stream_open_ = true;
}

void ClientStream::on_header(const xml::StreamHeader& header) {
  // RFC 6120 §4.7.2: answer with 'to' set to the client's 'from' when it is a JID. §4.9.1.2:
  // an error in the header still gets our header before the error.
  send_stream_header(!header.from.empty() && Jid::parse(header.from) ? header.from : std::string());

  // RFC 6120 §4.7.2, §4.9.3.6: 'to' must name a domain this server serves.
  const auto to = Jid::parse(header.to);
  const auto domain = Jid::parse(settings_.domain);
  if (!to || !domain || !to->local().empty() || !to->is_bare() ||
      to->domain() != domain->domain()) {
    fail(host_unknown, {}, "the stream header's 'to' is not our domain");
    return;
  }
  // RFC 6120 §4.7.5: no version is a pre-1.0 peer; another major version cannot talk to us.
  if (major_version(header.version) != 1) {
    fail(unsupported_version, {}, "the stream header's version is not 1.x");
    return;
  }
  // RFC 6120 §4.3.2: the features of the current negotiation step follow the header.
  xml::serialize_to(features(), output_);
}

Element ClientStream::features() const {
  Element features(xml::kStreamNamespace, "features");
  switch (state_) {
  case State::tls_negotiation:
    // RFC 6120 §5.4.1: STARTTLS, mandatory to negotiate on this port.
    features.append(Element(xml::kTlsNamespace, "starttls"))
        .append(Element(xml::kTlsNamespace, "required"));
    break;
  case State::sasl_negotiation:
  case State::sasl_step_pending: {
    if (!tls_) {
      features.append(Element(xml::kTlsNamespace, "starttls"));
    }
    // RFC 6120 §6.4.1: the mechanisms, strongest first.
    auto& mechanisms = features.append(Element(xml::kSaslNamespace, "mechanisms"));
    for (const auto name : mechanisms_->offered()) {
      mechanisms.append(Element(xml::kSaslNamespace, "mechanism")).append_text(name);
    }
    // XEP-0440 §3: the channel-binding types, so that clients pick one that works.
    const auto types = mechanisms_->channel_binding_types();
    if (!types.empty()) {
      auto& bindings = features.append(Element(kChannelBindingNamespace, "sasl-channel-binding"));
      for (const auto type : types) {
        bindings.append(
            Element(kChannelBindingNamespace, "channel-binding").set_attribute("type", type));
      }
    }
    break;
  }
  case State::resource_binding:
  case State::bound:
    // RFC 6120 §7.4: resource binding; XEP-0198 §2: stream management along with it.
    features.append(Element(xml::kBindNamespace, "bind"));
    if (settings_.offer_session) {
      features.append(Element(kSessionNamespace, "session"))
          .append(Element(kSessionNamespace, "optional"));
    }
    features.append(Element(kStreamManagementNamespace, "sm"));
    features.append(Element(kCsiNamespace, "csi")); // XEP-0352 §2
    break;
  case State::resuming:
  case State::tls_handshake:
  case State::closed:
    break;
  }
  if (settings_.server_caps) {
    features.append(*settings_.server_caps);
  }
  return features;
}

void ClientStream::on_element(Element element) {
  switch (state_) {
  case State::tls_negotiation:
    // RFC 6120 §5.3.1: until TLS is up nothing else is processed.
    if (element.is(xml::kTlsNamespace, "starttls")) {
      on_starttls();
    } else {
      fail(policy_violation, "STARTTLS is required", "element before STARTTLS");
    }
    return;
  case State::sasl_negotiation:
    if (element.is(xml::kSaslNamespace, "auth")) {
      on_auth(element);
    } else if (element.is(xml::kSaslNamespace, "response")) {
      on_response(element);
    } else if (element.is(xml::kSaslNamespace, "abort")) {
      on_abort();
    } else if (!tls_ && !exchange_ && element.is(xml::kTlsNamespace, "starttls")) {
      on_starttls();
    } else {
      // RFC 6120 §4.9.3.12: nothing but negotiation before authentication.
      fail(not_authorized, {}, "element before authentication");
    }
    return;
  case State::resource_binding:
    // RFC 6120 §7.1: no stanza is processed before a resource is bound.
    if (!on_negotiation_iq(element) && !on_stream_management(element) &&
        !on_client_state(element)) {
      fail(not_authorized, {}, "element before resource binding");
    }
    return;
  case State::bound:
    if (on_stream_management(element) || on_client_state(element)) {
      return; // nonzas: not counted as stanzas (XEP-0198 §4)
    }
    if (!is_stanza(element)) {
      // RFC 6120 §4.9.3.24: a first-level element we do not know.
      fail(unsupported_stanza_type, {}, "unknown top-level element");
      return;
    }
    if (sm_) {
      sm_->on_stanza_handled(); // XEP-0198 §4: the router takes every stanza it is given
    }
    if (on_negotiation_iq(element)) {
      return;
    }
    // RFC 6120 §8.1.2.1: the server stamps 'from' with the full JID, whatever the client put.
    element.set_attribute("from", jid_->to_string());
    events_.emplace_back(StanzaReceived{std::move(element)});
    return;
  case State::tls_handshake:
  case State::sasl_step_pending:
  case State::resuming:
  case State::closed:
    return;
  }
}

void ClientStream::on_starttls() {
  // RFC 6120 §5.4.2.3: proceed, then the TLS handshake.
  xml::serialize_to(Element(xml::kTlsNamespace, "proceed"), output_);
  state_ = State::tls_handshake;
  events_.emplace_back(StartTls{});
}

void ClientStream::tls_established(SSL* ssl) {
  tls_established(sasl::channel_bindings(ssl));
}

void ClientStream::tls_established(sasl::ChannelBindings channel_bindings) {
  if (state_ != State::tls_handshake) {
    return;
  }
  tls_ = true;
  mechanisms_.emplace(
      lookup_, settings_.sasl,
      sasl::StreamSecurity{.tls = true, .channel_bindings = std::move(channel_bindings)});
  // RFC 6120 §5.4.3.3: a new stream over TLS; plaintext read after <starttls/> is dropped.
  parser_.reset();
  stream_open_ = false;
  state_ = State::sasl_negotiation;
}

void ClientStream::on_auth(const Element& auth) {
  exchange_.reset(); // a new <auth/> replaces an exchange in progress
  const auto mechanism = auth.attribute("mechanism");
  // RFC 6120 §6.4.2: no initial response is an empty element; "=" is an empty one.
  const std::string text = auth.text();
  std::optional<std::vector<std::uint8_t>> initial;
  if (!text.empty()) {
    auto decoded = sasl::decode_sasl_data(text);
    if (!decoded) {
      sasl_failure({decoded.error(), "initial response is not base64"});
      return;
    }
    initial = std::move(*decoded);
  }
  // Started without the initial response so that the first step, like every other, can
  // run off the stream's thread.
  auto exchange = mechanisms_->start(mechanism.value_or(""), std::nullopt);
  if (!exchange.mechanism) {
    apply_sasl_step(std::move(exchange.step));
    return;
  }
  exchange_ = std::move(exchange.mechanism);
  if (initial) {
    step_sasl(std::move(*initial));
  } else {
    apply_sasl_step(std::move(exchange.step)); // RFC 6120 §6.4.2: an empty challenge
  }
}

void ClientStream::on_response(const Element& response) {
  if (!exchange_) {
    sasl_failure({sasl::Condition::malformed_request, "<response/> without <auth/>"});
    return;
  }
  auto decoded = sasl::decode_sasl_data(response.text());
  if (!decoded) {
    exchange_.reset();
    sasl_failure({decoded.error(), "response is not base64"});
    return;
  }
  step_sasl(std::move(*decoded));
}

void ClientStream::on_abort() {
  // RFC 6120 §6.4.4: the client gives up the exchange.
  exchange_.reset();
  sasl_failure({sasl::Condition::aborted, "the client aborted"});
}

void ClientStream::step_sasl(std::vector<std::uint8_t> response) {
  if (settings_.defer_sasl_steps) {
    state_ = State::sasl_step_pending;
    events_.emplace_back(VerifySaslStep{SaslStepWork(std::move(exchange_), std::move(response))});
    return;
  }
  apply_sasl_step(exchange_->step(response));
}

void ClientStream::resume_sasl(SaslStepWork work) {
  if (state_ != State::sasl_step_pending) {
    return;
  }
  work.run();
  exchange_ = std::move(work.mechanism_);
  state_ = State::sasl_negotiation;
  apply_sasl_step(std::move(*work.step_));
  process();
}

void ClientStream::apply_sasl_step(sasl::Step step) {
  if (auto* challenge = std::get_if<sasl::Challenge>(&step)) {
    // RFC 6120 §6.4.3
    xml::serialize_to(sasl_element("challenge", challenge->data), output_);
  } else if (auto* success = std::get_if<sasl::Success>(&step)) {
    sasl_success(std::move(*success));
  } else {
    exchange_.reset();
    sasl_failure(std::get<sasl::Failure>(step));
  }
}

void ClientStream::sasl_failure(const sasl::Failure& failure) {
  // RFC 6120 §6.4.5: the condition only; the reason may say whether the user exists.
  xml::serialize_to(sasl_failure_element(failure.condition), output_);
  events_.emplace_back(
      AuthenticationFailed{failure.condition, failure.reason, failure.credentials_refused});
  if (++auth_failures_ >= settings_.max_auth_failures) {
    fail(policy_violation, "too many failed authentication attempts",
         "too many failed authentication attempts");
  }
}

void ClientStream::sasl_success(sasl::Success success) {
  exchange_.reset();
  auto bare = Jid::from_parts(success.username, settings_.domain);
  if (!bare) {
    sasl_failure({sasl::Condition::not_authorized, "the user name is not a JID localpart"});
    return;
  }
  // RFC 6120 §6.4.6: success, with the mechanism's additional data (SCRAM's v=).
  xml::serialize_to(sasl_element("success", success.additional_data), output_);
  bare_jid_ = std::move(*bare);
  state_ = State::resource_binding;
  events_.emplace_back(Authenticated{std::move(success.username)});
  parser_.set_max_element_size(xml::kMaxElementSizeAuthenticated);
  restart_stream();
}

void ClientStream::restart_stream() {
  // RFC 6120 §6.4.6: the client restarts the stream at once. Bytes it sent after the
  // <response/> (a pipelined header) belong to the new stream, so they are kept.
  std::string rest(parser_.unparsed());
  parser_.reset();
  stream_open_ = false;
  parser_.feed(rest);
}

bool ClientStream::on_negotiation_iq(const Element& iq) {
  if (!iq.is(xml::kClientNamespace, "iq") || iq.attribute("type") != "set") {
    return false;
  }
  if (const auto* bind = iq.child(xml::kBindNamespace, "bind");
      bind != nullptr && state_ == State::resource_binding) {
    on_bind(iq, *bind);
    return true;
  }
  if (iq.child(kSessionNamespace, "session") != nullptr && state_ == State::bound) {
    // RFC 3921 §3: establishing a session is a no-op that gets an empty result.
    Element result(xml::kClientNamespace, "iq");
    result.set_attribute("id", iq.attribute("id").value_or("")).set_attribute("type", "result");
    xml::serialize_to(result, output_);
    return true;
  }
  return false;
}

void ClientStream::on_bind(const Element& iq, const Element& bind) {
  // RFC 6120 §7.6: the client's resource if valid, else one the server makes up (§7.6.2.1).
  std::string requested;
  if (const auto* resource = bind.child(xml::kBindNamespace, "resource")) {
    requested = resource->text();
    if (!bare_jid_->with_resource(requested)) {
      requested.clear();
    }
  }
  std::string chosen = settings_.choose_resource ? settings_.choose_resource(requested) : requested;
  auto full = bare_jid_->with_resource(chosen.empty() ? random_hex(kResourceBytes) : chosen);
  if (!full) {
    full = bare_jid_->with_resource(random_hex(kResourceBytes));
  }
  jid_ = std::move(*full);
  state_ = State::bound;

  Element result(xml::kClientNamespace, "iq");
  result.set_attribute("id", iq.attribute("id").value_or("")).set_attribute("type", "result");
  result.append(Element(xml::kBindNamespace, "bind"))
      .append(Element(xml::kBindNamespace, "jid"))
      .append_text(jid_->to_string());
  xml::serialize_to(result, output_);
  events_.emplace_back(Bound{*jid_});
}

bool ClientStream::on_stream_management(const Element& element) {
  if (element.ns() != kStreamManagementNamespace) {
    return false;
  }
  if (element.name() == "enable") {
    on_enable(element);
  } else if (element.name() == "resume") {
    on_resume(element);
  } else if (element.name() == "r" && sm_) {
    xml::serialize_to(ack_element(sm_->handled()), output_); // XEP-0198 §4
  } else if (element.name() == "a" && sm_) {
    on_ack(element);
  } else {
    return false;
  }
  return true;
}

bool ClientStream::on_client_state(const Element& element) {
  if (element.ns() != kCsiNamespace ||
      (element.name() != "active" && element.name() != "inactive")) {
    return false;
  }
  events_.emplace_back(ClientStateIndicated{.active = element.name() == "active"});
  return true;
}

void ClientStream::on_enable(const Element& enable) {
  // XEP-0198 §3: only after binding, and only once per stream.
  if (state_ != State::bound || sm_) {
    xml::serialize_to(failed_element("unexpected-request"), output_);
    return;
  }
  auto timeout = settings_.resumption_timeout;
  std::string id;
  if (const auto resume = enable.attribute("resume"); resume == "true" || resume == "1") {
    id = random_hex(kResumptionIdBytes);
    // XEP-0198 §5: the client's 'max' is what it prefers; the server's limit still holds.
    if (const auto max = parse_sequence_number(enable.attribute("max").value_or(""));
        max && *max > 0) {
      timeout = std::min(timeout, std::chrono::seconds(*max));
    }
  }
  sm_.emplace(std::move(id), timeout);
  xml::serialize_to(enabled_element(*sm_), output_);
}

void ClientStream::on_resume(const Element& resume) {
  // XEP-0198 §5: resumption replaces binding; a bound stream has nothing to resume.
  if (state_ != State::resource_binding) {
    xml::serialize_to(failed_element("unexpected-request"), output_);
    return;
  }
  const auto previd = resume.attribute("previd");
  const auto h = parse_sequence_number(resume.attribute("h").value_or(""));
  if (!previd || previd->empty() || !h) {
    xml::serialize_to(failed_element("bad-request"), output_);
    return;
  }
  state_ = State::resuming;
  resume_request_ = ResumeRequested{.previd = std::string(*previd), .h = *h};
  events_.emplace_back(*resume_request_);
}

void ClientStream::resume_accepted(Jid full, StreamManagement management,
                                   const std::vector<Element>& queued) {
  if (state_ != State::resuming) {
    return;
  }
  const auto request = *std::exchange(resume_request_, std::nullopt);
  if (auto acked = management.on_ack(request.h); !acked) {
    fail(undefined_condition, {}, "<resume/> acknowledged more stanzas than were sent",
         handled_count_too_high_element(acked.error()));
    return;
  }
  jid_ = std::move(full);
  state_ = State::bound;
  xml::serialize_to(resumed_element(request.previd, management.handled()), output_);
  // XEP-0198 §5: what the client did not get is sent again, in order, still unacknowledged.
  for (const auto& stanza : management.unacked()) {
    xml::serialize_to(stanza, output_);
  }
  sm_ = std::move(management);
  for (const auto& stanza : queued) {
    send(stanza);
  }
  process();
}

void ClientStream::resume_refused() {
  if (state_ != State::resuming) {
    return;
  }
  resume_request_.reset();
  // XEP-0198 §5: unknown or expired; the client binds a resource instead.
  xml::serialize_to(failed_element("item-not-found"), output_);
  state_ = State::resource_binding;
  process();
}

void ClientStream::on_ack(const Element& ack) {
  const auto h = parse_sequence_number(ack.attribute("h").value_or(""));
  if (!h) {
    fail(bad_format, {}, "<a/> without a valid 'h'");
    return;
  }
  if (auto acked = sm_->on_ack(*h); !acked) {
    // XEP-0198 §4: the client claims stanzas the server never sent.
    fail(undefined_condition, {}, "<a/> acknowledged more stanzas than were sent",
         handled_count_too_high_element(acked.error()));
  }
}

std::optional<StreamManagement> ClientStream::take_stream_management() {
  return std::exchange(sm_, std::nullopt);
}

void ClientStream::send(const Element& stanza) {
  if (state_ == State::closed) {
    return;
  }
  xml::serialize_to(stanza, output_);
  if (!sm_) {
    return;
  }
  sm_->on_stanza_sent(stanza);
  if (sm_->unacked().size() > kMaxUnackedStanzas) {
    // The queue, this stanza included, is what the owner keeps when the session ends.
    fail(resource_constraint, {}, "the client left too many stanzas unacknowledged");
  }
}

void ClientStream::close_with(xml::StreamErrorCondition condition, std::string_view text) {
  if (state_ == State::closed) {
    return;
  }
  if (state_ == State::tls_handshake) {
    // No stream is open during the handshake; there is nothing to write the error into.
    state_ = State::closed;
    events_.emplace_back(Closed{condition, "closed by the server"});
    return;
  }
  fail(condition, text, "closed by the server");
}

void ClientStream::fail(xml::StreamErrorCondition condition, std::string_view text,
                        std::string reason, std::optional<Element> application) {
  // RFC 6120 §4.9.1.2: the error goes into an open stream, ours opened first if need be.
  if (!stream_open_) {
    send_stream_header({});
  }
  // RFC 6120 §4.9.1.1: the error, then the closing tag; the stream is over.
  auto error = xml::build_stream_error(condition, text);
  if (application) {
    error.append(std::move(*application));
  }
  xml::serialize_to(error, output_);
  output_ += xml::kCloseStream;
  state_ = State::closed;
  exchange_.reset();
  events_.emplace_back(Closed{condition, std::move(reason)});
}

std::string ClientStream::take_output() {
  // XEP-0198 §4: the <r/> follows everything written in this turn, so one request covers
  // a burst of stanzas.
  if (state_ == State::bound && sm_ && sm_->ack_request_due()) {
    xml::serialize_to(ack_request_element(), output_);
    sm_->on_ack_requested();
  }
  return std::exchange(output_, {});
}

std::vector<StreamEvent> ClientStream::take_events() {
  return std::exchange(events_, {});
}

} // namespace starling::xmpp::c2s
