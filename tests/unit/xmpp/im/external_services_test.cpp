// External service discovery (XEP-0215) through the router: STUN and TURN services, TURN REST
// credentials as coturn's use-auth-secret checks them, and the announcement.
#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/clock.h"
#include "router_fixture.h"
#include "xmpp/im/external_services.h"

namespace starling::xmpp::im {
namespace {

using namespace std::chrono_literals;

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST(TurnCredentials, AreTheExpiryAndUserSignedWithHmacSha1OfTheSecret) {
  // 2026-01-02T00:00:00Z; the password as `echo -n 1767312000:alice | openssl dgst -sha1
  // -hmac north-wind -binary | base64` gives it.
  const auto expires = std::chrono::system_clock::time_point(1'767'312'000s);
  const auto credentials = turn_credentials("north-wind", "alice", expires);
  EXPECT_EQ(credentials.username, "1767312000:alice");
  EXPECT_EQ(credentials.password, "47ipCOYu8HyZorq7O8rgoPbISyE=");
}

class ExternalServicesTest : public RouterFixture {
protected:
  void offer(ExternalServicesSettings settings) {
    services_.emplace(std::move(settings), clock_);
    router_.add_iq_handler(*services_);
    services_->announce(router_.server_iq());
  }
  static ExternalServicesSettings stun_and_turn() {
    return {.stun = {{"stun.pbx.example", 3478}},
            .turn = {{"turn.pbx.example", 3479}},
            .turn_secret = "north-wind",
            .turn_credential_lifetime = 24h};
  }
  std::string ask(FakeSession& session, std::string_view payload) {
    send(session, "<iq type='get' id='e1' to='pbx.example'>" + std::string(payload) + "</iq>");
    auto answer = session.take();
    EXPECT_EQ(answer.size(), 1U);
    return answer.empty() ? std::string() : answer[0];
  }

  core::ManualClock clock_;
  std::optional<ExternalServices> services_;
};

TEST_F(ExternalServicesTest, ServicesListStunAndTurnWithCredentialsForTheUser) {
  offer(stun_and_turn());
  auto& alice = online("alice@pbx.example/phone");
  const auto answer = ask(alice, "<services xmlns='urn:xmpp:extdisco:2'/>");
  EXPECT_TRUE(contains(answer, "<service type='stun' host='stun.pbx.example' port='3478' "
                               "transport='udp'/>"))
      << answer;
  EXPECT_TRUE(contains(answer, "<service type='stun' host='stun.pbx.example' port='3478' "
                               "transport='tcp'/>"));
  EXPECT_TRUE(contains(answer, "<service type='turn' host='turn.pbx.example' port='3479' "
                               "transport='udp' username='1767312000:alice' "
                               "password='47ipCOYu8HyZorq7O8rgoPbISyE=' "
                               "expires='2026-01-02T00:00:00Z' restricted='1'/>"))
      << answer;
}

TEST_F(ExternalServicesTest, ATypeSelectsTheServicesAndCredentialsFollowTheClock) {
  offer(stun_and_turn());
  auto& alice = online("alice@pbx.example/phone");
  clock_.advance(1h);
  const auto answer = ask(alice, "<services xmlns='urn:xmpp:extdisco:2' type='turn'/>");
  EXPECT_TRUE(contains(answer, "<services xmlns='urn:xmpp:extdisco:2' type='turn'>"));
  EXPECT_FALSE(contains(answer, "type='stun'"));
  EXPECT_TRUE(contains(answer, "username='1767315600:alice'"));
}

TEST_F(ExternalServicesTest, CredentialsAreGivenForAKnownTurnServerOnly) {
  offer(stun_and_turn());
  auto& alice = online("alice@pbx.example/phone");
  const auto answer = ask(alice, "<credentials xmlns='urn:xmpp:extdisco:2'>"
                                 "<service host='turn.pbx.example' type='turn'/></credentials>");
  EXPECT_TRUE(contains(answer, "<credentials xmlns='urn:xmpp:extdisco:2'><service type='turn' "
                               "host='turn.pbx.example' port='3479' transport='udp' "
                               "username='1767312000:alice'"))
      << answer;
  EXPECT_EQ(error_condition(ask(alice, "<credentials xmlns='urn:xmpp:extdisco:2'>"
                                       "<service host='elsewhere.example' type='turn'/>"
                                       "</credentials>")),
            "item-not-found");
  EXPECT_EQ(error_condition(ask(alice, "<credentials xmlns='urn:xmpp:extdisco:2'>"
                                       "<service host='stun.pbx.example' type='stun'/>"
                                       "</credentials>")),
            "item-not-found");
  EXPECT_EQ(error_condition(ask(alice, "<credentials xmlns='urn:xmpp:extdisco:2'/>")),
            "bad-request");
}

TEST_F(ExternalServicesTest, TheServerAnnouncesExtdiscoOnlyWithServicesToOffer) {
  auto& alice = online("alice@pbx.example/phone");
  const std::string disco = "<query xmlns='http://jabber.org/protocol/disco#info'/>";
  EXPECT_FALSE(contains(ask(alice, disco), "urn:xmpp:extdisco:2"));
  EXPECT_EQ(error_condition(ask(alice, "<services xmlns='urn:xmpp:extdisco:2'/>")),
            "service-unavailable");
  ExternalServicesSettings stun_only;
  stun_only.stun = {{"stun.pbx.example", 3478}};
  offer(stun_only);
  EXPECT_TRUE(contains(ask(alice, disco), "<feature var='urn:xmpp:extdisco:2'/>"));
}

} // namespace
} // namespace starling::xmpp::im
