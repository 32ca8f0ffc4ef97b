// Tests of the serialiser: exact bytes, escaping, namespace declarations and prefixes.
#include <gtest/gtest.h>

#include "xmpp/xml/namespaces.h"
#include "xmpp/xml/serializer.h"

namespace starling::xmpp::xml {
namespace {

TEST(Serializer, WritesABuiltStanzaByteForByte) {
  Element iq(kClientNamespace, "iq");
  iq.set_attribute("type", "result").set_attribute("id", "bind_1");
  iq.append(Element(kBindNamespace, "bind"))
      .append(Element(kBindNamespace, "jid"))
      .append_text("juliet@im.example.com/balcony");
  EXPECT_EQ(serialize(iq), "<iq type='result' id='bind_1'>"
                           "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                           "<jid>juliet@im.example.com/balcony</jid></bind></iq>");
}

TEST(Serializer, WritesEmptyElementsAsEmptyElementTags) {
  EXPECT_EQ(serialize(Element(kSaslNamespace, "success")),
            "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
  EXPECT_EQ(serialize(Element(kClientNamespace, "presence")), "<presence/>");
}

TEST(Serializer, WritesStreamElementsWithTheStreamPrefix) {
  Element features(kStreamNamespace, "features");
  features.append(Element(kTlsNamespace, "starttls")).append(Element(kTlsNamespace, "required"));
  EXPECT_EQ(serialize(features), "<stream:features>"
                                 "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/>"
                                 "</starttls></stream:features>");
}

TEST(Serializer, WithoutAScopeDeclaresEveryNamespace) {
  Element features(kStreamNamespace, "features");
  features.append(Element(kClientNamespace, "x"));
  EXPECT_EQ(serialize(features, kNoScope),
            "<features xmlns='http://etherx.jabber.org/streams'><x xmlns='jabber:client'/>"
            "</features>");
}

TEST(Serializer, UndeclaresTheDefaultNamespaceForAnElementInNone) {
  Element message(kClientNamespace, "message");
  message.append(Element("", "plain"));
  EXPECT_EQ(serialize(message), "<message><plain xmlns=''/></message>");
}

TEST(Serializer, EscapesTheFiveSpecialCharactersInTextAndAttributes) {
  Element body(kClientNamespace, "body");
  body.set_attribute("note", "a&b<c>d\"e'f");
  body.append_text("a&b<c>d\"e'f ]]>");
  EXPECT_EQ(serialize(body), "<body note='a&amp;b&lt;c&gt;d&quot;e&apos;f'>"
                             "a&amp;b&lt;c&gt;d&quot;e&apos;f ]]&gt;</body>");
}

TEST(Serializer, KeepsWhitespaceThatXmlWouldNormalise) {
  Element body(kClientNamespace, "body");
  body.set_attribute("a", "1\t2\n3\r4");
  body.append_text("line\r\nnext\tcol");
  EXPECT_EQ(serialize(body), "<body a='1&#9;2&#10;3&#13;4'>line&#13;\nnext\tcol</body>");
}

TEST(Serializer, ReplacesWhatXmlCannotCarryWithReplacementCharacters) {
  Element body(kClientNamespace, "body");
  // A control character, a lone continuation byte, a truncated sequence, an encoded
  // surrogate and U+FFFF; valid multi-byte characters pass.
  body.append_text(std::string("a\x01") + "b\x80" + "c\xE2\x82" + "\xED\xA0\x80" + "\xEF\xBF\xBF" +
                   "\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_EQ(serialize(body), "<body>a\uFFFDb\uFFFDc\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD"
                             "\uFFFD\uFFFD\u00E9\U0001F600</body>");
}

TEST(Serializer, WritesXmlLangWithTheXmlPrefix) {
  Element body(kClientNamespace, "body");
  body.set_attribute(kXmlNamespace, "lang", "en");
  EXPECT_EQ(serialize(body), "<body xml:lang='en'/>");
}

TEST(Serializer, DeclaresPrefixesForOtherAttributeNamespaces) {
  Element item("urn:example:list", "item");
  item.set_attribute("urn:example:a", "x", "1")
      .set_attribute("urn:example:b", "x", "2")
      .set_attribute("urn:example:a", "y", "3");
  EXPECT_EQ(serialize(item), "<item xmlns='urn:example:list' xmlns:a0='urn:example:a' "
                             "xmlns:a1='urn:example:b' a0:x='1' a1:x='2' a0:y='3'/>");
}

TEST(Serializer, AppendsToExistingOutput) {
  std::string out = "<stream:stream>";
  serialize_to(Element(kClientNamespace, "presence"), out);
  EXPECT_EQ(out, "<stream:stream><presence/>");
}

} // namespace
} // namespace starling::xmpp::xml
