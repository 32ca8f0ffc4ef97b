// Tests of Element: attribute and child lookup, text, and the builder.
#include <gtest/gtest.h>

#include "xmpp/xml/element.h"
#include "xmpp/xml/namespaces.h"

namespace starling::xmpp::xml {
namespace {

constexpr std::string_view kRoster = "jabber:iq:roster";

Element roster_push() {
  Element iq(kClientNamespace, "iq");
  iq.set_attribute("type", "set").set_attribute("id", "push1");
  Element& query = iq.append(Element(kRoster, "query"));
  query.append(Element(kRoster, "item")).set_attribute("jid", "romeo@example.net");
  query.append_text(" ");
  query.append(Element(kRoster, "item")).set_attribute("jid", "mercutio@example.com");
  query.append(Element("urn:example", "item"));
  return iq;
}

TEST(Element, FindsUnprefixedAttributesByName) {
  const Element iq = roster_push();
  EXPECT_EQ(iq.attribute("type"), "set");
  EXPECT_EQ(iq.attribute("id"), "push1");
  EXPECT_FALSE(iq.attribute("to"));
}

TEST(Element, KeepsXmlLangApartFromAnUnprefixedLangAttribute) {
  Element body(kClientNamespace, "body");
  body.set_attribute(kXmlNamespace, "lang", "de").set_attribute("lang", "x");
  EXPECT_EQ(body.attribute(kXmlNamespace, "lang"), "de");
  EXPECT_EQ(body.attribute("lang"), "x");
  EXPECT_EQ(body.attributes().size(), 2U);
}

TEST(Element, SettingAnAttributeAgainReplacesItsValue) {
  Element iq(kClientNamespace, "iq");
  iq.set_attribute("type", "get").set_attribute("type", "result");
  EXPECT_EQ(iq.attribute("type"), "result");
  EXPECT_EQ(iq.attributes().size(), 1U);
  EXPECT_TRUE(iq.remove_attribute({}, "type"));
  EXPECT_FALSE(iq.remove_attribute({}, "type"));
  EXPECT_TRUE(iq.attributes().empty());
}

TEST(Element, FindsChildrenByNamespaceAndName) {
  const Element iq = roster_push();
  const Element* query = iq.child(kRoster, "query");
  ASSERT_NE(query, nullptr);
  EXPECT_EQ(iq.child(kClientNamespace, "query"), nullptr);
  std::vector<std::string_view> jids;
  for (const Element& item : query->children(kRoster, "item")) {
    jids.push_back(*item.attribute("jid"));
  }
  EXPECT_EQ(jids, (std::vector<std::string_view>{"romeo@example.net", "mercutio@example.com"}));
  EXPECT_EQ(std::ranges::distance(query->elements()), 3);
}

TEST(Element, TextIsTheDirectCharacterDataConcatenated) {
  Element body(kClientNamespace, "body");
  body.append_text("Wherefore ").append_text("art");
  body.append(Element("urn:example", "b")).append_text("not this");
  body.append_text(" thou?");
  EXPECT_EQ(body.text(), "Wherefore art thou?");
  EXPECT_EQ(body.nodes().size(), 3U) << "adjacent text is merged";
}

TEST(Element, EmptyTextAddsNoNode) {
  Element body(kClientNamespace, "body");
  body.append_text("");
  EXPECT_TRUE(body.nodes().empty());
}

TEST(Element, ACopyWithoutSomeChildrenKeepsAttributesAndMergesTheTextAround) {
  Element message(kClientNamespace, "message");
  message.set_attribute("to", "romeo@example.net").append_text("a");
  message.append(Element("urn:example", "drop"));
  message.append_text("b");
  message.append(Element(kClientNamespace, "body"));
  const auto kept =
      message.without_elements([](const Element& child) { return child.name() == "drop"; });
  Element expected(kClientNamespace, "message");
  expected.set_attribute("to", "romeo@example.net").append_text("ab");
  expected.append(Element(kClientNamespace, "body"));
  EXPECT_EQ(kept, expected);
  EXPECT_EQ(kept.nodes().size(), 2U);
}

TEST(Element, BuildsFromATemporaryInOneExpression) {
  const Element success =
      Element(kSaslNamespace, "success").set_attribute("x", "1").append_text("dj1yZ");
  EXPECT_EQ(success.ns(), kSaslNamespace);
  EXPECT_EQ(success.name(), "success");
  EXPECT_EQ(success.text(), "dj1yZ");
}

TEST(Element, MutableChildCanBeBuiltFurther) {
  Element error(kStreamNamespace, "error");
  error.append(Element(kStreamErrorNamespace, "see-other-host"));
  error.child(kStreamErrorNamespace, "see-other-host")->append_text("[2001:db8::1]:5222");
  EXPECT_EQ(error.child(kStreamErrorNamespace, "see-other-host")->text(), "[2001:db8::1]:5222");
}

TEST(Element, ComparesNamespaceNameAttributesAndChildren) {
  EXPECT_EQ(roster_push(), roster_push());
  Element other = roster_push();
  other.set_attribute("id", "push2");
  EXPECT_NE(other, roster_push());
  EXPECT_NE(Element("a", "x"), Element("b", "x"));
}

} // namespace
} // namespace starling::xmpp::xml
