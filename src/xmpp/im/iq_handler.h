// A feature that answers some iq requests itself (blocking, vCards, PEP, ...), so that each
// lives in its own file and the router only asks them in turn.
#pragma once

#include <cstdint>
#include <optional>

#include "xmpp/im/sessions.h"
#include "xmpp/jid.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::im {

// Where a request that on_request got with `to` nullopt was addressed: no 'to' at all, the
// domain, or the sender's own bare JID. Features of the account (private storage, push)
// take the first and the last; features of the server (STUN/TURN discovery) the first two.
enum class OwnAddress : std::uint8_t { none, server, account };

inline OwnAddress own_address(const xml::Element& iq) {
  const auto to = iq.attribute("to");
  if (!to) {
    return OwnAddress::none;
  }
  const auto parsed = Jid::parse(*to);
  return parsed && !parsed->local().empty() ? OwnAddress::account : OwnAddress::server;
}

// Runs on the router's thread and replies through `sender.session`, never by calling back
// into the router.
class IqHandler {
public:
  IqHandler() = default;
  IqHandler(const IqHandler&) = delete;
  IqHandler& operator=(const IqHandler&) = delete;
  virtual ~IqHandler() = default;

  // A get or set with an id and one payload from `sender`, addressed to its own account or
  // server (`to` is nullopt: no 'to', the domain or the sender's bare JID) or to another
  // local bare JID (`to` holds it). True when the handler took it: it replied, or will.
  // False leaves it to the next handler and in the end to the server's own answers.
  virtual bool on_request(Resource& sender, const std::optional<Jid>& to,
                          const xml::Element& iq) = 0;
  // A result or error from `sender` to the server or to a local account's bare JID,
  // answering a request the server sent it (e.g. XEP-0115's disco#info query, XEP-0357's
  // notifications on the user's behalf). True when the handler was waiting for it.
  virtual bool on_response(Resource& /*sender*/, const xml::Element& /*iq*/) { return false; }
};

} // namespace starling::xmpp::im
