// PEP nodes over the per-user data store.
#include "xmpp/pep/pep_nodes.h"

#include <algorithm>
#include <charconv>

namespace starling::xmpp::pep {

namespace {

// The stored form of a node's entry, private to the server.
constexpr std::string_view kStorageNamespace = "urn:starling:pep:0";
constexpr std::string_view kNodeKind = "pep-node";

std::string items_kind(std::string_view node) {
  return "pep:" + std::string(node);
}

xml::Element to_element(const Node& node) {
  xml::Element out(kStorageNamespace, "node");
  out.set_attribute("access", to_string(node.config.access))
      .set_attribute("max-items", std::to_string(node.config.max_items))
      .set_attribute("send-last-item", node.config.send_last_item ? "true" : "false");
  for (const auto& id : node.item_ids) {
    out.append(xml::Element(kStorageNamespace, "item")).set_attribute("id", id);
  }
  return out;
}

Node from_element(const xml::Element& stored) {
  Node node;
  for (auto model : {AccessModel::presence, AccessModel::open, AccessModel::whitelist}) {
    if (stored.attribute("access") == to_string(model)) {
      node.config.access = model;
    }
  }
  const auto max = stored.attribute("max-items").value_or("1");
  std::from_chars(max.data(), max.data() + max.size(), node.config.max_items);
  node.config.max_items = std::clamp<std::size_t>(node.config.max_items, 1, kMaxItemsPerNode);
  node.config.send_last_item = stored.attribute("send-last-item") != "false";
  for (const auto& item : stored.children(kStorageNamespace, "item")) {
    node.item_ids.emplace_back(item.attribute("id").value_or(""));
  }
  return node;
}

} // namespace

std::optional<Node> PepNodes::node(std::string_view user, std::string_view name) const {
  const auto* stored = data_.find(user, kNodeKind, name);
  return stored == nullptr ? std::nullopt : std::optional(from_element(*stored));
}

std::vector<std::string> PepNodes::node_names(std::string_view user) const {
  std::vector<std::string> names;
  for (auto& [name, element] : data_.list(user, kNodeKind)) {
    names.push_back(name);
  }
  return names;
}

const xml::Element* PepNodes::item(std::string_view user, std::string_view node,
                                   std::string_view id) const {
  return data_.find(user, items_kind(node), id);
}

void PepNodes::store(std::string_view user, std::string_view name, Node& node) {
  while (node.item_ids.size() > node.config.max_items) {
    data_.remove(user, items_kind(name), node.item_ids.front());
    node.item_ids.erase(node.item_ids.begin());
  }
  data_.put(user, kNodeKind, name, to_element(node));
}

void PepNodes::configure(std::string_view user, std::string_view name, const NodeConfig& config) {
  Node updated = node(user, name).value_or(Node{});
  updated.config = config;
  store(user, name, updated);
}

void PepNodes::publish(std::string_view user, std::string_view name, const xml::Element& item) {
  auto current = node(user, name);
  if (!current) {
    return;
  }
  const std::string id(item.attribute("id").value_or(""));
  std::erase(current->item_ids, id); // a republished id becomes the newest
  current->item_ids.push_back(id);
  data_.put(user, items_kind(name), id, item);
  store(user, name, *current);
}

bool PepNodes::retract(std::string_view user, std::string_view name, std::string_view id) {
  auto current = node(user, name);
  if (!current || std::erase(current->item_ids, id) == 0) {
    return false;
  }
  data_.remove(user, items_kind(name), id);
  store(user, name, *current);
  return true;
}

void PepNodes::remove(std::string_view user, std::string_view name) {
  for (auto& [id, element] : data_.list(user, items_kind(name))) {
    data_.remove(user, items_kind(name), id);
  }
  data_.remove(user, kNodeKind, name);
}

} // namespace starling::xmpp::pep
