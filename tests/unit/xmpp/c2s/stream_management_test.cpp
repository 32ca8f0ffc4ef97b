// Tests of StreamManagement: XEP-0198's counters and the queue of unacknowledged stanzas.
#include <cstdint>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "xmpp/c2s/stream_management.h"
#include "xmpp/xml/serializer.h"

namespace starling::xmpp::c2s {
namespace {

using namespace std::chrono_literals;

xml::Element message(int n) {
  return xml::Element("jabber:client", "message").set_attribute("id", std::to_string(n));
}

TEST(StreamManagement, AckDropsTheAcknowledgedStanzasAndKeepsTheRestInOrder) {
  StreamManagement management("id", 300s);
  for (int n = 1; n <= 3; ++n) {
    management.on_stanza_sent(message(n));
  }
  ASSERT_TRUE(management.on_ack(2).has_value());
  ASSERT_EQ(management.unacked().size(), 1U);
  EXPECT_EQ(management.unacked().front().attribute("id"), "3");
  EXPECT_EQ(management.sent(), 3U);
}

TEST(StreamManagement, OneAckRequestIsDueWhileStanzasAreUnacknowledged) {
  StreamManagement management({}, 300s);
  EXPECT_FALSE(management.ack_request_due());
  management.on_stanza_sent(message(1));
  EXPECT_TRUE(management.ack_request_due());
  management.on_ack_requested();
  management.on_stanza_sent(message(2));
  EXPECT_FALSE(management.ack_request_due()); // the <r/> out covers it: its <a/> comes first
  ASSERT_TRUE(management.on_ack(1).has_value());
  EXPECT_TRUE(management.ack_request_due()); // message 2 went after the request
  management.on_ack_requested();
  ASSERT_TRUE(management.on_ack(2).has_value());
  EXPECT_FALSE(management.ack_request_due());
}

TEST(StreamManagement, AckBeyondWhatWasSentIsHandledCountTooHigh) {
  StreamManagement management("id", 300s);
  management.on_stanza_sent(message(1));
  const auto acked = management.on_ack(2);
  ASSERT_FALSE(acked.has_value());
  EXPECT_EQ(acked.error().h, 2U);
  EXPECT_EQ(acked.error().send_count, 1U);
  EXPECT_EQ(xml::serialize(handled_count_too_high_element(acked.error())),
            "<handled-count-too-high xmlns='urn:xmpp:sm:3' h='2' send-count='1'/>");
  EXPECT_EQ(management.unacked().size(), 1U);
}

TEST(StreamManagement, CountsWrapAroundAtTwoToTheThirtySecond) {
  constexpr auto kMax = std::numeric_limits<std::uint32_t>::max();
  StreamManagement management("id", 300s, {.handled = kMax, .acked = kMax - 1});
  management.on_stanza_handled();
  EXPECT_EQ(management.handled(), 0U);
  for (int n = 1; n <= 3; ++n) {
    management.on_stanza_sent(message(n));
  }
  EXPECT_EQ(management.sent(), 1U);
  // h = 0 after 2^32 - 1 acknowledges the two stanzas that crossed the wrap.
  ASSERT_TRUE(management.on_ack(0).has_value());
  ASSERT_EQ(management.unacked().size(), 1U);
  EXPECT_EQ(management.unacked().front().attribute("id"), "3");
  EXPECT_FALSE(management.on_ack(2).has_value());
  EXPECT_TRUE(management.on_ack(1).has_value());
  EXPECT_TRUE(management.unacked().empty());
}

TEST(StreamManagement, SequenceNumbersAreUnsignedThirtyTwoBitDecimals) {
  EXPECT_EQ(parse_sequence_number("0"), 0U);
  EXPECT_EQ(parse_sequence_number("4294967295"), 4294967295U);
  EXPECT_EQ(parse_sequence_number("4294967296"), std::nullopt);
  EXPECT_EQ(parse_sequence_number("-1"), std::nullopt);
  EXPECT_EQ(parse_sequence_number(""), std::nullopt);
  EXPECT_EQ(parse_sequence_number("1a"), std::nullopt);
}

TEST(StreamManagement, EnabledCarriesIdAndMaxOnlyWhenResumable) {
  EXPECT_EQ(xml::serialize(enabled_element(StreamManagement({}, 300s))),
            "<enabled xmlns='urn:xmpp:sm:3'/>");
  EXPECT_EQ(xml::serialize(enabled_element(StreamManagement("abc", 60s))),
            "<enabled xmlns='urn:xmpp:sm:3' id='abc' resume='true' max='60'/>");
}

} // namespace
} // namespace starling::xmpp::c2s
