// XEP-0357's own way to an app server: a publish-subscribe publish (XEP-0060 §7.1) to the
// app server's JID and node, from the user's bare JID.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "xmpp/im/iq_handler.h"
#include "xmpp/im/sessions.h"
#include "xmpp/jid.h"
#include "xmpp/push/app_server.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::push {

// The publish request for one notification (XEP-0357 §7).
[[nodiscard]] xml::Element notification_request(const Jid& user, const Registration& registration,
                                                const Summary& summary, std::string_view id);

// Without server-to-server connections, the app servers it reaches are clients bound to this
// server (a full JID); notifications for others are dropped (logged once per address).
class XmppAppServer final : public AppServer, public im::IqHandler {
public:
  // `sessions` must outlive this object.
  explicit XmppAppServer(im::Sessions& sessions) : sessions_(sessions) {}

  // Notifications waiting for an answer at most; the oldest is forgotten beyond (an app
  // server that never answers keeps its registration).
  static constexpr std::size_t kMaxPending = 1000;

  void notify(const Jid& user, const Registration& registration, const Summary& summary,
              std::function<void()> refused) override;

  bool on_request(im::Resource& /*sender*/, const std::optional<Jid>& /*to*/,
                  const xml::Element& /*iq*/) override {
    return false;
  }
  // The app server's answer to a notification: an error calls its `refused`.
  bool on_response(im::Resource& sender, const xml::Element& iq) override;

private:
  struct Pending {
    Jid app_server;
    std::function<void()> refused;
  };

  im::Sessions& sessions_;
  std::map<std::uint64_t, Pending> pending_; // by the number in the iq id, oldest first
  std::uint64_t next_id_ = 1;
  std::string last_unreachable_;
};

} // namespace starling::xmpp::push
