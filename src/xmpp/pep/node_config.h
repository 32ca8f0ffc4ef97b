// A PEP node's configuration (XEP-0060 §8.2) in the few options XEP-0163 and XEP-0223 clients
// set, from publish-options (§7.1.5) or a configure form, and the form that shows it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <string_view>

#include "xmpp/im/stanza_error.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::pep {

// XEP-0060 §4.5; "authorize" and "roster" are not offered.
enum class AccessModel : std::uint8_t {
  presence,  // contacts subscribed to the owner's presence (XEP-0163 §4.1's default)
  open,      // any local user
  whitelist, // the owner alone (XEP-0223's private data, XEP-0402's bookmarks)
};

std::string_view to_string(AccessModel model);

// Items kept per node at most; "max" in a form means this. Bookmarks (one item per room)
// are the largest PEP nodes in practice, and a few hundred rooms is a lot.
inline constexpr std::size_t kMaxItemsPerNode = 1000;

struct NodeConfig {
  AccessModel access = AccessModel::presence;
  std::size_t max_items = 1; // XEP-0163 §4.2: PEP nodes keep the last item by default
  // pubsub#send_last_published_item: "on_sub_and_presence" (true) or "never" (false).
  bool send_last_item = true;

  bool operator==(const NodeConfig&) const = default;
};

// `config` with the fields of a jabber:x:data form applied (pubsub#access_model,
// pubsub#max_items, pubsub#send_last_published_item, pubsub#persist_items). An unsupported
// value is an error; fields this server does not know are ignored.
[[nodiscard]] std::expected<NodeConfig, im::StanzaErrorCondition>
apply_form(NodeConfig config, const xml::Element& form);

// The node_config form of a configure request's answer (XEP-0060 §8.2.1).
[[nodiscard]] xml::Element config_form(const NodeConfig& config);

} // namespace starling::xmpp::pep
