// Calls through the "provider" trunk: out to public numbers with the caller's identity, the
// provider's challenge answered, failover between its servers, refusals by call class,
// emergency numbers, and calls the provider delivers for the trunk's numbers.
#include <gtest/gtest.h>

#include "call_test_fixture.h"
#include "sip/parser.h"
#include "sip/response_builder.h"

namespace starling::pbx::test {
namespace {

InviteOptions dialling(std::string number) {
  InviteOptions options;
  options.dialled = std::move(number);
  return options;
}

std::string_view header(const sip::Message& message, std::string_view name) {
  const auto* field = message.find(name);
  return field == nullptr ? std::string_view() : field->value;
}

TEST_F(CallControlTest, SendsANationalNumberOutOnTheTrunkWithTheCallersOwnNumber) {
  call(dialling("0301234567"));
  auto& invite = invite_to(kProviderPort);
  EXPECT_EQ(invite.message.request_line().request_uri, "sip:0301234567@provider.test");
  EXPECT_NE(invite.message.value(sip::HeaderId::from).find("<sip:4930555@provider.test>"),
            std::string_view::npos);
  EXPECT_EQ(header(invite.message, "P-Asserted-Identity"), "<sip:+4930555200@provider.test>");
  EXPECT_EQ(invite.message.value(sip::HeaderId::to), "<sip:0301234567@provider.test>");
}

TEST_F(CallControlTest, AnswersTheProvidersChallengeWithTheTrunksCredentials) {
  call(dialling("0301234567"));
  auto& invite = invite_to(kProviderPort);
  sip::ResponseBuilder challenge(invite.message, 407, "Proxy Authentication Required",
                                 "provider-tag");
  challenge.add_header("Proxy-Authenticate",
                       R"(Digest realm="provider.test", nonce="abc123", qop="auth")");
  auto message = sip::parse_message(std::move(challenge).finish());
  ASSERT_TRUE(message);
  const auto handler = invite.on_response;
  handler({&*message, 407});

  const auto invites = sent("INVITE", kProviderPort);
  ASSERT_EQ(invites.size(), 2U);
  const auto& again = invites[1]->message;
  EXPECT_EQ(again.value(sip::HeaderId::cseq), "2 INVITE");
  const auto credentials = again.value(sip::HeaderId::proxy_authorization);
  EXPECT_NE(credentials.find(R"(username="4930555")"), std::string_view::npos) << credentials;
  EXPECT_NE(credentials.find(R"(realm="provider.test")"), std::string_view::npos);
  EXPECT_NE(credentials.find("nc=00000001"), std::string_view::npos);

  // The same challenge again means the password is wrong: the call moves on to the next
  // trunk of the route; the caller never sees a challenge it could not answer.
  sip::ResponseBuilder refused(again, 407, "Proxy Authentication Required", "provider-tag");
  refused.add_header("Proxy-Authenticate",
                     R"(Digest realm="provider.test", nonce="def456", qop="auth")");
  auto second = sip::parse_message(std::move(refused).finish());
  ASSERT_TRUE(second);
  const auto again_handler = invites[1]->on_response;
  again_handler({&*second, 407});
  EXPECT_EQ(sent("INVITE", kProviderPort).size(), 2U);
  EXPECT_TRUE(sent("INVITE", kProviderBackupPort).empty());
  // The carrier has no number of alice's, and no account to name in From.
  EXPECT_TRUE(invite_to(kCarrierPort)
                  .message.value(sip::HeaderId::from)
                  .starts_with("<sip:anonymous@carrier.test>;tag="));
  EXPECT_EQ(statuses(*invite_), (Codes{100}));
}

TEST_F(CallControlTest, TriesTheTrunksNextServerWhenTheFirstDoesNotAnswer) {
  call(dialling("0301234567"));
  time_out(invite_to(kProviderPort));
  auto& backup = invite_to(kProviderBackupPort);
  reply(backup, 200, "OK", callee_sdp());
  EXPECT_EQ(statuses(*invite_).back(), 200);
}

TEST_F(CallControlTest, MovesToTheNextTrunkOfTheRouteWhenTheProviderFails) {
  call(dialling("0301234567"));
  reply(invite_to(kProviderPort), 503, "Service Unavailable");
  reply(invite_to(kProviderBackupPort), 500, "Server Internal Error");
  auto& carrier = invite_to(kCarrierPort);
  EXPECT_EQ(carrier.message.request_line().request_uri, "sip:0301234567@carrier.test");
  reply(carrier, 200, "OK", callee_sdp());
  EXPECT_EQ(statuses(*invite_).back(), 200);
  EXPECT_EQ(record_of("b2").device, "carrier");
}

TEST_F(CallControlTest, KeepsTheProvidersBusyAnswerAndTriesNoOtherTrunk) {
  call(dialling("0301234567"));
  reply(invite_to(kProviderPort), 486, "Busy Here");
  EXPECT_EQ(statuses(*invite_).back(), 486);
  EXPECT_TRUE(sent("INVITE", kCarrierPort).empty());
}

TEST_F(CallControlTest, KeepsTheCallersPrivacyOnTheTrunk) {
  InviteOptions options = dialling("0301234567");
  options.extra_headers = "Privacy: id\r\n";
  call(options);
  EXPECT_EQ(header(invite_to(kProviderPort).message, "Privacy"), "id");
}

TEST_F(CallControlTest, RefusesAnInternationalNumberToAUserWithoutThatClass) {
  call(dialling("00441234567890"));
  EXPECT_EQ(statuses(*invite_).back(), 403);
  EXPECT_TRUE(sent("INVITE", kProviderPort).empty());
}

TEST_F(CallControlTest, SendsAnEmergencyNumberOutWhateverTheCallersClass) {
  call(dialling("112"));
  EXPECT_EQ(invite_to(kProviderPort).message.request_line().request_uri, "sip:112@provider.test");
}

TEST_F(CallControlTest, RingsTheExtensionOfTheNumberTheProviderDelivers) {
  register_bob(1);
  call_from_provider("+4930555201");
  auto& fork = invite_to(kDeskPort);
  reply(fork, 200, "OK", callee_sdp());
  EXPECT_EQ(statuses(*invite_).back(), 200);
  EXPECT_EQ(record_of("a").caller, "+4989555000");
}

TEST_F(CallControlTest, AnswersTheProviderBusyForAUserWhoSetDoNotDisturb) {
  register_bob(1);
  do_not_disturb_.set("bob", true);
  call_from_provider("+4930555201");
  EXPECT_EQ(statuses(*invite_).back(), 486);
  EXPECT_TRUE(sent("INVITE", kDeskPort).empty());
}

TEST_F(CallControlTest, AnswersNotFoundForANumberTheTrunkDoesNotHave) {
  call_from_provider("+4930555999");
  EXPECT_EQ(statuses(*invite_).back(), 404);
}

} // namespace
} // namespace starling::pbx::test
