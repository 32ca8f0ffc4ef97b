#include <gtest/gtest.h>

#include "pep_fixture.h"
#include "xmpp/pep/avatar_vcard.h"

namespace starling::xmpp::pep {
namespace {

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

class AvatarVcardTest : public PepFixture {
protected:
  AvatarVcardTest() {
    router_.add_iq_handler(vcards_);
    pep_.add_listener(conversion_);
  }
  std::string vcard_of_alice(im::FakeSession& asking) {
    send(asking, "<iq type='get' id='v' to='alice@pbx.example'><vCard xmlns='vcard-temp'/></iq>");
    return asking.take().at(0);
  }

  im::VcardTemp vcards_{roster_, data_};
  AvatarVcardConversion conversion_{pep_.nodes(), vcards_};
};

TEST_F(AvatarVcardTest, AVcardIsSetByItsOwnerAndReadByAColleague) {
  auto& alice = online("alice@pbx.example/laptop");
  auto& bob = online("bob@pbx.example/desk");
  EXPECT_EQ(vcard_of_alice(bob), "<iq from='alice@pbx.example' to='bob@pbx.example/desk' id='v' "
                                 "type='result'><vCard xmlns='vcard-temp'/></iq>");
  send(alice,
       "<iq type='set' id='s'><vCard xmlns='vcard-temp'><FN>Alice Liddell</FN></vCard></iq>");
  EXPECT_EQ(alice.take(), std::vector<std::string>{"<iq to='alice@pbx.example/laptop' id='s' "
                                                   "type='result'/>"});
  EXPECT_TRUE(contains(vcard_of_alice(bob), "<FN>Alice Liddell</FN>"));
  send(bob, "<iq type='set' id='s' to='alice@pbx.example'><vCard xmlns='vcard-temp'/></iq>");
  EXPECT_EQ(im::error_condition(bob.take().at(0)), "forbidden");
}

TEST_F(AvatarVcardTest, AnAvatarPublishedOverPepBecomesTheVcardPhoto) {
  auto& alice = online("alice@pbx.example/laptop");
  send(alice, "<iq type='set' id='s'><vCard xmlns='vcard-temp'><FN>Alice</FN></vCard></iq>");
  send(alice, "<iq type='set' id='d'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
              "<publish node='urn:xmpp:avatar:data'><item id='abc'>"
              "<data xmlns='urn:xmpp:avatar:data'>iVBORw0KGgo=</data></item></publish>"
              "</pubsub></iq>");
  send(alice, "<iq type='set' id='m'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
              "<publish node='urn:xmpp:avatar:metadata'><item id='abc'>"
              "<metadata xmlns='urn:xmpp:avatar:metadata'><info id='abc' type='image/png' "
              "bytes='8'/></metadata></item></publish></pubsub></iq>");
  alice.take();
  const auto vcard = vcard_of_alice(alice);
  EXPECT_TRUE(contains(vcard, "<FN>Alice</FN><PHOTO><TYPE>image/png</TYPE>"
                              "<BINVAL>iVBORw0KGgo=</BINVAL></PHOTO>"))
      << vcard;
  send(alice, "<iq type='set' id='m'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
              "<publish node='urn:xmpp:avatar:metadata'><item id='none'>"
              "<metadata xmlns='urn:xmpp:avatar:metadata'/></item></publish></pubsub></iq>");
  alice.take();
  EXPECT_FALSE(contains(vcard_of_alice(alice), "PHOTO"));
}

} // namespace
} // namespace starling::xmpp::pep
