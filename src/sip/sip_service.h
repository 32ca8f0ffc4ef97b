// The SIP service of `starling serve`: transports, transactions, digest authentication, the
// ban list and the registrar, wired together on one signalling io_context.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/ban_list.h"
#include "core/clock.h"
#include "core/event_bus.h"
#include "core/metrics.h"
#include "net/address_policy.h"
#include "sip/auth/credential_store.h"
#include "sip/auth/digest_authenticator.h"
#include "sip/dialog/dialog_handler.h"
#include "sip/dialog/signalling.h"
#include "sip/recent_answers.h"
#include "sip/registrar/binding_persistence.h"
#include "sip/registrar/registrar.h"
#include "sip/transaction/asio_timer_service.h"
#include "sip/transaction/transaction_layer.h"
#include "sip/transport/transport_layer.h"
#include "store/records.h"

namespace starling::sip {

struct SipServiceSettings {
  TransportConfig transport;
  std::string realm;
  RegistrarSettings registrar;
  core::BanPolicy bans;
  TimerSettings timers;
  core::Clock::Duration nonce_lifetime = kDefaultNonceLifetime;
  std::vector<DigestAlgorithm> digest_algorithms{kDefaultOfferedAlgorithms.begin(),
                                                 kDefaultOfferedAlgorithms.end()};
};

class SipService final : public Signalling, private TransactionUser, private TransactionTransport {
public:
  SipService(boost::asio::io_context& io, const SipServiceSettings& settings, TlsContexts tls,
             const core::Clock& clock, core::MetricsRegistry& metrics, core::EventBus& events,
             const CredentialStore& credentials, BindingPersistence& persistence,
             const net::AddressPolicy& addresses);
  SipService(const SipService&) = delete;
  SipService& operator=(const SipService&) = delete;
  SipService(SipService&&) = delete;
  SipService& operator=(SipService&&) = delete;
  // Members go in reverse order: the transport layer, last, closes the ports.
  ~SipService() override = default;

  // Call control; without one, INVITEs get 501. Set before start().
  void set_dialog_handler(DialogHandler& handler) { dialogs_ = &handler; }

  // Restores the saved bindings and opens the ports.
  std::expected<void, TransportError> start(const std::vector<store::Binding>& saved_bindings);
  // Closes the ports; transactions in flight are dropped (phones retransmit elsewhere).
  void stop();

  [[nodiscard]] const Registrar& registrar() const { return registrar_; }
  [[nodiscard]] std::optional<std::uint16_t> local_port(TransportKind kind) const {
    return transport_.local_port(kind);
  }

  // Signalling
  std::expected<void, RespondError> respond(ServerTransactionHandle transaction,
                                            std::string response) override;
  [[nodiscard]] const Message* request(ServerTransactionHandle transaction) const override;
  std::expected<ClientTransactionHandle, SendRequestError>
  send_request(std::string request, const Destination& destination,
               ResponseHandler on_response) override;
  void send_stateless(const Destination& destination, std::string bytes) override;
  [[nodiscard]] std::vector<store::Binding> bindings_of(std::string_view aor) const override;
  [[nodiscard]] Destination destination_of(const store::Binding& binding) const override;
  [[nodiscard]] std::string advertised_address(const Destination& peer) const override;
  [[nodiscard]] std::string via(const Destination& peer, std::string_view branch) const override;
  [[nodiscard]] std::string contact(const Destination& peer) const override;

private:
  void on_transport_message(Message message, const Flow& flow);
  // TransactionUser
  void on_request(ServerTransactionHandle transaction, const IncomingRequest& request) override;
  void on_ack(const Message& ack, const Destination& source) override;
  // TransactionTransport
  bool send(const Destination& to, std::string_view bytes, bool reliable,
            std::uint64_t transaction) override;
  bool transmit(const Destination& to, std::string bytes, SendCompletion on_sent);

  using Headers = std::vector<std::pair<std::string_view, std::string>>;
  // `source`: the flow's remote address as text, as the top Via's received= has it.
  void handle_register(Message& request, const Flow& flow, const std::string& source);
  void handle_invite(ServerTransactionHandle transaction, const IncomingRequest& request);
  void handle_cancel(ServerTransactionHandle transaction, const IncomingRequest& request);
  // The address the routing table sends from towards `peer` (no public address applied).
  [[nodiscard]] std::string route_source(const std::string& peer) const;
  // "host:port" of ours for `peer`, IPv6 in brackets.
  [[nodiscard]] std::string sent_by(const Destination& peer) const;
  // A copy of a REGISTER the registrar took on (RFC 3261 §17.2.2): true when it is, and got
  // the 200 again, or nothing while that 200 waits for the save.
  bool answer_accepted_copy(const Message& request, const ValidatedRequest& parsed,
                            const Flow& flow, RecentAnswers::Key key);
  // A REGISTER with a correct digest whose nonce count cannot be used, and which is not known
  // as a copy: true when it is a retransmission all the same (its binding says so), answered
  // again, or one that needs no answer yet.
  bool answer_retransmission(const Message& request, const ValidatedRequest& parsed,
                             const Flow& flow, std::string_view user);
  // `key`: the request's transaction, whose earlier 401 a retransmission gets again.
  void challenge(const Message& request, const ValidatedRequest& parsed, const Flow& flow,
                 const DigestAuthResult& result, RecentAnswers::Key key);
  static std::string build_reply(const Message& request, const ValidatedRequest& parsed,
                                 std::uint16_t status, std::string_view reason,
                                 const Headers& headers, std::string_view to_tag);
  void reply(ServerTransactionHandle transaction, const IncomingRequest& request,
             std::uint16_t status, std::string_view reason, const Headers& headers = {});
  // RFC 3261 §8.2.7: a retransmission of the request must get the same To tag.
  void reply_statelessly(const Message& request, const ValidatedRequest& parsed, const Flow& flow,
                         std::uint16_t status, std::string_view reason, const Headers& headers,
                         std::string_view to_tag);
  void expire_bindings_every_second();

  std::string realm_;
  boost::asio::io_context& io_;
  const net::AddressPolicy& addresses_;
  std::string configured_address_; // empty when SIP listens on a wildcard address
  mutable std::unordered_map<std::string, std::string> route_sources_; // peer -> our address
  DialogHandler* dialogs_ = nullptr;
  TransportLayer transport_;
  AsioTimerService timers_;
  TransactionLayer transactions_;
  const core::Clock& clock_;
  DigestAuthenticator authenticator_;
  RecentAnswers recent_answers_;
  std::string transaction_key_; // reused: the REGISTER being handled, as RecentAnswers keys it
  core::BanList bans_;
  Registrar registrar_;
  boost::asio::steady_timer expiry_timer_;
  core::Counter& requests_rejected_;
  // Send completions may run after this service is gone; they hold it weakly.
  std::shared_ptr<const SipService*> self_ = std::make_shared<const SipService*>(this);
};

} // namespace starling::sip
