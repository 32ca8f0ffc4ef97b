// Stanza error replies (RFC 6120 §8.3).
#include <gtest/gtest.h>

#include "xmpp/im/stanza_error.h"
#include "xmpp/xml/namespaces.h"
#include "xmpp/xml/serializer.h"

namespace starling::xmpp::im {
namespace {

TEST(StanzaError, SwapsAddressesKeepsIdAndPayloadAndAddsTheCondition) {
  xml::Element iq(xml::kClientNamespace, "iq");
  iq.set_attribute("from", "alice@pbx.example/phone")
      .set_attribute("to", "pbx.example")
      .set_attribute("type", "get")
      .set_attribute("id", "v1");
  iq.append(xml::Element("jabber:iq:version", "query"));
  EXPECT_EQ(xml::serialize(make_error_reply(iq, StanzaErrorCondition::service_unavailable)),
            "<iq from='pbx.example' to='alice@pbx.example/phone' id='v1' type='error'>"
            "<query xmlns='jabber:iq:version'/><error type='cancel'><service-unavailable "
            "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
}

TEST(StanzaError, ModifyConditionsSayModifyAndTheSenderCanBeOverridden) {
  xml::Element message(xml::kClientNamespace, "message");
  message.set_attribute("from", "alice@pbx.example/phone").set_attribute("to", "a@b@c");
  EXPECT_EQ(
      xml::serialize(make_error_reply(message, StanzaErrorCondition::jid_malformed, "pbx.example")),
      "<message from='pbx.example' to='alice@pbx.example/phone' type='error'>"
      "<error type='modify'><jid-malformed xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
      "</error></message>");
}

} // namespace
} // namespace starling::xmpp::im
