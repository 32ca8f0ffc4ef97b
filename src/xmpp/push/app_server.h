// Where push notifications (XEP-0357) go: the "app server" a client registered, which wakes
// the phone through its vendor's push service. XmppAppServer publishes to it over XMPP; a
// built-in app server plugs in here too.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "xmpp/jid.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::push {

// One <enable/> of a user's client (XEP-0357 §5).
struct Registration {
  std::string jid;  // the app server's XMPP address
  std::string node; // the node it provisioned for the device
  // The jabber:x:data form to send along as publish-options (credentials of the app server).
  std::optional<xml::Element> publish_options;
};

// The urn:xmpp:push:summary of XEP-0357 §7.
struct Summary {
  std::size_t message_count = 0;   // messages that waited since the user was last online
  std::string last_message_sender; // a bare JID
  std::optional<std::string> last_message_body;
};

// Used on the router's thread.
class AppServer {
public:
  AppServer() = default;
  AppServer(const AppServer&) = delete;
  AppServer& operator=(const AppServer&) = delete;
  virtual ~AppServer() = default;

  // Sends the notification for `user` (a bare JID) to the registration's app server. Calls
  // `refused` if the app server refuses it (XEP-0357 §7.1: the registration is then
  // disabled); never when it cannot be reached or does not answer.
  virtual void notify(const Jid& user, const Registration& registration, const Summary& summary,
                      std::function<void()> refused) = 0;
};

} // namespace starling::xmpp::push
