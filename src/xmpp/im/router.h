// The IM core (RFC 6121): takes stanzas from bound resources and routes, answers or
// broadcasts them between the local users, with no I/O of its own.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "xmpp/im/carbons.h"
#include "xmpp/im/component.h"
#include "xmpp/im/delivery_filter.h"
#include "xmpp/im/iq_handler.h"
#include "xmpp/im/message_archive.h"
#include "xmpp/im/message_waiting_listener.h"
#include "xmpp/im/offline_store.h"
#include "xmpp/im/phone_presence.h"
#include "xmpp/im/presence_broker.h"
#include "xmpp/im/resource_observer.h"
#include "xmpp/im/roster.h"
#include "xmpp/im/roster_iq.h"
#include "xmpp/im/roster_push.h"
#include "xmpp/im/server_iq.h"
#include "xmpp/im/session.h"
#include "xmpp/im/sessions.h"
#include "xmpp/im/subscriptions.h"
#include "xmpp/im/user_delivery.h"
#include "xmpp/jid.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::im {

// One per domain, on one shard thread. The owner calls on_session_bound() after resource
// binding, on_stanza() for each StanzaReceived and on_session_closed() when the stream ends.
// Nothing a client sends makes it throw: bad input is answered with a stanza error.
class Router {
public:
  // `domain` is the canonical XMPP domain; `roster`, `offline` and `archive` must outlive the
  // router.
  Router(std::string_view domain, Roster& roster, OfflineStore& offline, MessageArchive& archive);

  void on_session_bound(Session& session, const Jid& full);
  void on_session_closed(Session& session, const Jid& full);
  // A stanza from a bound resource; `from` is its full JID (the stanza's 'from' is ignored).
  void on_stanza(Session& session, const Jid& from, const xml::Element& stanza);

  // The user (a bare JID of this domain) is in a call in `call_state` ("connected", "held"),
  // or no longer (nullopt). Colleagues see it in the user's presence (phone_presence.h).
  void set_phone_call(const Jid& user, std::optional<std::string_view> call_state);

  // From now on, stanzas to `component`'s domain go to it; it must outlive the router.
  void add_component(Component& component);
  // From now on, iq requests go to `handler` before the server's own answers, in the order
  // handlers were added; it must outlive the router.
  void add_iq_handler(IqHandler& handler) { iq_handlers_.push_back(&handler); }
  // From now on, `observer` learns of resources becoming available and unavailable; it must
  // outlive the router.
  void add_resource_observer(ResourceObserver& observer) { observers_.push_back(&observer); }
  // From now on, `listener` learns of messages that wait for a user with no client connected
  // to take them; it must outlive the router.
  void add_message_waiting_listener(MessageWaitingListener& listener) {
    user_delivery_.add_waiting_listener(listener);
  }
  // From now on, stanzas between a resource and other addresses pass `filter` first, in
  // the order filters were added; it must outlive the router.
  void add_delivery_filter(DeliveryFilter& filter) { delivery_filters_.push_back(&filter); }
  // Whether the added filters let `stanza` reach the bound resource `recipient`: asked by
  // the sessions before each delivery.
  [[nodiscard]] bool allows_delivery(const xml::Element& stanza, const Jid& recipient) const;
  // The server's service discovery (XEP-0030), where features announce themselves.
  [[nodiscard]] ServerIq& server_iq() { return server_iq_; }

  // For changes of the roster made outside the router, e.g. by the directory.
  [[nodiscard]] RosterPushes& roster_pushes() { return roster_pushes_; }

  [[nodiscard]] const Sessions& sessions() const { return sessions_; }
  // For components, which deliver to local resources themselves.
  [[nodiscard]] Sessions& sessions() { return sessions_; }
  // For components' messages to a user, which may have to wait offline.
  [[nodiscard]] UserDelivery& user_delivery() { return user_delivery_; }

private:
  void on_message(Resource& sender, const xml::Element& message);
  void on_presence(Resource& sender, const xml::Element& presence);
  void on_iq(Resource& sender, const xml::Element& iq);
  // The 'to' of a stanza, checked: absent (nullopt with no error), a JID of this domain, or
  // an error already sent back to the sender.
  struct Destination {
    std::optional<Jid> to;
    bool answered = false; // an error went back, or a component took it; drop the stanza
  };
  Destination destination(Resource& sender, const xml::Element& stanza);
  // A subscription stanza's contact: its 'to' as a bare JID with a localpart of any domain
  // but a component's; nullopt leaves the stanza to the usual checks.
  [[nodiscard]] std::optional<Jid> subscription_contact(const xml::Element& presence) const;
  // RFC 6121 §8.5: delivers, stores or drops; the resources that got the message.
  std::vector<Resource*> deliver_message_to_user(Resource& sender, const Jid& to,
                                                 const xml::Element& message);
  // XEP-0313: asks the archive and answers when it does, if the sender is still bound.
  void query_archive(Resource& sender, const xml::Element& iq);
  static void reply(Resource& sender, const xml::Element& stanza);
  void tell_components_gone(const Jid& full);
  void tell_observers_gone(const Jid& full);
  // Whether an added DeliveryFilter stopped the stanza before routing.
  bool stopped_by_filter(Resource& sender, const xml::Element& stanza);
  // Whether an added IqHandler took the request.
  bool handled_by_extension(Resource& sender, const std::optional<Jid>& to, const xml::Element& iq);

  std::string domain_;
  MessageArchive& archive_;
  Sessions sessions_;
  UserDelivery user_delivery_;
  Carbons carbons_{sessions_};
  PresenceBroker presence_;
  RosterPushes roster_pushes_{sessions_};
  Subscriptions subscriptions_;
  RosterIq roster_iq_;         // the first iq handler
  PhoneSession phone_session_; // every user's phone resource, on the phone or not
  ServerIq server_iq_;
  std::vector<Component*> components_;
  std::vector<IqHandler*> iq_handlers_;
  std::vector<DeliveryFilter*> delivery_filters_;
  std::vector<ResourceObserver*> observers_;
};

} // namespace starling::xmpp::im
