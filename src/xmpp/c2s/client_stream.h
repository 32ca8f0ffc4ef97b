// One client's XML stream without I/O: STARTTLS, SASL and resource binding (RFC 6120 §4–§7)
// negotiated as a state machine, then the client's stanzas handed to the owner; XEP-0198
// stream management and resumption on top.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <openssl/types.h>

#include "xmpp/c2s/stream_management.h"
#include "xmpp/jid.h"
#include "xmpp/sasl/channel_binding.h"
#include "xmpp/sasl/credential_lookup.h"
#include "xmpp/sasl/mechanism.h"
#include "xmpp/sasl/mechanisms.h"
#include "xmpp/sasl/settings.h"
#include "xmpp/xml/element.h"
#include "xmpp/xml/stream_error.h"
#include "xmpp/xml/stream_parser.h"

namespace starling::xmpp::c2s {

// RFC 6120 §6.4.5 asks for a configurable number of retries, at least 2 and at most 5; a
// client past it guesses passwords, and the stream ends with <policy-violation/>.
inline constexpr std::size_t kMaxAuthFailures = 3;

// Server-wide, from the configuration; must outlive every stream that uses it.
struct ClientStreamSettings {
  // The XMPP domain this server serves: the client's 'to' must name it (RFC 6120 §4.7.2).
  std::string domain;
  // The STARTTLS port: nothing but <starttls/> before TLS (RFC 6120 §5.3.1). When false,
  // STARTTLS is offered as optional next to the SASL mechanisms that work without TLS.
  bool tls_required = true;
  sasl::SaslSettings sasl;
  std::size_t max_auth_failures = kMaxAuthFailures;
  // RFC 3921 §3 session establishment, offered as <optional/> for old clients (RFC 6121 §C).
  bool offer_session = true;
  // When true every SASL step (PLAIN's argon2id check, the store look-ups) is handed to the
  // owner as a VerifySaslStep event to run off the shard thread; when false receive() runs
  // it, so a store that blocks then blocks the caller.
  bool defer_sasl_steps = false;
  // The stream id (RFC 6120 §4.7.3); empty: 128 random bits in hex. For tests.
  std::function<std::string()> make_stream_id;
  // Picks the resource to bind (RFC 6120 §7.6): given the client's valid request, or empty
  // when it asked for none or an invalid one; the owner resolves conflicts here. An empty
  // answer (or no hook) means the request, else a random resource.
  std::function<std::string(std::string_view requested)> choose_resource;
  // XEP-0198 §5: the longest a cut session waits to be resumed; a client may ask for less.
  std::chrono::seconds resumption_timeout = kDefaultResumptionTimeout;
  // XEP-0115 §6.3: the server's own <c/>, announced in every features element.
  std::optional<xml::Element> server_caps;
};

// A connection accepted on the direct-TLS port (XEP-0368): TLS is up before the first byte.
struct DirectTls {
  sasl::ChannelBindings channel_bindings;
};

// A SASL step taken out of the stream (ClientStreamSettings::defer_sasl_steps). It owns what
// it needs (the stream may even be gone when it runs): run() it on any thread, then hand it
// back to ClientStream::resume_sasl() on the stream's thread.
class SaslStepWork {
public:
  // Steps the mechanism with the client's data; may block (argon2id, the store).
  void run();

private:
  friend class ClientStream;
  SaslStepWork(std::unique_ptr<sasl::Mechanism> mechanism, std::vector<std::uint8_t> response)
      : mechanism_(std::move(mechanism)), response_(std::move(response)) {}

  std::unique_ptr<sasl::Mechanism> mechanism_;
  std::vector<std::uint8_t> response_;
  std::optional<sasl::Step> step_;
};

// The owner writes take_output() to the client first, then acts on the events in order.
struct StartTls {}; // <proceed/> is queued: do the TLS handshake, then tls_established()
struct VerifySaslStep {
  SaslStepWork work;
};
struct AuthenticationFailed { // for logs and metrics; the client saw only `condition`
  sasl::Condition condition = sasl::Condition::not_authorized;
  std::string_view reason;
  bool credentials_refused = false; // see sasl::Failure: what a brute-force ban counts
};
struct Authenticated {
  std::string username; // the SASL authcid
};
struct Bound {
  Jid jid; // the full JID
};
// XEP-0198 §5: the client asks to resume a detached session instead of binding. The owner,
// who knows the detached sessions, answers with resume_accepted() or resume_refused().
struct ResumeRequested {
  std::string previd;
  std::uint32_t h = 0; // the stanzas the client handled of the old stream
};
struct StanzaReceived {
  xml::Element stanza; // message, presence or iq in jabber:client, 'from' = the full JID
};
struct Closed {
  // Absent when the client closed the stream (RFC 6120 §4.4), else the error we sent.
  std::optional<xml::StreamErrorCondition> error;
  std::string reason; // for the log
};
// XEP-0352: the client says whether someone is looking at it; the owner holds back what can
// wait while it is inactive.
struct ClientStateIndicated {
  bool active = true;
};
using StreamEvent =
    std::variant<StartTls, VerifySaslStep, AuthenticationFailed, Authenticated, Bound,
                 ResumeRequested, StanzaReceived, Closed, ClientStateIndicated>;

class ClientStream {
public:
  // The negotiation's progress (RFC 6120 §4.3.5's order of features).
  enum class State : std::uint8_t {
    tls_negotiation,   // §5: plaintext on a port that requires STARTTLS
    tls_handshake,     // §5.4.3.3: <proceed/> sent, the owner runs the handshake
    sasl_negotiation,  // §6
    sasl_step_pending, // a VerifySaslStep is out; input waits until resume_sasl()
    resource_binding,  // §7
    resuming,          // XEP-0198 §5: a ResumeRequested is out; input waits for the answer
    bound,             // §8: stanzas flow both ways
    closed,            // §4.4: no more input or output
  };

  // `settings` and `lookup` must outlive the stream. Throws std::invalid_argument when the
  // SASL fake-salt secret is too short (see sasl::Mechanisms).
  ClientStream(const ClientStreamSettings& settings, const sasl::CredentialLookup& lookup);
  ClientStream(const ClientStreamSettings& settings, const sasl::CredentialLookup& lookup,
               DirectTls tls);

  // Bytes read from the client, in chunks of any size.
  void receive(std::string_view bytes);
  // After StartTls: the handshake is done; the client restarts the stream (§5.4.3.3).
  void tls_established(SSL* ssl);
  void tls_established(sasl::ChannelBindings channel_bindings);
  // After VerifySaslStep: the work, run or not (then it runs here).
  void resume_sasl(SaslStepWork work);

  // After ResumeRequested: the detached session `full` with its stream management state and
  // the stanzas routed to it while detached; the stream is bound again (XEP-0198 §5).
  void resume_accepted(Jid full, StreamManagement management,
                       const std::vector<xml::Element>& queued);
  // After ResumeRequested: no such session for this user; the client may bind instead.
  void resume_refused();

  // Queues a stanza for the client, written in the stream's default namespace.
  void send(const xml::Element& stanza);
  // Ends the stream with a stream error (RFC 6120 §4.9), e.g. conflict or system-shutdown.
  void close_with(xml::StreamErrorCondition condition, std::string_view text = {});

  [[nodiscard]] std::string take_output();
  [[nodiscard]] std::vector<StreamEvent> take_events();

  [[nodiscard]] State state() const { return state_; }
  [[nodiscard]] bool tls() const { return tls_; }
  // The full JID once bound.
  [[nodiscard]] const std::optional<Jid>& jid() const { return jid_; }
  // The authenticated user's bare JID once SASL succeeded.
  [[nodiscard]] const std::optional<Jid>& user() const { return bare_jid_; }
  // XEP-0198's state once the client enabled it; taken by the owner to keep a session that
  // may be resumed after the connection is lost.
  [[nodiscard]] const std::optional<StreamManagement>& stream_management() const { return sm_; }
  [[nodiscard]] std::optional<StreamManagement> take_stream_management();

private:
  void process();
  void send_stream_header(std::string to);
  void on_header(const xml::StreamHeader& header);
  void on_element(xml::Element element);
  void on_starttls();
  void on_auth(const xml::Element& auth);
  void on_response(const xml::Element& response);
  void on_abort();
  void step_sasl(std::vector<std::uint8_t> response);
  void apply_sasl_step(sasl::Step step);
  void sasl_failure(const sasl::Failure& failure);
  void sasl_success(sasl::Success success);
  bool on_negotiation_iq(const xml::Element& iq);
  void on_bind(const xml::Element& iq, const xml::Element& bind);
  // XEP-0198 elements: <enable/> and <resume/> before binding, <enable/>, <r/>, <a/> after.
  bool on_stream_management(const xml::Element& element);
  // XEP-0352's <active/> and <inactive/>, after authentication.
  bool on_client_state(const xml::Element& element);
  void on_enable(const xml::Element& enable);
  void on_resume(const xml::Element& resume);
  void on_ack(const xml::Element& ack);
  void restart_stream();
  // `application` is an application-specific condition (RFC 6120 §4.9.4) to add.
  void fail(xml::StreamErrorCondition condition, std::string_view text, std::string reason,
            std::optional<xml::Element> application = std::nullopt);
  [[nodiscard]] xml::Element features() const;

  const ClientStreamSettings& settings_;
  const sasl::CredentialLookup& lookup_;
  xml::StreamParser parser_;
  std::optional<sasl::Mechanisms> mechanisms_;
  std::unique_ptr<sasl::Mechanism> exchange_; // the SASL exchange in progress
  State state_;
  bool tls_ = false;
  bool stream_open_ = false; // the client's header of the current stream came and was answered
  std::size_t auth_failures_ = 0;
  std::optional<Jid> bare_jid_;
  std::optional<Jid> jid_;
  std::optional<StreamManagement> sm_;
  std::optional<ResumeRequested> resume_request_; // while State::resuming
  std::string output_;
  std::vector<StreamEvent> events_;
};

} // namespace starling::xmpp::c2s
