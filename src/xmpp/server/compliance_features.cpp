// Wiring of private storage, bookmarks, external services and push into the router.
#include "xmpp/server/compliance_features.h"

#include <utility>

namespace starling::xmpp::server {

ComplianceFeatures::ComplianceFeatures(im::Router& router, pep::PepService& pep,
                                       const im::RosterSource& accounts, im::UserData& data,
                                       const core::Clock& clock)
    : router_(router), clock_(clock), private_storage_(accounts, data), bookmarks_(pep, data),
      app_server_(router.sessions()), push_(accounts, data, app_server_) {
  auto& server_iq = router.server_iq();
  router.add_iq_handler(private_storage_);
  im::PrivateStorage::announce(server_iq);
  private_storage_.add_view(pep::kLegacyBookmarksNamespace, "storage", bookmarks_);
  pep.add_listener(bookmarks_);
  pep::BookmarksCompat::announce(server_iq);
  router.add_iq_handler(push_);
  router.add_iq_handler(app_server_);
  router.add_message_waiting_listener(push_);
  router.add_resource_observer(push_);
  push::PushService::announce(server_iq);
}

void ComplianceFeatures::offer_external_services(im::ExternalServicesSettings settings) {
  if (settings.empty() || external_services_) {
    return;
  }
  external_services_.emplace(std::move(settings), clock_);
  router_.add_iq_handler(*external_services_);
  external_services_->announce(router_.server_iq());
}

} // namespace starling::xmpp::server
