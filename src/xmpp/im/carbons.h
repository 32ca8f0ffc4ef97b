// XEP-0280 Message Carbons: a user's carbons-enabled resources get forwarded copies of the
// messages the user's other resources send and receive, so every device sees each conversation.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "xmpp/im/sessions.h"
#include "xmpp/jid.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::im {

// XEP-0280 §6's suggested rules, §9's <private/> and XEP-0334's <no-copy/>: whether copies of
// a message go to the other resources of its sender and of its recipient.
[[nodiscard]] bool is_eligible_for_carbons(const xml::Element& message);

// Whether the sender kept the message off every other resource (XEP-0280 §9).
[[nodiscard]] bool is_private(const xml::Element& message);

// XEP-0280 §9: the receiving server SHOULD remove <private/> before delivering; the message
// as its recipient gets it.
[[nodiscard]] xml::Element without_private(const xml::Element& message);

// XEP-0280 §4, §5: the result of an iq set of <enable/> or <disable/> addressed to the
// server, after switching carbons on or off for `sender` (repeating either is no error,
// §10.1); nullopt for any other iq.
[[nodiscard]] std::optional<xml::Element> switch_carbons(Resource& sender, const xml::Element& iq);

class Carbons {
public:
  // `sessions` must outlive this object.
  explicit Carbons(Sessions& sessions) : sessions_(sessions) {}

  // Called once `message` from `sender` to the local user `to` has been routed (RFC 6121
  // §8.5) and reached the resources in `delivered` — none when it was stored offline or
  // dropped. Sends the §8 <sent/> copies to the sender's other resources and the §7
  // <received/> copies to the recipient's resources that did not get the message.
  void copy(const Resource& sender, const Jid& to, const xml::Element& message,
            std::span<Resource* const> delivered);

private:
  // One copy, wrapped in `wrapper` (sent or received), to each carbons-enabled resource of
  // `user` that neither sent nor got the message.
  void send_copies(std::string_view wrapper, const Jid& user, const Resource& sender,
                   const xml::Element& message, std::span<Resource* const> delivered);

  Sessions& sessions_;
};

} // namespace starling::xmpp::im
