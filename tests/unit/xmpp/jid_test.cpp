// Tests of XMPP address parsing and canonical form (RFC 7622).
#include <string>

#include <gtest/gtest.h>

#include "xmpp/jid.h"

namespace starling::xmpp {
namespace {

Jid parsed(std::string_view text) {
  auto jid = Jid::parse(text);
  EXPECT_TRUE(jid) << text << ": " << (jid ? "" : jid.error().reason);
  return jid ? *jid : *Jid::parse("invalid.test");
}

std::string refusal(std::string_view text) {
  const auto jid = Jid::parse(text);
  EXPECT_FALSE(jid) << text << " parsed as " << (jid ? jid->to_string() : "");
  return jid ? "" : jid.error().reason;
}

TEST(Jid, SplitsAFullAddressIntoItsThreeParts) {
  const Jid jid = parsed("alice@pbx.example.com/desk");
  EXPECT_EQ(jid.local(), "alice");
  EXPECT_EQ(jid.domain(), "pbx.example.com");
  EXPECT_EQ(jid.resource(), "desk");
  EXPECT_FALSE(jid.is_bare());
  EXPECT_EQ(jid.to_string(), "alice@pbx.example.com/desk");
}

TEST(Jid, TakesEverythingAfterTheFirstSlashAsTheResource) {
  const Jid jid = parsed("alice@pbx.example.com/a@b/c");
  EXPECT_EQ(jid.local(), "alice");
  EXPECT_EQ(jid.resource(), "a@b/c");
}

TEST(Jid, AcceptsADomainAloneAndADomainWithAResource) {
  EXPECT_EQ(parsed("pbx.example.com").to_string(), "pbx.example.com");
  EXPECT_EQ(parsed("pbx.example.com/conference").resource(), "conference");
  EXPECT_EQ(parsed("[2001:DB8::1]").domain(), "[2001:db8::1]");
}

TEST(Jid, ComparesLocalpartAndDomainWithoutCaseButTheResourceExactly) {
  EXPECT_EQ(parsed("Alice@PBX.Example.COM."), parsed("alice@pbx.example.com"));
  EXPECT_NE(parsed("alice@pbx.example.com/Desk"), parsed("alice@pbx.example.com/desk"));
}

TEST(Jid, BareDropsTheResource) {
  const Jid jid = parsed("alice@pbx.example.com/desk");
  EXPECT_TRUE(jid.bare().is_bare());
  EXPECT_EQ(jid.bare().to_string(), "alice@pbx.example.com");
  EXPECT_EQ(jid.bare().with_resource("phone")->to_string(), "alice@pbx.example.com/phone");
}

TEST(Jid, RefusesEmptyPartsThatASeparatorPromises) {
  EXPECT_EQ(refusal("@pbx.example.com"), "the localpart is empty");
  EXPECT_EQ(refusal("alice@pbx.example.com/"), "the resourcepart is empty");
  EXPECT_EQ(refusal("alice@"), "the domainpart is empty");
  EXPECT_EQ(refusal(""), "the domainpart is empty");
}

TEST(Jid, RefusesCharactersTheLocalpartMayNotHold) {
  EXPECT_EQ(refusal("al<ice@pbx.example.com"), "the localpart contains '<'");
  EXPECT_EQ(refusal("al ice@pbx.example.com"), "the localpart contains ' '");
  EXPECT_EQ(refusal("a:b@pbx.example.com"), "the localpart contains ':'");
}

TEST(Jid, RefusesMalformedDomains) {
  EXPECT_EQ(refusal("alice@a@b"), "the domainpart contains '@'");
  EXPECT_EQ(refusal("alice@pbx..example.com"), "the domainpart has an empty label");
  EXPECT_EQ(refusal("alice@pbx.example.com.."), "the domainpart has an empty label");
  EXPECT_EQ(refusal("alice@[zz::1]"), "the domainpart is not a valid IPv6 literal");
}

TEST(Jid, RefusesControlCharactersAndInvalidUtf8Anywhere) {
  EXPECT_FALSE(Jid::parse(std::string("alice@pbx.example.com/de\x01sk")));
  EXPECT_FALSE(Jid::parse("al\xC3@pbx.example.com"));         // truncated sequence
  EXPECT_FALSE(Jid::parse("al\xC0\xAE@pbx.example.com"));     // overlong '.'
  EXPECT_FALSE(Jid::parse("al\xED\xA0\x80@pbx.example.com")); // a surrogate
  EXPECT_TRUE(Jid::parse("j\xC3\xBCrgen@pbx.example.com/B\xC3\xBCro"));
}

TEST(Jid, RefusesPartsOverTheirSizeLimit) {
  const std::string long_part(kMaxJidPartSize + 1, 'a');
  EXPECT_EQ(refusal(long_part + "@pbx.example.com"), "the localpart is longer than 1023 bytes");
  EXPECT_TRUE(Jid::parse(std::string(kMaxJidPartSize, 'a') + "@pbx.example.com"));
}

} // namespace
} // namespace starling::xmpp
