// The personal eventing service (XEP-0163) at each user's bare JID: the subset of
// publish-subscribe (XEP-0060) PEP clients use — publish with auto-create and
// publish-options, item retrieval, retract, node deletion and configuration, and service
// discovery of the nodes — with items kept in im::UserData.
#pragma once

#include <cstddef>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "xmpp/im/entity_caps.h"
#include "xmpp/im/iq_handler.h"
#include "xmpp/im/roster_source.h"
#include "xmpp/im/server_iq.h"
#include "xmpp/im/sessions.h"
#include "xmpp/im/user_data.h"
#include "xmpp/jid.h"
#include "xmpp/pep/pep_nodes.h"
#include "xmpp/pep/pep_notifier.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::pep {

// Told when a user's client changed one of their nodes, for features that mirror a node
// elsewhere (the vCard's photo, XEP-0398; legacy bookmarks, XEP-0411).
class NodeListener {
public:
  NodeListener() = default;
  NodeListener(const NodeListener&) = delete;
  NodeListener& operator=(const NodeListener&) = delete;
  virtual ~NodeListener() = default;

  virtual void on_node_changed(const Jid& owner, std::string_view node) = 0;
};

class PepService final : public im::IqHandler, public im::CapsListener {
public:
  // All references must outlive the service.
  PepService(im::Sessions& sessions, const im::RosterSource& roster, const im::EntityCaps& caps,
             im::UserData& data, const im::ServerIq& server_iq)
      : roster_(roster), server_iq_(server_iq), nodes_(data), notifier_(sessions, roster, caps) {}

  // A user's nodes at most, and the longest node name and item id taken.
  static constexpr std::size_t kMaxNodesPerUser = 256;
  static constexpr std::size_t kMaxNameSize = 1023; // as a JID part (RFC 7622 §3.1)

  // Adds the pubsub/pep identity and the PEP features to every account's disco#info.
  static void announce(im::ServerIq& server_iq);
  // `listener` must outlive the service.
  void add_listener(NodeListener& listener) { listeners_.push_back(&listener); }

  [[nodiscard]] const PepNodes& nodes() const { return nodes_; }
  // Publishing by the server on the user's behalf (a pubsub <item id='…'> with its payload),
  // notified like a client's; `config` applies when the node is new. Listeners are not told.
  void publish(const Jid& owner, std::string_view node, const NodeConfig& config,
               const xml::Element& item);
  void retract(const Jid& owner, std::string_view node, std::string_view id);

  bool on_request(im::Resource& sender, const std::optional<Jid>& to,
                  const xml::Element& iq) override;
  // XEP-0163 §4.3.2: a resource that asks for notifications gets the last item of each
  // node it may see, of its own user and of the contacts whose presence it receives.
  void on_caps(im::Resource& resource, const im::Features& features) override;

private:
  // Each answers a request to `owner`'s service: the result or an error.
  xml::Element publish_request(const Jid& sender, const Jid& owner, const xml::Element& iq,
                               const xml::Element& pubsub);
  xml::Element items_request(const Jid& sender, const Jid& owner, const xml::Element& iq,
                             const xml::Element& items);
  xml::Element retract_request(const Jid& owner, const xml::Element& iq,
                               const xml::Element& retract);
  xml::Element owner_request(const Jid& owner, const xml::Element& iq, const xml::Element& query);
  xml::Element disco_items(const Jid& sender, const Jid& owner, const xml::Element& iq,
                           const xml::Element& query) const;
  void tell_listeners(const Jid& owner, std::string_view node);
  std::string new_item_id();

  const im::RosterSource& roster_;
  const im::ServerIq& server_iq_; // answers disco#info on the accounts' behalf
  PepNodes nodes_;
  PepNotifier notifier_;
  std::vector<NodeListener*> listeners_;
  std::mt19937_64 ids_{std::random_device{}()};
};

} // namespace starling::xmpp::pep
