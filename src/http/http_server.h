// The web server of ports 80 and 443: the web UI, the REST API and live events, on its own threads.
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "core/metrics.h"
#include "http/connection_limiter.h"
#include "http/embedded_file.h"
#include "http/handler.h"
#include "http/limits.h"
#include "http/live_events.h"
#include "net/tls_context.h"

namespace starling::http {

namespace detail {
struct ServerState;
}
class TlsCertificate;

struct HttpServerSettings {
  boost::asio::ip::address address = boost::asio::ip::address_v6::any();
  // 0: any free port (tests); https_port() and http_port() tell which.
  std::uint16_t http_port = 80;
  std::uint16_t https_port = 443;
  // Handlers may block on the store, so more than one thread keeps the UI responsive.
  unsigned threads = 2;
  HttpLimits limits;
  net::TlsServerSettings tls;
};

struct HttpServices {
  Handler& api; // every /api/ request except the event stream
  EventStreamAuthorizer authorize_events;
  std::span<const EmbeddedFile> assets; // the web UI; must outlive the server
  core::MetricsRegistry& metrics;
  // Besides the API and the web UI, e.g. XMPP file uploads; the first match wins.
  std::vector<Route> routes = {};
};

class HttpServer final : public LiveEventSink {
public:
  HttpServer(HttpServerSettings settings, HttpServices services);
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;
  HttpServer(HttpServer&&) = delete;
  HttpServer& operator=(HttpServer&&) = delete;
  ~HttpServer() override;

  // Loads the certificate, binds both ports and starts the threads. The error is worded
  // for the operator (which port or file, and why).
  std::expected<void, std::string> start();
  // Closes the ports and every event stream (with a close frame), then stops the threads.
  void stop();

  // Reads the certificate files again on the HTTP thread (SIGHUP): new connections get the
  // new certificate, open ones keep theirs. On failure the current one stays; both logged.
  void reload_certificate();

  [[nodiscard]] std::uint16_t https_port() const { return https_port_; }
  [[nodiscard]] std::uint16_t http_port() const { return http_port_; }

  // Thread-safe; never block.
  void publish(LiveEvent event) override;
  [[nodiscard]] bool has_viewers() const override;

private:
  // One connection's life on one of the two ports (detail/sessions.h).
  using Serve = boost::asio::awaitable<void> (*)(boost::asio::ip::tcp::socket,
                                                 ConnectionLimiter::Admission,
                                                 detail::ServerState&);

  void accept(boost::asio::ip::tcp::acceptor& acceptor, Serve serve);
  void reload_certificate_now();

  HttpServerSettings settings_;
  HttpServices services_;
  std::unique_ptr<TlsCertificate> certificate_;
  std::unique_ptr<detail::ServerState> state_;
  // After the state: destroying the io_context destroys the connections' coroutines,
  // which still refer to it. Before the acceptors, which need it to close.
  boost::asio::io_context io_;
  std::optional<boost::asio::ip::tcp::acceptor> https_acceptor_;
  std::optional<boost::asio::ip::tcp::acceptor> http_acceptor_;
  std::uint16_t https_port_ = 0;
  std::uint16_t http_port_ = 0;
  std::vector<std::thread> threads_;
};

} // namespace starling::http
