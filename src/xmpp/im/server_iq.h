// The iq requests the server answers itself: ping (XEP-0199), service discovery (XEP-0030)
// and the archive query form (XEP-0313). The roster's are RosterIq's.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "xmpp/jid.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::im {

// The result for a request: id echoed, 'from' and 'to' swapped (RFC 6120 §8.2.3).
xml::Element make_result(const xml::Element& iq);

class ServerIq {
public:
  explicit ServerIq(std::string domain) : domain_(std::move(domain)) {}

  // The reply to an iq get or set with one payload element, sent by `from` (a full JID) with
  // no 'to', to the domain or to the sender's own bare JID: a result, or an error such as
  // <service-unavailable/> for a namespace the server does not know (RFC 6120 §8.4).
  [[nodiscard]] xml::Element answer(const Jid& from, const xml::Element& iq) const;

  // An entity the server's disco#items lists, e.g. a component's domain (XEP-0030 §4.1).
  void add_item(std::string jid) { items_.push_back(std::move(jid)); }

  // Who a feature added by a handler belongs to: the server (disco#info to the domain) or
  // every account (disco#info to a user's own bare JID, answered by the server).
  enum class FeatureOf { server, account };
  // A feature 'var' the server's disco#info lists from now on (XEP-0030 §3.1).
  void add_feature(FeatureOf owner, std::string var);
  // An identity (XEP-0030 §3.1) that disco#info lists besides the server's or the account's
  // own, e.g. an account's PEP service: category "pubsub", type "pep" (XEP-0163 §9).
  void add_identity(FeatureOf owner, std::string category, std::string type);

  // XEP-0115 §6.3: the server's own capabilities for its stream features, <c/> with the
  // SHA-1 'ver' of its disco#info as it is now. disco#info to the node 'node#ver' (§6.2) is
  // answered as disco#info to the server.
  [[nodiscard]] xml::Element caps() const;

private:
  [[nodiscard]] xml::Element answer_disco_info(const xml::Element& iq, const xml::Element& query,
                                               bool to_account) const;
  // The <query/> of a disco#info answer, for the server or an account.
  [[nodiscard]] xml::Element disco_info(bool to_account) const;
  // The node of the server's caps (§6.2), 'node#ver'.
  [[nodiscard]] std::string caps_node() const;

  std::string domain_;
  std::vector<std::string> items_;
  std::vector<std::string> server_features_;
  std::vector<std::string> account_features_;
  struct Identity {
    FeatureOf owner;
    std::string category;
    std::string type;
  };
  std::vector<Identity> identities_;
};

} // namespace starling::xmpp::im
