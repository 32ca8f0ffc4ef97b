// The PEP nodes of every user as kept in im::UserData: a "pep-node" entry per node (its
// configuration and the order its items were published in) and a "pep:NODE" entry per item.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "xmpp/im/user_data.h"
#include "xmpp/pep/node_config.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::pep {

struct Node {
  NodeConfig config;
  std::vector<std::string> item_ids; // oldest first, at most config.max_items
};

class PepNodes {
public:
  // `data` must outlive this object.
  explicit PepNodes(im::UserData& data) : data_(data) {}

  [[nodiscard]] std::optional<Node> node(std::string_view user, std::string_view name) const;
  [[nodiscard]] std::vector<std::string> node_names(std::string_view user) const;
  // The stored <item id='…' xmlns='…pubsub'> with its payload, or null.
  [[nodiscard]] const xml::Element* item(std::string_view user, std::string_view node,
                                         std::string_view id) const;

  // Creates the node or changes its configuration; items beyond a lower max_items go.
  void configure(std::string_view user, std::string_view name, const NodeConfig& config);
  // Adds or replaces the item (a pubsub <item id='…'>) as the newest, dropping the oldest
  // beyond max_items (XEP-0060 §7.1.2). The node must exist.
  void publish(std::string_view user, std::string_view name, const xml::Element& item);
  // Whether there was such an item.
  bool retract(std::string_view user, std::string_view name, std::string_view id);
  void remove(std::string_view user, std::string_view name);

private:
  void store(std::string_view user, std::string_view name, Node& node);

  im::UserData& data_;
};

} // namespace starling::xmpp::pep
