// Tests of the stream error conditions and the <stream:error/> element.
#include <gtest/gtest.h>

#include "xmpp/xml/namespaces.h"
#include "xmpp/xml/serializer.h"
#include "xmpp/xml/stream_error.h"

namespace starling::xmpp::xml {
namespace {

TEST(StreamErrorCondition, NamesAreTheElementNamesOfRfc6120) {
  EXPECT_EQ(condition_name(StreamErrorCondition::bad_format), "bad-format");
  EXPECT_EQ(condition_name(StreamErrorCondition::invalid_namespace), "invalid-namespace");
  EXPECT_EQ(condition_name(StreamErrorCondition::restricted_xml), "restricted-xml");
  EXPECT_EQ(condition_name(StreamErrorCondition::unsupported_version), "unsupported-version");
}

TEST(StreamErrorCondition, EveryConditionReadsBackFromItsName) {
  for (int i = 0; i <= static_cast<int>(StreamErrorCondition::unsupported_version); ++i) {
    const auto condition = static_cast<StreamErrorCondition>(i);
    EXPECT_EQ(stream_error_condition_from_name(condition_name(condition)), condition);
  }
  EXPECT_FALSE(stream_error_condition_from_name("xml-not-well-formed"));
}

TEST(StreamError, HasTheConditionInTheStreamsNamespace) {
  EXPECT_EQ(serialize(build_stream_error(StreamErrorCondition::not_well_formed)),
            "<stream:error><not-well-formed xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
            "</stream:error>");
}

TEST(StreamError, CarriesEscapedTextInEnglish) {
  EXPECT_EQ(serialize(build_stream_error(StreamErrorCondition::policy_violation, "size > 10 KiB")),
            "<stream:error><policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
            "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams' xml:lang='en'>size &gt; 10 KiB"
            "</text></stream:error>");
}

} // namespace
} // namespace starling::xmpp::xml
