// The XEP-0479 (Compliance Suites 2023) features built on the router and PEP that mobile and
// desktop clients look for: private XML storage with legacy bookmarks (XEP-0049, XEP-0048,
// XEP-0402), STUN/TURN discovery (XEP-0215) and push notifications (XEP-0357).
#pragma once

#include <optional>

#include "core/clock.h"
#include "xmpp/im/external_services.h"
#include "xmpp/im/private_storage.h"
#include "xmpp/im/roster_source.h"
#include "xmpp/im/router.h"
#include "xmpp/im/user_data.h"
#include "xmpp/pep/bookmarks.h"
#include "xmpp/pep/pep_service.h"
#include "xmpp/push/push_service.h"
#include "xmpp/push/xmpp_app_server.h"

namespace starling::xmpp::server {

// Runs on the router's thread. Constructing it adds each feature to the router and to the
// service discovery; all references must outlive it.
class ComplianceFeatures {
public:
  ComplianceFeatures(im::Router& router, pep::PepService& pep, const im::RosterSource& accounts,
                     im::UserData& data, const core::Clock& clock);
  ComplianceFeatures(const ComplianceFeatures&) = delete;
  ComplianceFeatures& operator=(const ComplianceFeatures&) = delete;

  // XEP-0215 answers and is announced only once there are services to offer.
  void offer_external_services(im::ExternalServicesSettings settings);

  [[nodiscard]] push::PushService& push() { return push_; }

private:
  im::Router& router_;
  const core::Clock& clock_;
  im::PrivateStorage private_storage_;
  pep::BookmarksCompat bookmarks_;
  push::XmppAppServer app_server_;
  push::PushService push_;
  std::optional<im::ExternalServices> external_services_;
};

} // namespace starling::xmpp::server
