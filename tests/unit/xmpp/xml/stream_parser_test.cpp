// Tests of StreamParser: stream header, stanzas in any chunking, namespaces, restricted XML,
// limits, restarts and encodings.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "xmpp/xml/serializer.h"
#include "xmpp/xml/stream_parser.h"

namespace starling::xmpp::xml {
namespace {

using enum StreamErrorCondition;

const std::string kHeader = "<?xml version='1.0'?>"
                            "<stream:stream from='juliet@im.example.com' to='im.example.com' "
                            "version='1.0' xml:lang='en' xmlns='jabber:client' "
                            "xmlns:stream='http://etherx.jabber.org/streams'>";

const std::string kStanzas =
    "<iq type='set' id='bind_1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
    "<resource>balcony</resource></bind></iq>\n"
    "<presence/> "
    "<message to='romeo@example.net' type='chat' xml:lang='en'>"
    "<body>Wherefore art thou, Romeo? &lt;3 &amp; &#x263A; &#169;</body></message>";

std::vector<Event> drain(StreamParser& parser) {
  std::vector<Event> events;
  while (auto event = parser.next()) {
    events.push_back(std::move(*event));
  }
  return events;
}

std::vector<Event> parse(std::string_view bytes, ParserSettings settings = {}) {
  StreamParser parser(std::move(settings));
  parser.feed(bytes);
  return drain(parser);
}

// The error that ended the stream, or a failed expectation.
ParseError error_of(const std::vector<Event>& events) {
  if (events.empty() || !std::holds_alternative<ParseError>(events.back())) {
    ADD_FAILURE() << "no error after " << events.size() << " events";
    return {};
  }
  return std::get<ParseError>(events.back());
}

StreamErrorCondition condition_of(std::string_view bytes, ParserSettings settings = {}) {
  return error_of(parse(bytes, std::move(settings))).condition;
}

std::vector<Element> elements_of(const std::vector<Event>& events) {
  std::vector<Element> elements;
  for (const Event& event : events) {
    if (const auto* element = std::get_if<Element>(&event)) {
      elements.push_back(*element);
    }
  }
  return elements;
}

TEST(StreamParser, ReadsTheStreamHeaderAndItsAttributes) {
  const auto events = parse(kHeader);
  ASSERT_EQ(events.size(), 1U);
  const auto& header = std::get<StreamHeader>(events[0]);
  EXPECT_EQ(header.from, "juliet@im.example.com");
  EXPECT_EQ(header.to, "im.example.com");
  EXPECT_EQ(header.version, "1.0");
  EXPECT_EQ(header.lang, "en");
  EXPECT_EQ(header.id, "");
  EXPECT_EQ(header.content_namespace, "jabber:client");
}

TEST(StreamParser, AcceptsAHeaderWithoutXmlDeclarationOrDefaultNamespace) {
  const auto events = parse("<stream:stream xmlns:stream='http://etherx.jabber.org/streams' "
                            "to='im.example.com' version='1.0'>"
                            "<presence xmlns='jabber:client'/>");
  ASSERT_EQ(events.size(), 2U);
  EXPECT_EQ(std::get<StreamHeader>(events[0]).content_namespace, "");
  EXPECT_TRUE(std::get<Element>(events[1]).is(kClientNamespace, "presence"));
}

TEST(StreamParser, DeliversEachTopLevelElementWhole) {
  const auto elements = elements_of(parse(kHeader + kStanzas));
  ASSERT_EQ(elements.size(), 3U);
  const Element& iq = elements[0];
  EXPECT_TRUE(iq.is(kClientNamespace, "iq"));
  EXPECT_EQ(iq.attribute("id"), "bind_1");
  const Element* bind = iq.child(kBindNamespace, "bind");
  ASSERT_NE(bind, nullptr);
  ASSERT_NE(bind->child(kBindNamespace, "resource"), nullptr);
  EXPECT_EQ(bind->child(kBindNamespace, "resource")->text(), "balcony");
  EXPECT_TRUE(elements[1].is(kClientNamespace, "presence"));
  EXPECT_TRUE(elements[1].nodes().empty());
  const Element* body = elements[2].child(kClientNamespace, "body");
  ASSERT_NE(body, nullptr);
  EXPECT_EQ(body->text(), "Wherefore art thou, Romeo? <3 & \u263A \u00A9");
}

TEST(StreamParser, SplittingTheBytesAnywhereGivesTheSameEvents) {
  const std::string stream = kHeader + kStanzas + "</stream:stream>";
  const auto whole = parse(stream);
  ASSERT_EQ(whole.size(), 5U);
  for (std::size_t split = 1; split < stream.size(); ++split) {
    StreamParser parser;
    parser.feed(stream.substr(0, split));
    auto events = drain(parser);
    parser.feed(stream.substr(split));
    for (auto& event : drain(parser)) {
      events.push_back(std::move(event));
    }
    ASSERT_EQ(events, whole) << "split at " << split;
  }
}

TEST(StreamParser, OneByteAtATimeGivesTheSameEvents) {
  const std::string stream = kHeader + kStanzas + "</stream:stream>";
  StreamParser parser;
  std::vector<Event> events;
  for (const char c : stream) {
    parser.feed(std::string_view(&c, 1));
    for (auto& event : drain(parser)) {
      events.push_back(std::move(event));
    }
  }
  EXPECT_EQ(events, parse(stream));
}

// Feeds `stream` split at every byte boundary and expects the events of feeding it whole.
void expect_same_events_at_every_split(const std::string& stream) {
  const auto whole = parse(stream);
  for (std::size_t split = 1; split < stream.size(); ++split) {
    StreamParser parser;
    parser.feed(stream.substr(0, split));
    auto events = drain(parser);
    parser.feed(stream.substr(split));
    for (auto& event : drain(parser)) {
      events.push_back(std::move(event));
    }
    ASSERT_EQ(events, whole) << "split at " << split;
  }
}

TEST(StreamParser, LargeTagsSplitAnywhereGiveTheSameEvents) {
  // Over the size from which the parser holds bytes back until they can end the tag.
  const std::string value(300, 'v');
  const std::string stream = kHeader + "<message to='" + value + "\">\"' id=\"" + value + "'>'\">" +
                             "<body>&amp;</body></message" + std::string(300, ' ') + "><presence/>";
  const auto elements = elements_of(parse(stream));
  ASSERT_EQ(elements.size(), 2U);
  EXPECT_EQ(elements[0].attribute("to"), value + "\">\"");
  expect_same_events_at_every_split(stream);
}

TEST(StreamParser, LargeCommentsSplitAnywhereAreRestrictedXml) {
  const std::string stream =
      kHeader + "<message><!-" + "-" + std::string(300, '>') + "--></message>";
  EXPECT_EQ(condition_of(stream), restricted_xml);
  expect_same_events_at_every_split(stream);
}

TEST(StreamParser, LargeTagTrickledByteByByteArrivesWhenItEnds) {
  const std::string tag =
      "<message to='" + std::string(kMaxElementSizeAuthenticated - 100, '>') + "'/>";
  StreamParser parser({.max_element_size = kMaxElementSizeAuthenticated});
  parser.feed(kHeader);
  ASSERT_EQ(drain(parser).size(), 1U);
  for (std::size_t i = 0; i + 1 < tag.size(); ++i) {
    parser.feed(tag.substr(i, 1));
    ASSERT_FALSE(parser.next()) << "at byte " << i;
  }
  EXPECT_EQ(parser.unparsed(), tag.substr(0, tag.size() - 1));
  parser.feed(">");
  const auto events = drain(parser);
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(std::get<Element>(events[0]).attribute("to")->size(), tag.size() - 16);
}

TEST(StreamParser, ResolvesDefaultAndPrefixedNamespaces) {
  const auto elements =
      elements_of(parse(kHeader + "<message xmlns:x='urn:example:x' xmlns:y='urn:example:y'>"
                                  "<x:a y:attr='1' plain='2' xml:lang='fr'><b/></x:a>"
                                  "<c xmlns='urn:example:c'><d/></c>"
                                  "<stream:error/></message>"));
  ASSERT_EQ(elements.size(), 1U);
  const Element& message = elements[0];
  EXPECT_EQ(message.ns(), kClientNamespace);
  const Element* a = message.child("urn:example:x", "a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->attribute("urn:example:y", "attr"), "1");
  EXPECT_EQ(a->attribute("plain"), "2");
  EXPECT_EQ(a->attribute(kXmlNamespace, "lang"), "fr");
  EXPECT_NE(a->child(kClientNamespace, "b"), nullptr) << "unprefixed children keep the default";
  const Element* c = message.child("urn:example:c", "c");
  ASSERT_NE(c, nullptr);
  EXPECT_NE(c->child("urn:example:c", "d"), nullptr);
  EXPECT_NE(message.child(kStreamNamespace, "error"), nullptr);
}

TEST(StreamParser, AcceptsAnyPrefixForTheStreamNamespace) {
  const auto events = parse("<s:stream xmlns:s='http://etherx.jabber.org/streams' "
                            "xmlns='jabber:client'><s:features/></s:stream>");
  ASSERT_EQ(events.size(), 3U);
  EXPECT_TRUE(std::get<Element>(events[1]).is(kStreamNamespace, "features"));
  EXPECT_TRUE(std::holds_alternative<StreamClosed>(events[2]));
}

// --- resting between elements ---

TEST(StreamParser, RestsBetweenElementsAndReadsOnInTheSameStream) {
  StreamParser parser;
  parser.feed(kHeader + "<presence/>\n");
  ASSERT_EQ(drain(parser).size(), 2U);
  EXPECT_TRUE(parser.idle()) << "nothing half-read: the expat parser is given back";
  parser.feed("<message><body>still here</body></message>");
  const auto events = drain(parser);
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(std::get<Element>(events[0]).child(kClientNamespace, "body")->text(), "still here");
  parser.feed("</stream:stream>");
  const auto closing = drain(parser);
  ASSERT_EQ(closing.size(), 1U);
  EXPECT_TRUE(std::holds_alternative<StreamClosed>(closing[0]));
}

TEST(StreamParser, DoesNotRestInTheMiddleOfAnElementOrATag) {
  StreamParser parser;
  parser.feed(kHeader + "<message><bo");
  drain(parser);
  EXPECT_FALSE(parser.idle());
  parser.feed("dy>hi</body></message><pres");
  ASSERT_EQ(drain(parser).size(), 1U);
  EXPECT_FALSE(parser.idle());
  parser.feed("ence/>");
  ASSERT_EQ(drain(parser).size(), 1U);
  EXPECT_TRUE(parser.idle());
}

TEST(StreamParser, PrefixesOfTheHeaderStillResolveAfterARest) {
  StreamParser parser;
  parser.feed("<s:stream xmlns:s='http://etherx.jabber.org/streams' xmlns='jabber:client' "
              "xmlns:x='urn:example:x'><presence/>");
  ASSERT_EQ(drain(parser).size(), 2U);
  ASSERT_TRUE(parser.idle());
  parser.feed("<message><x:data/><s:error/></message></s:stream>");
  const auto events = drain(parser);
  ASSERT_EQ(events.size(), 2U);
  const auto& message = std::get<Element>(events[0]);
  EXPECT_EQ(message.ns(), kClientNamespace);
  EXPECT_NE(message.child("urn:example:x", "data"), nullptr);
  EXPECT_NE(message.child(kStreamNamespace, "error"), nullptr);
  EXPECT_TRUE(std::holds_alternative<StreamClosed>(events[1]));
}

TEST(StreamParser, ClosingWithAnotherPrefixAfterARestIsNotWellFormed) {
  StreamParser parser;
  parser.feed("<s:stream xmlns:s='http://etherx.jabber.org/streams' xmlns='jabber:client'>");
  drain(parser);
  ASSERT_TRUE(parser.idle());
  parser.feed("</stream:stream>");
  EXPECT_EQ(error_of(drain(parser)).condition, not_well_formed);
}

TEST(StreamParser, ErrorsAfterARestSayWhereInTheWholeStream) {
  StreamParser parser;
  parser.feed(kHeader + "<presence/>");
  drain(parser);
  ASSERT_TRUE(parser.idle());
  parser.feed("<message></presence>");
  const ParseError error = error_of(drain(parser));
  const std::size_t end_tag = kHeader.size() + 11 + 9;
  EXPECT_GE(error.offset, end_tag);
  EXPECT_LT(error.offset, end_tag + 11) << "within </presence>";
}

TEST(StreamParser, LimitsStillHoldAfterARest) {
  StreamParser parser(ParserSettings{.max_element_size = 300});
  parser.feed(kHeader + "<presence/>");
  drain(parser);
  ASSERT_TRUE(parser.idle());
  parser.feed("<message><body>" + std::string(400, 'x') + "</body></message>");
  EXPECT_EQ(error_of(drain(parser)).condition, policy_violation);
}

TEST(StreamParser, TextSurvivesASerialiseAndParseRoundTrip) {
  Element message(kClientNamespace, "message");
  message.set_attribute("to", "a'b\"c&d<e>f\tg\nh\ri");
  message.append(Element(kClientNamespace, "body"))
      .append_text("1 < 2 && 3 > 2 ]]> 'q' \"qq\"\r\n\ttab \u00E9\U0001F600");
  const auto elements = elements_of(parse(kHeader + serialize(message)));
  ASSERT_EQ(elements.size(), 1U);
  EXPECT_EQ(elements[0], message);
}

TEST(StreamParser, CdataSectionsAreText) {
  const auto elements =
      elements_of(parse(kHeader + "<message><body><![CDATA[<b>&amp;</b>]]></body></message>"));
  ASSERT_EQ(elements.size(), 1U);
  EXPECT_EQ(elements[0].child(kClientNamespace, "body")->text(), "<b>&amp;</b>");
}

TEST(StreamParser, IgnoresWhitespaceKeepAlivesBetweenElements) {
  StreamParser parser;
  parser.feed(kHeader);
  ASSERT_EQ(drain(parser).size(), 1U);
  for (int i = 0; i < 50000; ++i) { // far more than the element size limit in total
    parser.feed(i % 2 == 0 ? " " : "\r\n\t");
    ASSERT_TRUE(drain(parser).empty());
  }
  parser.feed("<presence/>");
  const auto events = drain(parser);
  ASSERT_EQ(events.size(), 1U);
  EXPECT_TRUE(std::holds_alternative<Element>(events[0]));
  EXPECT_EQ(parser.unparsed(), "");
}

TEST(StreamParser, RefusesTextBetweenElements) {
  EXPECT_EQ(condition_of(kHeader + "<presence/>hello"), bad_format);
}

TEST(StreamParser, ClosingTagGivesAClosedEventAndNothingAfter) {
  StreamParser parser;
  parser.feed(kHeader + "<presence/></stream:stream><presence/>");
  const auto events = drain(parser);
  ASSERT_EQ(events.size(), 3U);
  EXPECT_TRUE(std::holds_alternative<StreamClosed>(events[2]));
  parser.feed("<message/>");
  EXPECT_FALSE(parser.next());
}

TEST(StreamParser, StopsAfterEachEventSoARestartLosesNothing) {
  StreamParser parser;
  parser.feed(kHeader +
              "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>"
              "AGp1bGlldABy</auth>" +
              kHeader);
  ASSERT_TRUE(std::holds_alternative<StreamHeader>(*parser.next()));
  const auto auth = parser.next();
  ASSERT_TRUE(auth && std::holds_alternative<Element>(*auth));
  EXPECT_EQ(parser.unparsed(), kHeader) << "the pipelined header is not parsed yet";
  const std::string rest(parser.unparsed());
  parser.reset();
  parser.feed(rest);
  const auto events = drain(parser);
  ASSERT_EQ(events.size(), 1U);
  EXPECT_TRUE(std::holds_alternative<StreamHeader>(events[0]));
}

TEST(StreamParser, ResetExpectsANewStreamHeaderAndDropsUnparsedBytes) {
  StreamParser parser;
  parser.feed(kHeader + "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/><injected/>");
  ASSERT_EQ(std::get<Element>(*[&] {
              (void)parser.next();
              return parser.next();
            }())
                .name(),
            "starttls");
  parser.reset();
  EXPECT_EQ(parser.unparsed(), "");
  EXPECT_FALSE(parser.next()) << "plaintext after <starttls/> is gone";
  parser.feed(kHeader + "<presence/>");
  const auto events = drain(parser);
  ASSERT_EQ(events.size(), 2U);
  EXPECT_TRUE(std::holds_alternative<StreamHeader>(events[0]));
  EXPECT_TRUE(std::holds_alternative<Element>(events[1]));
}

TEST(StreamParser, ResetRecoversAFailedStream) {
  StreamParser parser;
  parser.feed("<junk/>");
  ASSERT_EQ(drain(parser).size(), 1U);
  parser.reset();
  parser.feed(kHeader);
  EXPECT_TRUE(std::holds_alternative<StreamHeader>(*parser.next()));
}

TEST(StreamParser, WrongStreamNamespaceIsInvalidNamespace) {
  EXPECT_EQ(condition_of("<stream:stream xmlns:stream='http://etherx.jabber.org/streamz' "
                         "xmlns='jabber:client'>"),
            invalid_namespace);
  EXPECT_EQ(condition_of("<stream xmlns='jabber:client'>"), invalid_namespace);
  EXPECT_EQ(condition_of("<message xmlns='jabber:client'/>"), invalid_namespace);
}

TEST(StreamParser, WrongContentNamespaceIsInvalidNamespace) {
  EXPECT_EQ(condition_of("<stream:stream xmlns:stream='http://etherx.jabber.org/streams' "
                         "xmlns='jabber:server'>"),
            invalid_namespace);
  const auto events = parse("<stream:stream xmlns:stream='http://etherx.jabber.org/streams' "
                            "xmlns='jabber:server'>",
                            {.content_namespace = "jabber:server"});
  EXPECT_TRUE(std::holds_alternative<StreamHeader>(events.at(0)));
}

TEST(StreamParser, WrongRootElementInTheStreamNamespaceIsBadFormat) {
  EXPECT_EQ(condition_of("<stream:features xmlns:stream='http://etherx.jabber.org/streams'>"),
            bad_format);
}

TEST(StreamParser, UnboundPrefixIsBadNamespacePrefix) {
  EXPECT_EQ(condition_of("<stream:stream xmlns='jabber:client'>"), bad_namespace_prefix);
  EXPECT_EQ(condition_of(kHeader + "<foo:message/>"), bad_namespace_prefix);
}

TEST(StreamParser, BrokenXmlIsNotWellFormed) {
  EXPECT_EQ(condition_of(kHeader + "<message></presence>"), not_well_formed);
  EXPECT_EQ(condition_of(kHeader + "<message to='a' to='b'/>"), not_well_formed);
  EXPECT_EQ(condition_of(kHeader + "<message>\x01</message>"), not_well_formed);
  EXPECT_EQ(condition_of(kHeader + "<body>&#0;</body>"), not_well_formed);
  EXPECT_EQ(condition_of(kHeader + "<body>\xC3\x28</body>"), not_well_formed);
}

TEST(StreamParser, ErrorsSayWhereInTheStream) {
  const ParseError error = error_of(parse(kHeader + "<message></presence>"));
  const std::size_t end_tag = kHeader.size() + 9;
  EXPECT_GE(error.offset, end_tag);
  EXPECT_LT(error.offset, end_tag + 11) << "within </presence>";
  EXPECT_FALSE(error.reason.empty());
}

TEST(StreamParser, DoctypeIsRestrictedXml) {
  EXPECT_EQ(condition_of("<?xml version='1.0'?><!DOCTYPE stream:stream>" + kHeader),
            restricted_xml);
}

TEST(StreamParser, BillionLaughsIsRestrictedXmlBeforeAnyExpansion) {
  std::string laughs = "<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol0 'lol'>";
  for (int i = 1; i < 10; ++i) {
    laughs += "<!ENTITY lol" + std::to_string(i) + " '";
    for (int j = 0; j < 10; ++j) {
      laughs += "&lol" + std::to_string(i - 1) + ";";
    }
    laughs += "'>";
  }
  laughs += "]>" + kHeader + "<message><body>&lol9;</body></message>";
  const ParseError error = error_of(parse(laughs));
  EXPECT_EQ(error.condition, restricted_xml);
  EXPECT_LT(error.offset, laughs.find("<!ENTITY")) << "stopped before the first declaration";
}

TEST(StreamParser, ExternalEntityIsRestrictedXml) {
  EXPECT_EQ(condition_of("<!DOCTYPE s [<!ENTITY xxe SYSTEM 'file:///etc/passwd'>]>" + kHeader +
                         "<message><body>&xxe;</body></message>"),
            restricted_xml);
}

TEST(StreamParser, CommentIsRestrictedXml) {
  EXPECT_EQ(condition_of(kHeader + "<message><!-- hi --></message>"), restricted_xml);
  EXPECT_EQ(condition_of(kHeader + "<!-- between stanzas -->"), restricted_xml);
  EXPECT_EQ(condition_of("<!-- before -->" + kHeader), restricted_xml);
}

TEST(StreamParser, ProcessingInstructionIsRestrictedXml) {
  EXPECT_EQ(condition_of(kHeader + "<message><?php echo 1; ?></message>"), restricted_xml);
  EXPECT_EQ(condition_of("<?xml-stylesheet href='a'?>" + kHeader), restricted_xml);
}

TEST(StreamParser, UndefinedEntityIsRestrictedXml) {
  EXPECT_EQ(condition_of(kHeader + "<message><body>&nbsp;</body></message>"), restricted_xml);
  EXPECT_EQ(condition_of(kHeader + "<message to='&foo;'/>"), restricted_xml);
}

TEST(StreamParser, CharacterReferencesAndPredefinedEntitiesAreAllowed) {
  const auto elements = elements_of(
      parse(kHeader + "<message a='&quot;&apos;'><body>&lt;&gt;&amp;&#65;&#x42;</body></message>"));
  ASSERT_EQ(elements.size(), 1U);
  EXPECT_EQ(elements[0].attribute("a"), "\"'");
  EXPECT_EQ(elements[0].child(kClientNamespace, "body")->text(), "<>&AB");
}

TEST(StreamParser, ElementOverTheSizeLimitIsPolicyViolation) {
  const std::string big = "<message><body>" + std::string(2000, 'x') + "</body></message>";
  EXPECT_EQ(elements_of(parse(kHeader + big, {.max_element_size = 2100})).size(), 1U);
  EXPECT_EQ(condition_of(kHeader + big, {.max_element_size = 1900}), policy_violation);
}

TEST(StreamParser, UnfinishedTagOverTheSizeLimitStopsBeforeItEnds) {
  StreamParser parser;
  parser.feed(kHeader + "<message to='");
  ASSERT_EQ(drain(parser).size(), 1U);
  std::vector<Event> events;
  std::size_t fed = 0;
  while (events.empty() && fed < 10 * kMaxElementSizeBeforeAuth) {
    parser.feed(std::string(1000, 'a'));
    fed += 1000;
    events = drain(parser);
  }
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(std::get<ParseError>(events[0]).condition, policy_violation);
  EXPECT_LE(fed, kMaxElementSizeBeforeAuth + 1000);
  parser.feed("'/>");
  EXPECT_FALSE(parser.next()) << "nothing after the error";
}

TEST(StreamParser, OversizedStreamHeaderIsPolicyViolation) {
  EXPECT_EQ(condition_of("<stream:stream xmlns:stream='http://etherx.jabber.org/streams' to='" +
                         std::string(kMaxElementSizeBeforeAuth, 'a') + "'>"),
            policy_violation);
}

TEST(StreamParser, RaisedSizeLimitAppliesToTheNextElement) {
  const std::string big = "<message><body>" + std::string(20000, 'x') + "</body></message>";
  StreamParser parser;
  parser.feed(kHeader);
  ASSERT_EQ(drain(parser).size(), 1U);
  parser.set_max_element_size(kMaxElementSizeAuthenticated);
  parser.reset(); // the limit survives the restart after SASL success
  EXPECT_EQ(parser.settings().max_element_size, kMaxElementSizeAuthenticated);
  parser.feed(kHeader + big);
  EXPECT_EQ(elements_of(drain(parser)).size(), 1U);
}

TEST(StreamParser, NestingDeeperThanTheLimitIsPolicyViolation) {
  auto nested = [](std::size_t depth) {
    std::string open;
    std::string close;
    for (std::size_t i = 0; i < depth; ++i) {
      open += "<a>";
      close += "</a>";
    }
    return kHeader + open + close;
  };
  EXPECT_EQ(elements_of(parse(nested(kMaxDepth))).size(), 1U);
  EXPECT_EQ(condition_of(nested(kMaxDepth + 1)), policy_violation);
  EXPECT_EQ(condition_of(nested(100000), {.max_element_size = 1 << 20}), policy_violation);
}

TEST(StreamParser, MoreAttributesThanTheLimitIsPolicyViolation) {
  auto with_attributes = [](std::size_t count) {
    std::string tag = "<presence";
    for (std::size_t i = 0; i < count; ++i) {
      tag += " a" + std::to_string(i) + "='1'";
    }
    return kHeader + tag + "/>";
  };
  EXPECT_EQ(elements_of(parse(with_attributes(kMaxAttributes))).size(), 1U);
  EXPECT_EQ(condition_of(with_attributes(kMaxAttributes + 1)), policy_violation);
}

TEST(StreamParser, RefusesEncodingsOtherThanUtf8) {
  EXPECT_EQ(condition_of("<?xml version='1.0' encoding='ISO-8859-1'?>" + kHeader),
            unsupported_encoding);
  EXPECT_EQ(condition_of("<?xml version='1.0' encoding='UTF-16'?>" + kHeader),
            unsupported_encoding);
  EXPECT_EQ(condition_of(std::string("\xFF\xFE<\0s\0", 6)), unsupported_encoding);
  EXPECT_EQ(condition_of(std::string("\0<\0s", 4)), unsupported_encoding);
}

TEST(StreamParser, AcceptsUtf8DeclaredInAnyCase) {
  const auto events = parse("<?xml version='1.0' encoding='utf-8'?>" + kHeader.substr(21));
  ASSERT_EQ(events.size(), 1U);
  EXPECT_TRUE(std::holds_alternative<StreamHeader>(events[0]));
}

TEST(StreamParser, RefusesANamespaceUriContainingTheSeparator) {
  EXPECT_EQ(condition_of(kHeader + "<x:a xmlns:x='urn:a&#10;b'/>"), not_well_formed);
}

} // namespace
} // namespace starling::xmpp::xml
