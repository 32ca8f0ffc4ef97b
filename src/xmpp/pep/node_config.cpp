// Node configuration forms (XEP-0060 §7.1.5, §8.2; XEP-0004).
#include "xmpp/pep/node_config.h"

#include <charconv>
#include <string>

#include "xmpp/im/data_form.h"
#include "xmpp/im/namespaces.h"
#include "xmpp/pep/pubsub_namespaces.h"

namespace starling::xmpp::pep {

namespace {

using enum im::StanzaErrorCondition;
using im::kDataFormsNamespace;

std::expected<AccessModel, im::StanzaErrorCondition> parse_access(std::string_view value) {
  for (auto model : {AccessModel::presence, AccessModel::open, AccessModel::whitelist}) {
    if (value == to_string(model)) {
      return model;
    }
  }
  return std::unexpected(not_acceptable);
}

std::expected<std::size_t, im::StanzaErrorCondition> parse_max_items(std::string_view value) {
  if (value == "max") {
    return kMaxItemsPerNode; // XEP-0060 §7.1.5 (since 1.15.2)
  }
  std::size_t count = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), count);
  if (ec != std::errc{} || end != value.data() + value.size() || count == 0 ||
      count > kMaxItemsPerNode) {
    return std::unexpected(not_acceptable);
  }
  return count;
}

} // namespace

std::string_view to_string(AccessModel model) {
  switch (model) {
  case AccessModel::presence:
    return "presence";
  case AccessModel::open:
    return "open";
  case AccessModel::whitelist:
    return "whitelist";
  }
  return "presence";
}

std::expected<NodeConfig, im::StanzaErrorCondition> apply_form(NodeConfig config,
                                                               const xml::Element& form) {
  for (const auto& f : form.children(kDataFormsNamespace, "field")) {
    const auto var = f.attribute("var").value_or("");
    const auto* value_element = f.child(kDataFormsNamespace, "value");
    const std::string value = value_element == nullptr ? std::string() : value_element->text();
    if (var == "pubsub#access_model") {
      auto access = parse_access(value);
      if (!access) {
        return std::unexpected(access.error());
      }
      config.access = *access;
    } else if (var == "pubsub#max_items") {
      auto max = parse_max_items(value);
      if (!max) {
        return std::unexpected(max.error());
      }
      config.max_items = *max;
    } else if (var == "pubsub#send_last_published_item") {
      if (value != "never" && value != "on_sub_and_presence" && value != "on_sub") {
        return std::unexpected(not_acceptable);
      }
      config.send_last_item = value != "never";
    } else if (var == "pubsub#persist_items" && value != "true" && value != "1") {
      return std::unexpected(not_acceptable); // every item is kept until retracted
    }
  }
  return config;
}

xml::Element config_form(const NodeConfig& config) {
  xml::Element x(kDataFormsNamespace, "x");
  x.set_attribute("type", "form");
  x.append(im::form_field("FORM_TYPE", kNodeConfigFormType, "hidden"));
  x.append(im::form_field("pubsub#access_model", to_string(config.access), "list-single"));
  x.append(im::form_field("pubsub#max_items", std::to_string(config.max_items), "text-single"));
  x.append(im::form_field("pubsub#persist_items", "true", "boolean"));
  x.append(im::form_field("pubsub#send_last_published_item",
                          config.send_last_item ? "on_sub_and_presence" : "never", "list-single"));
  return x;
}

} // namespace starling::xmpp::pep
