// The XMPP service: listeners, the directory behind the rosters, and the shared state.
#include "xmpp/server/xmpp_service.h"

#include <set>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "net/address_policy.h"
#include "net/tcp_acceptor.h"
#include "xmpp/jid.h"
#include "xmpp/pep/phone_activity.h"

namespace starling::xmpp::server {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

c2s::ClientStreamSettings stream_settings(const XmppSettings& settings) {
  c2s::ClientStreamSettings stream;
  stream.domain = settings.domain;
  stream.tls_required = true;
  stream.sasl.domain = settings.domain;
  stream.sasl.fake_salt_secret = settings.fake_salt_secret;
  stream.defer_sasl_steps = true;
  stream.resumption_timeout = settings.resumption_timeout;
  return stream;
}

asio::awaitable<void> accept_loop(asio::ip::tcp::acceptor& acceptor,
                                  std::shared_ptr<ServiceState> state, Port port) {
  while (acceptor.is_open()) {
    auto [error, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
    if (error == asio::error::operation_aborted || !acceptor.is_open()) {
      co_return;
    }
    if (error) {
      // Out of file descriptors, most likely: connections that close make room.
      spdlog::warn("xmpp: cannot accept a connection: {}", error.message());
      asio::steady_timer pause(acceptor.get_executor(), std::chrono::milliseconds(100));
      co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    error_code peer_error;
    const auto peer = socket.remote_endpoint(peer_error);
    if (peer_error) {
      continue;
    }
    // A banned source learns nothing, not even whether the account exists: closed unread.
    if (state->bans.is_banned(net::unmapped(peer.address()).to_string())) {
      continue; // the socket closes as it goes out of scope
    }
    auto slot = state->pre_auth.admit(peer.address());
    if (!slot) {
      state->metrics.refused_connections.increment();
      continue; // the socket closes as it goes out of scope
    }
    std::make_shared<ClientConnection>(state, std::move(socket), port, std::move(*slot))->start();
  }
}

} // namespace

XmppService::XmppService(asio::io_context& io, XmppSettings settings, asio::ssl::context& tls,
                         store::Store& store, const core::Clock& clock,
                         core::MetricsRegistry& metrics)
    : io_(io), settings_(std::move(settings)), store_(store),
      state_(std::make_shared<ServiceState>(stream_settings(settings_), store, tls,
                                            io.get_executor(), clock, metrics, settings_.bans)) {
  state_->directory.share_colleagues(settings_.colleagues_roster);
  state_->compliance.offer_external_services(settings_.external_services);
}

XmppService::~XmppService() {
  // Pending store writes finish; SASL steps still queued are dropped with their connections.
  state_->worker_threads.join();
}

std::expected<void, std::string> XmppService::start() {
  refresh_directory();
  state_->user_data.load();
  if (!state_->offline.load()) {
    return std::unexpected("xmpp: the offline messages cannot be read from the store");
  }
  auto rooms = state_->rooms.load();
  if (!rooms) {
    return std::unexpected("xmpp: the group chat rooms cannot be read from the store");
  }
  state_->muc.restore(*rooms);
  state_->archive->start_retention(settings_.archive_retention);
  // Every feature is known by now: the server's caps hash covers them all.
  state_->stream_settings.server_caps = state_->router.server_iq().caps();
  auto starttls = net::open_tcp_acceptor(io_.get_executor(), settings_.address,
                                         settings_.starttls_port, "xmpp.starttls_port");
  if (!starttls) {
    return std::unexpected(starttls.error());
  }
  auto tls = net::open_tcp_acceptor(io_.get_executor(), settings_.address, settings_.tls_port,
                                    "xmpp.tls_port");
  if (!tls) {
    return std::unexpected(tls.error());
  }
  starttls_acceptor_.emplace(std::move(*starttls));
  tls_acceptor_.emplace(std::move(*tls));
  accept(*starttls_acceptor_, Port::starttls);
  accept(*tls_acceptor_, Port::direct_tls);
  spdlog::info("xmpp: serving {} on port {} (STARTTLS) and {} (TLS)", settings_.domain,
               starttls_port(), tls_port());
  return {};
}

void XmppService::accept(asio::ip::tcp::acceptor& acceptor, Port port) {
  asio::co_spawn(io_, accept_loop(acceptor, state_, port), asio::detached);
}

void XmppService::serve_uploads(upload::Uploads& uploads) {
  state_->upload = std::make_unique<upload::UploadService>(upload::upload_domain(settings_.domain),
                                                           state_->router.sessions(), uploads,
                                                           io_.get_executor(), state_->workers);
  state_->router.add_component(*state_->upload);
  state_->upload->start_retention();
}

void XmppService::refresh_directory() {
  const auto revision = store_.revision();
  if (!revision || directory_revision_ == *revision) {
    return;
  }
  auto users = store_.list_users();
  auto devices = store_.list_devices();
  if (!users || !devices) {
    spdlog::error("xmpp: cannot read the directory, keeping the rosters: {}",
                  (users ? devices.error() : users.error()).message);
    return;
  }
  device_owners_.clear();
  for (const auto& device : *devices) {
    device_owners_.emplace(device.auth_name, device.user_name);
  }
  std::vector<im::Colleague> colleagues;
  colleagues.reserve(users->size());
  std::set<std::string> usernames;
  for (const auto& user : *users) {
    colleagues.push_back({.username = user.name, .display_name = user.display_name});
    usernames.insert(user.name);
  }
  // The store dropped a removed user's data with the user; a new user of the same name must
  // not find it in memory.
  for (const auto& gone : usernames_) {
    if (!usernames.contains(gone)) {
      state_->user_data.remove_user(gone);
    }
  }
  usernames_ = std::move(usernames);
  state_->directory.push(state_->directory.set_colleagues(colleagues),
                         state_->router.roster_pushes());
  directory_revision_ = *revision;
}

void XmppService::on_do_not_disturb(im::DoNotDisturbWatch::Listener listener) {
  state_->do_not_disturb.set_listener(std::move(listener));
}

void XmppService::on_call_state(const std::string& call_id, const std::vector<std::string>& devices,
                                std::string_view state) {
  std::set<std::string> users;
  for (const auto& device : devices) {
    if (const auto owner = device_owners_.find(device); owner != device_owners_.end()) {
      users.insert(owner->second);
    }
  }
  for (auto& change : phone_calls_.on_call(call_id, std::move(users), state)) {
    if (auto user = Jid::from_parts(change.user, settings_.domain)) {
      state_->router.set_phone_call(*user, change.call_state);
      pep::publish_phone_activity(state_->pep, *user, change.call_state);
    }
  }
}

std::size_t XmppService::stop() {
  state_->archive->stop_retention();
  if (state_->upload) {
    state_->upload->stop();
  }
  error_code ignored;
  for (auto* acceptor : {&starttls_acceptor_, &tls_acceptor_}) {
    if (*acceptor) {
      (*acceptor)->close(ignored);
    }
  }
  state_->resumable.end_all();
  // Shutting a connection down may end it and take it out of the map: iterate a copy.
  const auto connections = state_->connections;
  for (const auto& [address, weak] : connections) {
    if (auto connection = weak.lock()) {
      connection->shut_down();
    }
  }
  return connections.size();
}

std::uint16_t XmppService::starttls_port() const {
  return starttls_acceptor_ ? starttls_acceptor_->local_endpoint().port() : 0;
}

std::uint16_t XmppService::tls_port() const {
  return tls_acceptor_ ? tls_acceptor_->local_endpoint().port() : 0;
}

} // namespace starling::xmpp::server
