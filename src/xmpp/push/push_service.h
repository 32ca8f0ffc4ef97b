// Push notifications (XEP-0357): users' clients register app servers (enable and disable,
// kept in im::UserData), and when a message waits for a user whom no connected client can
// take it to, each registered app server is notified, so that it wakes the phone.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "xmpp/im/iq_handler.h"
#include "xmpp/im/message_waiting_listener.h"
#include "xmpp/im/resource_observer.h"
#include "xmpp/im/roster_source.h"
#include "xmpp/im/server_iq.h"
#include "xmpp/im/user_data.h"
#include "xmpp/jid.h"
#include "xmpp/push/app_server.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::push {

// UserData kind; the key is "JID NODE" (a JID has no spaces).
inline constexpr std::string_view kRegistrationKind = "push";

// Whether a message is worth waking a phone for: one with a body, an encrypted one (OMEMO
// carries its text encrypted) or a call invitation (XEP-0353). Chat states and receipts are
// not.
[[nodiscard]] bool is_push_worthy(const xml::Element& message);

struct PushPolicy {
  // XEP-0357 §11: message bodies pass through the app server and the phone vendor's push
  // service; off, notifications say only who wrote and how many messages wait.
  bool include_body = false;
};

class PushService final : public im::IqHandler,
                          public im::MessageWaitingListener,
                          public im::ResourceObserver {
public:
  // All references must outlive the service.
  PushService(const im::RosterSource& accounts, im::UserData& data, AppServer& app_server,
              PushPolicy policy = {})
      : accounts_(accounts), data_(data), app_server_(app_server), policy_(policy) {}

  // A user's registrations at most (a few devices, each with a client or two).
  static constexpr std::size_t kMaxRegistrationsPerUser = 16;
  static constexpr std::size_t kMaxNameSize = 1023; // JID and node, as a JID part

  // Adds urn:xmpp:push:0 to every account's disco#info (XEP-0357 §4).
  static void announce(im::ServerIq& server_iq);
  // Notifications to the app server at `jid` go to `app_server` instead of the default one;
  // it must outlive the service.
  void set_app_server(std::string jid, AppServer& app_server);

  [[nodiscard]] std::vector<Registration> registrations(std::string_view user) const;

  bool on_request(im::Resource& sender, const std::optional<Jid>& to,
                  const xml::Element& iq) override;
  void on_message_waiting(const Jid& user, const xml::Element& message) override;
  // A client of the user came online: what waited is its to show, the count starts again.
  void on_available(im::Resource& resource, const xml::Element& presence) override;
  void on_unavailable(const Jid& /*full*/) override {}

private:
  xml::Element enable(const Jid& owner, const xml::Element& iq, const xml::Element& request);
  xml::Element disable(const Jid& owner, const xml::Element& iq, const xml::Element& request);
  void remove(std::string_view user, std::string_view key);

  const im::RosterSource& accounts_;
  im::UserData& data_;
  AppServer& app_server_;
  PushPolicy policy_;
  std::map<std::string, AppServer*, std::less<>> app_servers_; // by app server JID
  std::map<std::string, Summary, std::less<>> waiting_;        // by user
};

} // namespace starling::xmpp::push
