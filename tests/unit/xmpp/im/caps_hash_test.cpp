#include <gtest/gtest.h>

#include "router_fixture.h"
#include "xmpp/im/caps_hash.h"

namespace starling::xmpp::im {
namespace {

// XEP-0115 §5.2's simple example.
constexpr std::string_view kSimpleQuery =
    "<query xmlns='http://jabber.org/protocol/disco#info'>"
    "<identity category='client' name='Exodus 0.9.1' type='pc'/>"
    "<feature var='http://jabber.org/protocol/caps'/>"
    "<feature var='http://jabber.org/protocol/disco#info'/>"
    "<feature var='http://jabber.org/protocol/disco#items'/>"
    "<feature var='http://jabber.org/protocol/muc'/></query>";

TEST(CapsHash, BuildsTheSimpleExampleOfSection52) {
  const auto s = caps_verification_string(stanza(kSimpleQuery));
  ASSERT_TRUE(s);
  EXPECT_EQ(*s, "client/pc//Exodus 0.9.1<http://jabber.org/protocol/caps<"
                "http://jabber.org/protocol/disco#info<http://jabber.org/protocol/disco#items<"
                "http://jabber.org/protocol/muc<");
  EXPECT_EQ(caps_ver("sha-1", *s), "QgayPKawpkPSDYmwT/WM94uAlu0=");
}

TEST(CapsHash, SortsIdentitiesFeaturesAndFormsAsTheComplexExampleOfSection53) {
  const auto s = caps_verification_string(stanza(
      "<query xmlns='http://jabber.org/protocol/disco#info'>"
      "<identity xml:lang='en' category='client' name='Psi 0.11' type='pc'/>"
      "<identity xml:lang='el' category='client' name='\xCE\xA8 0.11' type='pc'/>"
      "<feature var='http://jabber.org/protocol/disco#items'/>"
      "<feature var='http://jabber.org/protocol/caps'/>"
      "<feature var='http://jabber.org/protocol/muc'/>"
      "<feature var='http://jabber.org/protocol/disco#info'/>"
      "<x xmlns='jabber:x:data' type='result'>"
      "<field var='FORM_TYPE' type='hidden'><value>urn:xmpp:dataforms:softwareinfo</value></field>"
      "<field var='ip_version'><value>ipv4</value><value>ipv6</value></field>"
      "<field var='os'><value>Mac</value></field>"
      "<field var='os_version'><value>10.5.1</value></field>"
      "<field var='software'><value>Psi</value></field>"
      "<field var='software_version'><value>0.11</value></field></x></query>"));
  ASSERT_TRUE(s);
  EXPECT_EQ(caps_ver("sha-1", *s), "q07IKJEyjvHSyhy//CH0CxmKi8w=");
}

TEST(CapsHash, RefusesAnAnswerWithADuplicateFeature) {
  EXPECT_FALSE(
      caps_verification_string(stanza("<query xmlns='http://jabber.org/protocol/disco#info'>"
                                      "<feature var='urn:a'/><feature var='urn:a'/></query>")));
}

TEST(CapsHash, RefusesTwoFormsOfOneFormType) {
  constexpr std::string_view kForm = "<x xmlns='jabber:x:data' type='result'><field "
                                     "var='FORM_TYPE'><value>urn:f</value></field></x>";
  EXPECT_FALSE(
      caps_verification_string(stanza("<query xmlns='http://jabber.org/protocol/disco#info'>" +
                                      std::string(kForm) + std::string(kForm) + "</query>")));
}

TEST(CapsHash, OffersNoVerForAnUnknownHashFunction) {
  EXPECT_FALSE(caps_ver("md5", "client/pc//x<"));
  EXPECT_TRUE(caps_ver("sha-256", "client/pc//x<"));
}

} // namespace
} // namespace starling::xmpp::im
