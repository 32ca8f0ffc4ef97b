// Starts, stops and reloads the HTTP server; the connections live in detail/.
#include "http/http_server.h"

#include <chrono>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "http/detail/listener.h"
#include "http/detail/server_state.h"
#include "http/detail/sessions.h"
#include "http/tls_certificate.h"
#include "net/tcp_acceptor.h"

namespace starling::http {

namespace {

namespace asio = boost::asio;

// Event streams get this long to exchange close frames when the server stops.
constexpr std::chrono::milliseconds kCloseGrace{1000};

void log_exception(const std::exception_ptr& error) {
  if (!error) {
    return;
  }
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& exception) {
    spdlog::error("http: a connection failed: {}", exception.what());
  }
}

std::string endpoint_text(const asio::ip::address& address, std::uint16_t port) {
  return address.is_v6() ? fmt::format("[{}]:{}", address.to_string(), port)
                         : fmt::format("{}:{}", address.to_string(), port);
}

} // namespace

HttpServer::HttpServer(HttpServerSettings settings, HttpServices services)
    : settings_(std::move(settings)), services_(std::move(services)) {}

HttpServer::~HttpServer() {
  try {
    stop();
  } catch (...) {
    // Only joining a thread can throw here, and only if the server were destroyed on one
    // of its own threads: nothing a destructor could still repair.
  }
}

std::expected<void, std::string> HttpServer::start() {
  auto certificate = TlsCertificate::load(settings_.tls);
  if (!certificate) {
    return std::unexpected(certificate.error().message);
  }
  certificate_ = std::move(*certificate);
  state_ = std::make_unique<detail::ServerState>(settings_.limits, services_.api,
                                                 services_.authorize_events, services_.assets,
                                                 services_.metrics, *certificate_);
  state_->routes = services_.routes;
  auto https = net::open_tcp_acceptor(asio::make_strand(io_), settings_.address,
                                      settings_.https_port, "http.https_port");
  if (!https) {
    return std::unexpected(https.error());
  }
  auto plain = net::open_tcp_acceptor(asio::make_strand(io_), settings_.address,
                                      settings_.http_port, "http.http_port");
  if (!plain) {
    return std::unexpected(plain.error());
  }
  https_acceptor_.emplace(std::move(*https));
  http_acceptor_.emplace(std::move(*plain));
  https_port_ = https_acceptor_->local_endpoint().port();
  http_port_ = http_acceptor_->local_endpoint().port();
  state_->https_port = https_port_;

  accept(*https_acceptor_, detail::serve_https);
  accept(*http_acceptor_, detail::serve_redirect);
  const auto address = https_acceptor_->local_endpoint().address();
  spdlog::info("http: serving HTTPS on {} (certificate SHA-256 {})",
               endpoint_text(address, https_port_), certificate_->fingerprint());
  spdlog::info("http: redirecting HTTP on {} to HTTPS", endpoint_text(address, http_port_));
  for (unsigned i = 0; i < std::max(1U, settings_.threads); ++i) {
    threads_.emplace_back([this] { io_.run(); });
  }
  return {};
}

void HttpServer::accept(asio::ip::tcp::acceptor& acceptor, Serve serve) {
  auto start_session = [serve, &state = *state_](asio::ip::tcp::socket socket,
                                                 ConnectionLimiter::Admission admission) {
    auto executor = socket.get_executor();
    asio::co_spawn(executor, serve(std::move(socket), std::move(admission), state), log_exception);
  };
  asio::co_spawn(acceptor.get_executor(),
                 detail::accept_loop(io_, acceptor, state_->limiter, std::move(start_session)),
                 log_exception);
}

void HttpServer::stop() {
  if (threads_.empty()) {
    return;
  }
  for (auto* acceptor : {&*https_acceptor_, &*http_acceptor_}) {
    asio::post(acceptor->get_executor(), [acceptor] {
      boost::system::error_code ignored;
      acceptor->close(ignored);
    });
  }
  state_->events.close_all();
  const auto deadline = std::chrono::steady_clock::now() + kCloseGrace;
  while (state_->events.size() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  io_.stop();
  for (auto& thread : threads_) {
    thread.join();
  }
  threads_.clear();
  spdlog::info("http: stopped");
}

void HttpServer::reload_certificate() {
  if (certificate_) {
    asio::post(io_, [this] { reload_certificate_now(); });
  }
}

void HttpServer::reload_certificate_now() {
  const auto source =
      settings_.tls.certificate_chain_file.empty()
          ? "the self-signed certificate in " + settings_.tls.self_signed_directory.string()
          : settings_.tls.certificate_chain_file.string();
  auto reloaded = certificate_->reload();
  if (!reloaded) {
    spdlog::error("http: cannot reload the TLS certificate, keeping the current one: {}",
                  reloaded.error().message);
    return;
  }
  spdlog::info("http: reloaded the TLS certificate from {} (SHA-256 {}); open connections "
               "keep the previous one",
               source, *reloaded);
}

void HttpServer::publish(LiveEvent event) {
  if (state_) {
    state_->events.publish(event);
  }
}

bool HttpServer::has_viewers() const {
  return state_ && state_->events.size() > 0;
}

} // namespace starling::http
