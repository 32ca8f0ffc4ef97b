// Tests of the document form of an element: what offline messages are stored as and read from.
#include <string>

#include <gtest/gtest.h>

#include "xmpp/xml/document.h"
#include "xmpp/xml/limits.h"
#include "xmpp/xml/namespaces.h"

namespace starling::xmpp::xml {
namespace {

constexpr std::string_view kDelay = "urn:xmpp:delay";

Element delayed_message() {
  Element message(kClientNamespace, "message");
  message.set_attribute("from", "bob@pbx.test/desk")
      .set_attribute("to", "alice@pbx.test")
      .set_attribute("type", "chat")
      .set_attribute(kXmlNamespace, "lang", "en");
  message.append(Element(kClientNamespace, "body")).append_text("1 < 2 & 'quotes' \"too\"");
  message.append(Element(kDelay, "delay"))
      .set_attribute("from", "pbx.test")
      .set_attribute("stamp", "2026-01-01T00:00:00Z");
  return message;
}

TEST(Document, MessageWithAChildInAnotherNamespaceReadsBackEqual) {
  const Element message = delayed_message();
  const std::string document = to_document(message);
  const auto parsed = parse_document(document);
  ASSERT_TRUE(parsed.has_value()) << document;
  EXPECT_EQ(*parsed, message);
  EXPECT_EQ(parsed->ns(), kClientNamespace);
  const Element* body = parsed->child(kClientNamespace, "body");
  ASSERT_NE(body, nullptr);
  EXPECT_EQ(body->text(), "1 < 2 & 'quotes' \"too\"");
  const Element* delay = parsed->child(kDelay, "delay");
  ASSERT_NE(delay, nullptr);
  EXPECT_EQ(delay->attribute("stamp"), "2026-01-01T00:00:00Z");
  EXPECT_EQ(parsed->attribute(kXmlNamespace, "lang"), "en");
}

TEST(Document, DeclaresTheElementsNamespaceSoItNeedsNoStream) {
  const std::string document = to_document(Element(kClientNamespace, "message"));
  EXPECT_EQ(document, "<message xmlns='jabber:client'/>");
}

TEST(Document, ReadsAHandWrittenDocumentWithPrefixes) {
  const auto parsed = parse_document("<message xmlns='jabber:client' to='alice@pbx.test'>"
                                     "<d:delay xmlns:d='urn:xmpp:delay' stamp='x'/></message>");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_TRUE(parsed->is(kClientNamespace, "message"));
  EXPECT_NE(parsed->child(kDelay, "delay"), nullptr);
}

TEST(Document, RefusesEmptyInput) {
  EXPECT_FALSE(parse_document(""));
  EXPECT_FALSE(parse_document("   "));
}

TEST(Document, RefusesTwoElements) {
  EXPECT_FALSE(parse_document("<message xmlns='jabber:client'/><message xmlns='jabber:client'/>"));
}

TEST(Document, RefusesTrailingGarbage) {
  EXPECT_FALSE(parse_document("<message xmlns='jabber:client'/>garbage"));
  EXPECT_FALSE(parse_document("<message xmlns='jabber:client'/><"));
}

TEST(Document, RefusesAnUnfinishedElement) {
  EXPECT_FALSE(parse_document("<message xmlns='jabber:client'><body>hi</body>"));
}

// RFC 6120 §11.1: no DTDs, comments or processing instructions, stored or not.
TEST(Document, RefusesWhatRestrictedXmlForbids) {
  EXPECT_FALSE(parse_document("<!DOCTYPE message><message xmlns='jabber:client'/>"));
  EXPECT_FALSE(parse_document("<!-- note --><message xmlns='jabber:client'/>"));
  EXPECT_FALSE(parse_document("<message xmlns='jabber:client'><!-- note --></message>"));
  EXPECT_FALSE(parse_document("<?php echo 1; ?><message xmlns='jabber:client'/>"));
  EXPECT_FALSE(parse_document("<message xmlns='jabber:client'><?pi x?></message>"));
}

// A message whose document is `size` bytes long: markup around a body of x's.
std::string document_of_size(std::size_t size) {
  const auto with_body = [](std::size_t length) {
    Element message(kClientNamespace, "message");
    message.append(Element(kClientNamespace, "body")).append_text(std::string(length, 'x'));
    return to_document(message);
  };
  return with_body(size - (with_body(1).size() - 1)); // an empty body would be <body/>
}

TEST(Document, ReadsAnElementOfExactlyTheAuthenticatedSizeLimit) {
  const std::string document = document_of_size(kMaxElementSizeAuthenticated);
  ASSERT_EQ(document.size(), kMaxElementSizeAuthenticated);
  EXPECT_TRUE(parse_document(document));
}

TEST(Document, RefusesAnElementOverTheAuthenticatedSizeLimit) {
  const std::string document = document_of_size(kMaxElementSizeAuthenticated + 1);
  ASSERT_EQ(document.size(), kMaxElementSizeAuthenticated + 1);
  EXPECT_FALSE(parse_document(document));
}

TEST(Document, ReadsAnElementLargerThanTheLimitBeforeAuthentication) {
  Element message(kClientNamespace, "message");
  message.append(Element(kClientNamespace, "body"))
      .append_text(std::string(kMaxElementSizeBeforeAuth * 2, 'x'));
  const auto parsed = parse_document(to_document(message));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*parsed, message);
}

// The document is read inside a stream the reader opens and closes itself; a document that
// closes that stream early is not the single element to_document() writes.
TEST(Document, RefusesADocumentThatEndsTheStreamItself) {
  EXPECT_FALSE(parse_document("<message xmlns='jabber:client'/></stream:stream>"));
  EXPECT_FALSE(parse_document("<message xmlns='jabber:client'/></stream:stream><garbage"));
}

} // namespace
} // namespace starling::xmpp::xml
