// One client's TCP connection to the XMPP service: reads into its ClientStream, writes what
// the stream produces, runs STARTTLS and the SASL steps, and carries the stream's bound
// resource (its SessionHandle in the router) until the stream ends or the connection is lost.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "net/lean_tls_stream.h"
#include "xmpp/c2s/client_stream.h"
#include "xmpp/im/session.h"
#include "xmpp/server/pre_auth_limit.h"
#include "xmpp/server/read_throttle.h"
#include "xmpp/server/service_state.h"
#include "xmpp/server/session_handle.h"

namespace starling::xmpp::server {

enum class Port : std::uint8_t {
  starttls,   // 5222: plaintext until <starttls/> (RFC 6120 §5)
  direct_tls, // 5223: TLS from the first byte (XEP-0368)
};

class ClientConnection final : public im::Session,
                               public std::enable_shared_from_this<ClientConnection> {
public:
  ClientConnection(std::shared_ptr<ServiceState> state, boost::asio::ip::tcp::socket socket,
                   Port port, PreAuthLimit::Slot slot);
  ClientConnection(const ClientConnection&) = delete;
  ClientConnection& operator=(const ClientConnection&) = delete;
  ~ClientConnection() override;

  // Runs the connection on its socket's executor until it ends.
  void start();
  // Ends the stream with system-shutdown (RFC 6120 §4.9.3.20): the service stops.
  void shut_down();

  // From the SessionHandle while attached.
  void deliver(const xml::Element& stanza) override;

private:
  boost::asio::awaitable<void> run();
  boost::asio::awaitable<bool> handshake();
  // Writes what the stream produced and acts on its events; false once the stream is over.
  boost::asio::awaitable<bool> handle_stream_output();
  boost::asio::awaitable<void> run_sasl_step(c2s::SaslStepWork work);
  boost::asio::awaitable<void> write_now(std::string_view bytes);
  // After binding, output from the router and from the client interleave: it is queued and
  // written in order by one writer.
  void queue(std::string_view bytes);
  boost::asio::awaitable<void> write_queue();
  void on_event(const c2s::StreamEvent& event);
  void on_resume_requested(const c2s::ResumeRequested& request);
  // The connection is lost: a resumable session waits for its client (XEP-0198 §5),
  // any other ends.
  void detach_or_end_session();
  void end_session();
  // Ends the session and closes the socket once what is queued is written.
  void close_after_output();
  void close_socket();
  void expect_binding_in_time();
  [[nodiscard]] std::string peer() const;
  // The client's address as the ban list knows it ("192.0.2.1", IPv4-mapped ones unmapped).
  [[nodiscard]] std::string source_address() const;

  std::shared_ptr<ServiceState> state_;
  // OpenSSL on the descriptor, its buffers released while idle; reads go into the service's
  // shared buffer, so an idle connection holds no buffer of its own.
  net::LeanTlsStream transport_;
  Port port_;
  boost::asio::ip::tcp::endpoint remote_;
  std::optional<PreAuthLimit::Slot> slot_;
  std::optional<c2s::ClientStream> stream_;
  ReadThrottle throttle_;
  boost::asio::steady_timer binding_deadline_;
  boost::asio::steady_timer read_pause_;
  bool bound_ = false;
  std::shared_ptr<SessionHandle> session_; // once bound, what the router knows the resource by
  bool closing_ = false;
  std::string outbox_; // emptied, capacity and all, by every write
  bool writing_ = false;
};

} // namespace starling::xmpp::server
