#include <gtest/gtest.h>

#include "../im/router_fixture.h"
#include "xmpp/pep/node_config.h"

namespace starling::xmpp::pep {
namespace {

xml::Element form(std::string_view fields) {
  return im::stanza("<x xmlns='jabber:x:data' type='submit'>" + std::string(fields) + "</x>");
}

TEST(NodeConfig, TakesTheOptionsOfXep0402Bookmarks) {
  auto config = apply_form(
      {}, form("<field var='pubsub#persist_items'><value>true</value></field>"
               "<field var='pubsub#max_items'><value>max</value></field>"
               "<field var='pubsub#send_last_published_item'><value>never</value></field>"
               "<field var='pubsub#access_model'><value>whitelist</value></field>"));
  ASSERT_TRUE(config);
  EXPECT_EQ(config->access, AccessModel::whitelist);
  EXPECT_EQ(config->max_items, kMaxItemsPerNode);
  EXPECT_FALSE(config->send_last_item);
}

TEST(NodeConfig, RefusesAnAccessModelItDoesNotOffer) {
  EXPECT_FALSE(apply_form({}, form("<field var='pubsub#access_model'><value>roster</value>"
                                   "</field>")));
}

TEST(NodeConfig, RefusesMaxItemsThatAreNotAPositiveNumberWithinTheLimit) {
  for (std::string_view value : {"0", "-1", "12x", "100000", ""}) {
    EXPECT_FALSE(apply_form({}, form("<field var='pubsub#max_items'><value>" + std::string(value) +
                                     "</value></field>")))
        << value;
  }
}

TEST(NodeConfig, IgnoresFieldsItDoesNotKnow) {
  auto config = apply_form({}, form("<field var='pubsub#title'><value>x</value></field>"));
  ASSERT_TRUE(config);
  EXPECT_EQ(*config, NodeConfig{});
}

} // namespace
} // namespace starling::xmpp::pep
