// What every client connection of the XMPP service shares: the settings, the router and the
// limits. Connections hold it by shared_ptr, so it outlives the last one however the
// service stops.
#pragma once

#include <array>
#include <map>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include "core/ban_list.h"
#include "xmpp/c2s/client_stream.h"
#include "xmpp/im/blocking.h"
#include "xmpp/im/directory_roster.h"
#include "xmpp/im/do_not_disturb_watch.h"
#include "xmpp/im/entity_caps.h"
#include "xmpp/im/roster.h"
#include "xmpp/im/router.h"
#include "xmpp/im/vcard_temp.h"
#include "xmpp/muc/muc_service.h"
#include "xmpp/pep/avatar_vcard.h"
#include "xmpp/pep/pep_service.h"
#include "xmpp/server/compliance_features.h"
#include "xmpp/server/offline_queue.h"
#include "xmpp/server/pre_auth_limit.h"
#include "xmpp/server/resumable_sessions.h"
#include "xmpp/server/store_archive.h"
#include "xmpp/server/store_credentials.h"
#include "xmpp/server/stored_rooms.h"
#include "xmpp/server/stored_user_data.h"
#include "xmpp/server/xmpp_metrics.h"
#include "xmpp/upload/upload_service.h"

namespace starling::xmpp::server {

class ClientConnection;

struct ServiceState {
  ServiceState(c2s::ClientStreamSettings settings, store::Store& store,
               boost::asio::ssl::context& tls_context,
               const boost::asio::any_io_executor& router_thread, const core::Clock& clock,
               core::MetricsRegistry& registry, const core::BanPolicy& ban_policy)
      : worker_threads(kWorkerThreads), stream_settings(std::move(settings)), credentials(store),
        tls(tls_context), workers(worker_threads.get_executor()),
        offline(stream_settings.domain, store, boost::asio::make_strand(workers), clock),
        archive(std::make_shared<StoreArchive>(store, boost::asio::make_strand(workers),
                                               router_thread, clock,
                                               muc::muc_domain(stream_settings.domain))),
        user_data(store, boost::asio::make_strand(workers), clock),
        directory(stream_settings.domain, {}), roster(directory, user_data),
        router(stream_settings.domain, roster, offline, *archive),
        rooms(store, boost::asio::make_strand(workers)), vcards(roster, user_data),
        // The SCRAM fake salts' secret, kept across restarts as occupant ids must be too.
        muc(muc::muc_domain(stream_settings.domain), router.sessions(), router.user_delivery(),
            rooms, *archive, vcards, clock, stream_settings.sasl.fake_salt_secret),
        caps(stream_settings.domain, router.sessions()),
        pep(router.sessions(), roster, caps, user_data, router.server_iq()),
        avatar_vcard(pep.nodes(), vcards),
        blocking(stream_settings.domain, router.sessions(), user_data),
        compliance(router, pep, roster, user_data, clock), metrics(registry),
        bans(clock, registry, "xmpp", ban_policy),
        resumable(router_thread, router, offline, metrics) {
    router.add_component(muc);
    router.add_iq_handler(caps);
    router.add_resource_observer(caps);
    router.add_resource_observer(do_not_disturb);
    caps.add_listener(pep);
    router.add_iq_handler(pep);
    pep::PepService::announce(router.server_iq());
    router.add_iq_handler(vcards);
    im::VcardTemp::announce(router.server_iq());
    pep.add_listener(avatar_vcard);
    pep::AvatarVcardConversion::announce(router.server_iq());
    router.add_iq_handler(blocking);
    router.add_delivery_filter(blocking);
    router.server_iq().add_feature(im::ServerIq::FeatureOf::server,
                                   std::string(im::kBlockingNamespace));
  }

  // Two: one password check (argon2id, tens of ms) does not hold up the next login's. First,
  // so that it goes last: the strands below live on it, and connections may keep this state
  // until the io_context itself is destroyed.
  static constexpr std::size_t kWorkerThreads = 2;
  boost::asio::thread_pool worker_threads;
  c2s::ClientStreamSettings stream_settings;
  StoreCredentials credentials;
  boost::asio::ssl::context& tls;
  // Where blocking work goes: SASL steps (argon2id, the store) and the store's writes.
  boost::asio::any_io_executor workers;
  OfflineQueue offline;
  std::shared_ptr<StoreArchive> archive; // XEP-0313; shared, so late answers see it is gone
  StoredUserData user_data;              // contacts, PEP items, vCards ... of every user
  im::DirectoryRoster directory;         // every colleague, a shared roster item of everyone
  im::Roster roster;                     // the directory's items and each user's own contacts
  im::Router router;
  StoredRooms rooms;
  im::VcardTemp vcards; // XEP-0054
  muc::MucService muc;  // group chat at conference.DOMAIN, a component of the router
  // XEP-0363 file upload at upload.DOMAIN, a component too once serve_uploads() made it.
  std::unique_ptr<upload::UploadService> upload;
  im::EntityCaps caps; // XEP-0115: what each client supports, for PEP's notifications
  pep::PepService pep; // XEP-0163 at every user's bare JID
  pep::AvatarVcardConversion avatar_vcard; // XEP-0398: a PEP avatar becomes the vCard's PHOTO
  im::Blocking blocking; // XEP-0191, an iq handler and a delivery filter of the router
  // Private storage, bookmarks, STUN/TURN discovery and push notifications.
  ComplianceFeatures compliance;
  // Do not disturb set in chat clients, for call routing.
  im::DoNotDisturbWatch do_not_disturb;
  PreAuthLimit pre_auth;
  XmppMetrics metrics;
  // Sources that failed SASL logins too often: their connections are closed at once.
  core::BanList bans;
  ResumableSessions resumable; // XEP-0198 sessions whose connection was lost
  // The open connections, to close them when the service stops.
  std::map<const ClientConnection*, std::weak_ptr<ClientConnection>> connections;
  // What every connection reads into: they all run on the service's one io thread, and each
  // read is parsed before the next, so one TLS record's worth (RFC 8446 §5.1) serves all
  // and an idle connection holds no read buffer.
  std::array<char, std::size_t{16} * 1024> read_buffer{};
};

} // namespace starling::xmpp::server
