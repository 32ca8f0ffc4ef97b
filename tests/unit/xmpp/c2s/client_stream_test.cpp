// Tests of ClientStream: a client's literal XML in, the server's exact bytes and events out.
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "../sasl/sasl_test_support.h"
#include "xmpp/c2s/client_stream.h"
#include "xmpp/sasl/base64.h"

namespace starling::xmpp::c2s {
namespace {

using sasl::Bytes;
using sasl::testing::ScramTestClient;
using sasl::testing::TestLookup;
using enum xml::StreamErrorCondition;

const std::string kClientHeader = "<?xml version='1.0'?>"
                                  "<stream:stream to='im.example.com' version='1.0' xml:lang='en' "
                                  "xmlns='jabber:client' "
                                  "xmlns:stream='http://etherx.jabber.org/streams'>";
const std::string kServerHeader = "<?xml version='1.0'?>"
                                  "<stream:stream xmlns='jabber:client' "
                                  "xmlns:stream='http://etherx.jabber.org/streams' "
                                  "from='im.example.com' id='s1' version='1.0' xml:lang='en'>";
const std::string kStartTlsRequired =
    "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>"
    "</stream:features>";
const std::string kBindFeatures =
    "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>"
    "<session xmlns='urn:ietf:params:xml:ns:xmpp-session'><optional/></session>"
    "<sm xmlns='urn:xmpp:sm:3'/><csi xmlns='urn:xmpp:csi:0'/></stream:features>";
constexpr std::string_view kSasl = "xmlns='urn:ietf:params:xml:ns:xmpp-sasl'";

std::string stream_error(std::string_view condition) {
  return "<stream:error><" + std::string(condition) +
         " xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>";
}

std::string base64(std::string_view text) {
  return sasl::encode_base64(
      std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

// The text between the first '>' and the next '<' of `element`, base64-decoded.
std::string sasl_data(std::string_view element) {
  const auto start = element.find('>') + 1;
  const auto end = element.find('<', start);
  const auto bytes = sasl::decode_base64(element.substr(start, end - start)).value_or(Bytes{});
  return {bytes.begin(), bytes.end()};
}

sasl::ChannelBindings bindings() {
  return {{sasl::ChannelBindingType::tls_exporter, Bytes(32, 7)},
          {sasl::ChannelBindingType::tls_unique, Bytes(12, 8)}};
}

template <typename T> std::vector<T> events_of(ClientStream& stream) {
  std::vector<T> found;
  for (auto& event : stream.take_events()) {
    if (auto* wanted = std::get_if<T>(&event)) {
      found.push_back(std::move(*wanted));
    }
  }
  return found;
}

class ClientStreamTest : public ::testing::Test {
protected:
  ClientStreamTest() {
    lookup_.add_user("juliet", "r0m30myr0m30", sasl::random_scram_salt());
    settings_.domain = "im.example.com";
    settings_.sasl =
        sasl::SaslSettings{.domain = "im.example.com", .fake_salt_secret = Bytes(32, 9)};
    settings_.make_stream_id = [] { return std::string("s1"); };
  }

  std::string send(std::string_view bytes) {
    stream_->receive(bytes);
    return stream_->take_output();
  }

  // Up to the restarted stream over TLS, whose features are returned.
  std::string start_tls() {
    EXPECT_EQ(send(kClientHeader), kServerHeader + kStartTlsRequired);
    EXPECT_EQ(send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"),
              "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
    stream_->tls_established(bindings());
    static_cast<void>(stream_->take_events());
    return send(kClientHeader);
  }

  // A SCRAM-SHA-256 login; the server's last element is returned.
  std::string scram_login(std::string_view password) {
    ScramTestClient client;
    client.username = "juliet";
    client.password = password;
    const std::string challenge =
        send("<auth " + std::string(kSasl) + " mechanism='SCRAM-SHA-256'>" +
             base64(client.client_first()) + "</auth>");
    EXPECT_TRUE(challenge.starts_with("<challenge " + std::string(kSasl) + ">")) << challenge;
    const std::string final_message = client.client_final(sasl_data(challenge));
    std::string outcome =
        send("<response " + std::string(kSasl) + ">" + base64(final_message) + "</response>");
    if (outcome.starts_with("<success")) {
      EXPECT_EQ(sasl_data(outcome), client.expected_server_final);
    }
    return outcome;
  }

  // Up to the restarted stream after SASL, which offers binding.
  void login() {
    start_tls();
    ASSERT_TRUE(scram_login("r0m30myr0m30").starts_with("<success"));
    ASSERT_EQ(send(kClientHeader), kServerHeader + kBindFeatures);
  }

  void login_and_bind() {
    login();
    ASSERT_EQ(send("<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                   "<resource>balcony</resource></bind></iq>"),
              "<iq id='b1' type='result'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
              "<jid>juliet@im.example.com/balcony</jid></bind></iq>");
    static_cast<void>(stream_->take_events());
  }

  TestLookup lookup_;
  ClientStreamSettings settings_;
  std::unique_ptr<ClientStream> stream_ = nullptr;

  void SetUp() override { stream_ = std::make_unique<ClientStream>(settings_, lookup_); }
};

TEST_F(ClientStreamTest, HeaderIsAnsweredWithFeaturesRequiringStartTls) {
  EXPECT_EQ(send(kClientHeader), kServerHeader + kStartTlsRequired);
  EXPECT_EQ(stream_->state(), ClientStream::State::tls_negotiation);
}

TEST_F(ClientStreamTest, FeaturesAnnounceTheServersCapsWhenSet) {
  settings_.server_caps = xml::Element("http://jabber.org/protocol/caps", "c")
                              .set_attribute("hash", "sha-1")
                              .set_attribute("node", "urn:starling:pbx")
                              .set_attribute("ver", "QgayPKawpkPSDYmwT/WM94uAlu0=");
  EXPECT_EQ(send(kClientHeader),
            kServerHeader +
                "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/>"
                "</starttls><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' "
                "node='urn:starling:pbx' ver='QgayPKawpkPSDYmwT/WM94uAlu0='/></stream:features>");
}

TEST_F(ClientStreamTest, HeaderInSmallChunksIsAnsweredOnceComplete) {
  std::string output;
  for (const char c : kClientHeader) {
    output += send(std::string_view(&c, 1));
  }
  EXPECT_EQ(output, kServerHeader + kStartTlsRequired);
}

TEST_F(ClientStreamTest, ClientFromIsEchoedAsTo) {
  EXPECT_EQ(send("<stream:stream from='juliet@im.example.com' to='im.example.com' version='1.0' "
                 "xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"),
            "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
            "xmlns:stream='http://etherx.jabber.org/streams' from='im.example.com' "
            "to='juliet@im.example.com' id='s1' version='1.0' xml:lang='en'>" +
                kStartTlsRequired);
}

TEST_F(ClientStreamTest, StartTlsIsAnsweredWithProceedAndAsksTheOwnerForTheHandshake) {
  send(kClientHeader);
  EXPECT_EQ(send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"),
            "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
  const auto events = stream_->take_events();
  ASSERT_EQ(events.size(), 1U);
  EXPECT_TRUE(std::holds_alternative<StartTls>(events[0]));
  EXPECT_EQ(stream_->state(), ClientStream::State::tls_handshake);
}

TEST_F(ClientStreamTest, PlaintextInjectedAfterStartTlsIsDropped) {
  send(kClientHeader);
  send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/><auth xmlns='urn:ietf:params:xml:ns:"
       "xmpp-sasl' mechanism='PLAIN'>AGp1bGlldABy</auth>");
  stream_->tls_established(bindings());
  EXPECT_EQ(send(kClientHeader).substr(0, kServerHeader.size()), kServerHeader);
  EXPECT_EQ(stream_->take_events().size(), 1U); // StartTls only
}

TEST_F(ClientStreamTest, RestartedStreamOverTlsOffersPlusMechanismsAndChannelBindingTypes) {
  EXPECT_EQ(start_tls(),
            kServerHeader +
                "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                "<mechanism>SCRAM-SHA-256-PLUS</mechanism><mechanism>SCRAM-SHA-1-PLUS</mechanism>"
                "<mechanism>SCRAM-SHA-256</mechanism><mechanism>SCRAM-SHA-1</mechanism>"
                "<mechanism>PLAIN</mechanism></mechanisms>"
                "<sasl-channel-binding xmlns='urn:xmpp:sasl-cb:0'>"
                "<channel-binding type='tls-exporter'/><channel-binding type='tls-unique'/>"
                "</sasl-channel-binding></stream:features>");
  EXPECT_TRUE(stream_->tls());
}

TEST_F(ClientStreamTest, AnythingButStartTlsOnTheStartTlsPortIsAPolicyViolation) {
  send(kClientHeader);
  EXPECT_EQ(send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-256'/>"),
            "<stream:error><policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
            "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams' xml:lang='en'>STARTTLS is "
            "required</text></stream:error></stream:stream>");
  const auto closed = events_of<Closed>(*stream_);
  ASSERT_EQ(closed.size(), 1U);
  EXPECT_EQ(closed[0].error, policy_violation);
}

TEST_F(ClientStreamTest, ScramSha256LoginEndsInSuccessAndAnAuthenticatedEvent) {
  start_tls();
  const std::string outcome = scram_login("r0m30myr0m30");
  EXPECT_TRUE(outcome.starts_with("<success " + std::string(kSasl) + ">")) << outcome;
  const auto authenticated = events_of<Authenticated>(*stream_);
  ASSERT_EQ(authenticated.size(), 1U);
  EXPECT_EQ(authenticated[0].username, "juliet");
  // RFC 6120 §6.4.6: the client restarts the stream and is offered resource binding.
  EXPECT_EQ(send(kClientHeader), kServerHeader + kBindFeatures);
}

TEST_F(ClientStreamTest, ScramSha256PlusWithTheTlsExporterBindingSucceeds) {
  start_tls();
  ScramTestClient client;
  client.username = "juliet";
  client.password = "r0m30myr0m30";
  client.gs2_header = "p=tls-exporter,,";
  client.channel_binding_data = Bytes(32, 7);
  const std::string challenge =
      send("<auth " + std::string(kSasl) + " mechanism='SCRAM-SHA-256-PLUS'>" +
           base64(client.client_first()) + "</auth>");
  const std::string final_message = client.client_final(sasl_data(challenge));
  EXPECT_EQ(send("<response " + std::string(kSasl) + ">" + base64(final_message) + "</response>"),
            "<success " + std::string(kSasl) + ">" + base64(client.expected_server_final) +
                "</success>");
}

TEST_F(ClientStreamTest, PipelinedHeaderAfterTheFinalResponseIsAnswered) {
  start_tls();
  ScramTestClient client;
  client.username = "juliet";
  client.password = "r0m30myr0m30";
  const std::string challenge = send("<auth " + std::string(kSasl) + " mechanism='SCRAM-SHA-256'>" +
                                     base64(client.client_first()) + "</auth>");
  const std::string final_message = client.client_final(sasl_data(challenge));
  const std::string output = send("<response " + std::string(kSasl) + ">" + base64(final_message) +
                                  "</response>" + kClientHeader);
  EXPECT_TRUE(output.ends_with("</success>" + kServerHeader + kBindFeatures)) << output;
}

TEST_F(ClientStreamTest, WrongPasswordFailsWithNotAuthorizedOnly) {
  start_tls();
  EXPECT_EQ(scram_login("wrong"),
            "<failure " + std::string(kSasl) + "><not-authorized/></failure>");
  const auto failed = events_of<AuthenticationFailed>(*stream_);
  ASSERT_EQ(failed.size(), 1U);
  EXPECT_EQ(failed[0].condition, sasl::Condition::not_authorized);
  EXPECT_TRUE(failed[0].credentials_refused);
}

TEST_F(ClientStreamTest, AbortedExchangeIsNoRefusedCredential) {
  start_tls();
  send("<auth " + std::string(kSasl) + " mechanism='SCRAM-SHA-256'/>");
  send("<abort " + std::string(kSasl) + "/>");
  const auto failed = events_of<AuthenticationFailed>(*stream_);
  ASSERT_EQ(failed.size(), 1U);
  EXPECT_EQ(failed[0].condition, sasl::Condition::aborted);
  EXPECT_FALSE(failed[0].credentials_refused);
}

TEST_F(ClientStreamTest, UnknownUserLooksLikeAWrongPassword) {
  start_tls();
  ScramTestClient client;
  client.username = "romeo";
  const std::string challenge = send("<auth " + std::string(kSasl) + " mechanism='SCRAM-SHA-256'>" +
                                     base64(client.client_first()) + "</auth>");
  ASSERT_TRUE(challenge.starts_with("<challenge")) << challenge;
  const std::string final_message = client.client_final(sasl_data(challenge));
  EXPECT_EQ(send("<response " + std::string(kSasl) + ">" + base64(final_message) + "</response>"),
            "<failure " + std::string(kSasl) + "><not-authorized/></failure>");
}

TEST_F(ClientStreamTest, ThirdFailureEndsTheStreamWithPolicyViolation) {
  start_tls();
  scram_login("wrong");
  scram_login("wrong");
  EXPECT_EQ(scram_login("wrong"),
            "<failure " + std::string(kSasl) +
                "><not-authorized/></failure><stream:error><policy-violation "
                "xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text "
                "xmlns='urn:ietf:params:xml:ns:xmpp-streams' xml:lang='en'>too many failed "
                "authentication attempts</text></stream:error></stream:stream>");
  EXPECT_EQ(stream_->state(), ClientStream::State::closed);
}

TEST_F(ClientStreamTest, AbortIsAnsweredWithAborted) {
  start_tls();
  EXPECT_EQ(send("<auth " + std::string(kSasl) + " mechanism='SCRAM-SHA-256'/>"),
            "<challenge " + std::string(kSasl) + "/>");
  EXPECT_EQ(send("<abort " + std::string(kSasl) + "/>"),
            "<failure " + std::string(kSasl) + "><aborted/></failure>");
}

TEST_F(ClientStreamTest, UnknownMechanismAndBadBase64AreRefused) {
  start_tls();
  EXPECT_EQ(send("<auth " + std::string(kSasl) + " mechanism='DIGEST-MD5'>=</auth>"),
            "<failure " + std::string(kSasl) + "><invalid-mechanism/></failure>");
  EXPECT_EQ(send("<auth " + std::string(kSasl) + " mechanism='PLAIN'>!!</auth>"),
            "<failure " + std::string(kSasl) + "><incorrect-encoding/></failure>");
}

TEST_F(ClientStreamTest, PlainCanBeVerifiedOffTheStreamThread) {
  settings_.defer_sasl_steps = true;
  stream_ = std::make_unique<ClientStream>(settings_, lookup_);
  start_tls();
  EXPECT_EQ(send("<auth " + std::string(kSasl) + " mechanism='PLAIN'>" +
                 base64(std::string("\0juliet\0r0m30myr0m30", 20)) + "</auth>" + kClientHeader),
            "");
  auto events = stream_->take_events();
  ASSERT_EQ(events.size(), 1U);
  auto* verify = std::get_if<VerifySaslStep>(&events[0]);
  ASSERT_NE(verify, nullptr);
  verify->work.run(); // where the owner's thread pool would
  stream_->resume_sasl(std::move(verify->work));
  // The pipelined header waited for the step and is answered after the success.
  EXPECT_EQ(stream_->take_output(),
            "<success " + std::string(kSasl) + "/>" + kServerHeader + kBindFeatures);
  EXPECT_EQ(events_of<Authenticated>(*stream_).size(), 1U);
}

TEST_F(ClientStreamTest, FloodWhileASaslStepRunsIsAPolicyViolation) {
  settings_.defer_sasl_steps = true;
  stream_ = std::make_unique<ClientStream>(settings_, lookup_);
  start_tls();
  send("<auth " + std::string(kSasl) + " mechanism='PLAIN'>" +
       base64(std::string("\0juliet\0r0m30myr0m30", 20)) + "</auth>");
  EXPECT_EQ(send(std::string(xml::kMaxElementSizeBeforeAuth + 1, ' ')),
            stream_error("policy-violation"));
  EXPECT_EQ(stream_->state(), ClientStream::State::closed);
}

TEST_F(ClientStreamTest, BindWithARequestedResourceGivesThatJid) {
  login_and_bind();
  ASSERT_TRUE(stream_->jid().has_value());
  EXPECT_EQ(stream_->jid()->to_string(), "juliet@im.example.com/balcony");
}

TEST_F(ClientStreamTest, BindWithoutAResourceGivesAGeneratedOne) {
  start_tls();
  scram_login("r0m30myr0m30");
  send(kClientHeader);
  static_cast<void>(stream_->take_events());
  const std::string result =
      send("<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>");
  const std::string prefix = "<iq id='b1' type='result'><bind "
                             "xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>juliet@im.example.com/";
  EXPECT_TRUE(result.starts_with(prefix)) << result;
  EXPECT_EQ(result.size(), prefix.size() + 24 + std::string_view("</jid></bind></iq>").size());
  const auto bound = events_of<Bound>(*stream_);
  ASSERT_EQ(bound.size(), 1U);
  EXPECT_EQ(bound[0].jid.resource().size(), 24U);
}

TEST_F(ClientStreamTest, ResourceHookPicksTheFinalResource) {
  settings_.choose_resource = [](std::string_view requested) {
    return std::string(requested) + "-2";
  };
  stream_ = std::make_unique<ClientStream>(settings_, lookup_);
  start_tls();
  scram_login("r0m30myr0m30");
  send(kClientHeader);
  EXPECT_EQ(send("<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                 "<resource>balcony</resource></bind></iq>"),
            "<iq id='b1' type='result'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
            "<jid>juliet@im.example.com/balcony-2</jid></bind></iq>");
}

TEST_F(ClientStreamTest, SessionIqGetsAnEmptyResult) {
  login_and_bind();
  EXPECT_EQ(send("<iq type='set' id='s1'><session "
                 "xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>"),
            "<iq id='s1' type='result'/>");
  EXPECT_TRUE(stream_->take_events().empty());
}

TEST_F(ClientStreamTest, MessageAfterBindingIsHandedOverFromTheFullJid) {
  login_and_bind();
  EXPECT_EQ(send("<message from='romeo@example.net' to='romeo@example.net' type='chat'>"
                 "<body>hi</body></message>"),
            "");
  const auto stanzas = events_of<StanzaReceived>(*stream_);
  ASSERT_EQ(stanzas.size(), 1U);
  EXPECT_EQ(stanzas[0].stanza.name(), "message");
  EXPECT_EQ(stanzas[0].stanza.attribute("from"), "juliet@im.example.com/balcony");
  EXPECT_EQ(stanzas[0].stanza.attribute("to"), "romeo@example.net");
}

TEST_F(ClientStreamTest, ClientStateNonzasAreHandedOverAndNotCountedAsStanzas) {
  login_and_bind();
  send("<enable xmlns='urn:xmpp:sm:3'/>");
  EXPECT_EQ(send("<inactive xmlns='urn:xmpp:csi:0'/><active xmlns='urn:xmpp:csi:0'/>"), "");
  const auto states = events_of<ClientStateIndicated>(*stream_);
  ASSERT_EQ(states.size(), 2U);
  EXPECT_FALSE(states[0].active);
  EXPECT_TRUE(states[1].active);
  EXPECT_EQ(send("<r xmlns='urn:xmpp:sm:3'/>"), "<a xmlns='urn:xmpp:sm:3' h='0'/>");
}

TEST_F(ClientStreamTest, UnknownClientStateElementIsAnUnsupportedStanzaType) {
  login_and_bind();
  send("<sleepy xmlns='urn:xmpp:csi:0'/>");
  EXPECT_EQ(stream_->state(), ClientStream::State::closed);
}

TEST_F(ClientStreamTest, SentStanzasAreWrittenInTheStreamNamespace) {
  login_and_bind();
  stream_->send(
      xml::Element("jabber:client", "presence").set_attribute("from", "romeo@example.net"));
  EXPECT_EQ(stream_->take_output(), "<presence from='romeo@example.net'/>");
}

TEST_F(ClientStreamTest, MessageBeforeAuthenticationIsNotAuthorized) {
  start_tls();
  EXPECT_EQ(send("<message to='romeo@example.net'><body>hi</body></message>"),
            stream_error("not-authorized"));
  EXPECT_TRUE(events_of<StanzaReceived>(*stream_).empty());
}

TEST_F(ClientStreamTest, MessageBeforeBindingIsNotAuthorized) {
  start_tls();
  scram_login("r0m30myr0m30");
  send(kClientHeader);
  EXPECT_EQ(send("<message to='romeo@example.net'><body>hi</body></message>"),
            stream_error("not-authorized"));
}

TEST_F(ClientStreamTest, WrongToDomainIsHostUnknown) {
  EXPECT_EQ(send("<stream:stream to='example.org' version='1.0' xmlns='jabber:client' "
                 "xmlns:stream='http://etherx.jabber.org/streams'>"),
            kServerHeader + stream_error("host-unknown"));
  const auto closed = events_of<Closed>(*stream_);
  ASSERT_EQ(closed.size(), 1U);
  EXPECT_EQ(closed[0].error, host_unknown);
}

TEST_F(ClientStreamTest, MissingOrOldVersionIsUnsupported) {
  EXPECT_EQ(send("<stream:stream to='im.example.com' xmlns='jabber:client' "
                 "xmlns:stream='http://etherx.jabber.org/streams'>"),
            kServerHeader + stream_error("unsupported-version"));
  SetUp();
  EXPECT_EQ(send("<stream:stream to='im.example.com' version='0.9' xmlns='jabber:client' "
                 "xmlns:stream='http://etherx.jabber.org/streams'>"),
            kServerHeader + stream_error("unsupported-version"));
}

TEST_F(ClientStreamTest, HigherMinorVersionIsAnsweredWithOneDotZero) {
  EXPECT_EQ(send("<stream:stream to='im.example.com' version='1.1' xmlns='jabber:client' "
                 "xmlns:stream='http://etherx.jabber.org/streams'>"),
            kServerHeader + kStartTlsRequired);
}

TEST_F(ClientStreamTest, ClosingTagIsAnswered) {
  send(kClientHeader);
  EXPECT_EQ(send("</stream:stream>"), "</stream:stream>");
  const auto closed = events_of<Closed>(*stream_);
  ASSERT_EQ(closed.size(), 1U);
  EXPECT_FALSE(closed[0].error.has_value());
}

TEST_F(ClientStreamTest, CommentIsARestrictedXmlError) {
  send(kClientHeader);
  EXPECT_EQ(send("<!-- hello -->"), stream_error("restricted-xml"));
}

TEST_F(ClientStreamTest, DoctypeBeforeTheHeaderIsARestrictedXmlErrorInAStreamOfOurs) {
  EXPECT_EQ(send("<?xml version='1.0'?><!DOCTYPE stream>"),
            kServerHeader + stream_error("restricted-xml"));
}

TEST_F(ClientStreamTest, OwnerCanCloseWithConflict) {
  login_and_bind();
  stream_->close_with(conflict, "replaced by a new session");
  EXPECT_EQ(stream_->take_output(),
            "<stream:error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
            "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams' xml:lang='en'>replaced by a new "
            "session</text></stream:error></stream:stream>");
  EXPECT_EQ(send("<presence/>"), "");
}

TEST_F(ClientStreamTest, UnknownTopLevelElementAfterBindingIsAnUnsupportedStanzaType) {
  login_and_bind();
  EXPECT_EQ(send("<frobnicate xmlns='urn:example:unknown'/>"),
            stream_error("unsupported-stanza-type"));
}

TEST_F(ClientStreamTest, OwnerClosingDuringTheTlsHandshakeWritesNothing) {
  send(kClientHeader);
  send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
  static_cast<void>(stream_->take_events());
  stream_->close_with(system_shutdown);
  EXPECT_EQ(stream_->take_output(), "");
  EXPECT_EQ(events_of<Closed>(*stream_).size(), 1U);
}

TEST_F(ClientStreamTest, WhitespaceKeepAlivesAreIgnored) {
  login_and_bind();
  EXPECT_EQ(send(" \n "), "");
  EXPECT_TRUE(stream_->take_events().empty());
}

TEST(ClientStreamDirectTls, DirectTlsSkipsStartTls) {
  TestLookup lookup;
  ClientStreamSettings settings;
  settings.domain = "im.example.com";
  settings.sasl = sasl::SaslSettings{.domain = "im.example.com", .fake_salt_secret = Bytes(32, 9)};
  settings.make_stream_id = [] { return std::string("s1"); };
  ClientStream stream(settings, lookup, DirectTls{bindings()});
  stream.receive(kClientHeader);
  const std::string output = stream.take_output();
  EXPECT_TRUE(output.starts_with(kServerHeader + "<stream:features><mechanisms "
                                                 "xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                                                 "<mechanism>SCRAM-SHA-256-PLUS</mechanism>"))
      << output;
  EXPECT_EQ(output.find("starttls"), std::string::npos);
}

TEST(ClientStreamOptionalTls, WithoutRequiredTlsStartTlsIsOptionalAndPlainIsNotOffered) {
  TestLookup lookup;
  ClientStreamSettings settings;
  settings.domain = "im.example.com";
  settings.tls_required = false;
  settings.sasl = sasl::SaslSettings{.domain = "im.example.com", .fake_salt_secret = Bytes(32, 9)};
  settings.make_stream_id = [] { return std::string("s1"); };
  ClientStream stream(settings, lookup);
  stream.receive(kClientHeader);
  EXPECT_EQ(stream.take_output(),
            kServerHeader + "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"
                            "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                            "<mechanism>SCRAM-SHA-256</mechanism><mechanism>SCRAM-SHA-1</mechanism>"
                            "</mechanisms></stream:features>");
}

namespace sm_test {

constexpr std::string_view kUnexpectedRequest =
    "<failed xmlns='urn:xmpp:sm:3'><unexpected-request "
    "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>";

xml::Element message(std::string_view id) {
  return xml::Element("jabber:client", "message").set_attribute("id", id);
}

} // namespace sm_test

TEST_F(ClientStreamTest, EnableBeforeBindingFailsWithUnexpectedRequest) {
  login();
  EXPECT_EQ(send("<enable xmlns='urn:xmpp:sm:3'/>"), sm_test::kUnexpectedRequest);
  EXPECT_EQ(stream_->state(), ClientStream::State::resource_binding);
}

TEST_F(ClientStreamTest, EnableWithoutResumeIsEnabledWithoutIdAndOnlyOnce) {
  login_and_bind();
  EXPECT_EQ(send("<enable xmlns='urn:xmpp:sm:3'/>"), "<enabled xmlns='urn:xmpp:sm:3'/>");
  EXPECT_EQ(send("<enable xmlns='urn:xmpp:sm:3'/>"), sm_test::kUnexpectedRequest);
}

TEST_F(ClientStreamTest, EnableWithResumeGetsAnUnguessableIdAndTheShorterMax) {
  settings_.resumption_timeout = std::chrono::seconds(300);
  login_and_bind();
  const std::string enabled = send("<enable xmlns='urn:xmpp:sm:3' resume='true' max='60'/>");
  ASSERT_TRUE(stream_->stream_management().has_value());
  const auto& id = stream_->stream_management()->id();
  EXPECT_EQ(id.size(), 32U); // 128 random bits in hex
  EXPECT_EQ(enabled, "<enabled xmlns='urn:xmpp:sm:3' id='" + id + "' resume='true' max='60'/>");
}

TEST_F(ClientStreamTest, AckRequestIsAnsweredWithTheStanzasHandledSinceEnable) {
  login_and_bind();
  send("<presence/>");
  send("<enable xmlns='urn:xmpp:sm:3'/>");
  send("<message to='romeo@example.net'><body>hi</body></message><presence/>");
  EXPECT_EQ(send("<r xmlns='urn:xmpp:sm:3'/>"), "<a xmlns='urn:xmpp:sm:3' h='2'/>");
}

TEST_F(ClientStreamTest, ClientAcksTrimTheUnackedQueueAndTheServerAsksForAcks) {
  login_and_bind();
  send("<enable xmlns='urn:xmpp:sm:3' resume='true'/>");
  for (int n = 1; n <= 3; ++n) {
    stream_->send(sm_test::message(std::to_string(n)));
  }
  // One request after the burst, none while it is unanswered.
  EXPECT_EQ(stream_->take_output(),
            "<message id='1'/><message id='2'/><message id='3'/><r xmlns='urn:xmpp:sm:3'/>");
  stream_->send(sm_test::message("4"));
  EXPECT_EQ(stream_->take_output(), "<message id='4'/>");
  // The answer acknowledges what came before the request; message 4 needs another.
  EXPECT_EQ(send("<a xmlns='urn:xmpp:sm:3' h='3'/>"), "<r xmlns='urn:xmpp:sm:3'/>");
  const auto& unacked = stream_->stream_management()->unacked();
  ASSERT_EQ(unacked.size(), 1U);
  EXPECT_EQ(unacked.front().attribute("id"), "4");
  EXPECT_EQ(send("<a xmlns='urn:xmpp:sm:3' h='4'/>"), "");
}

TEST_F(ClientStreamTest, ClientThatNeverAcksLosesItsStreamButNotItsStanzas) {
  login_and_bind();
  send("<enable xmlns='urn:xmpp:sm:3' resume='true'/>");
  for (std::size_t n = 1; n <= kMaxUnackedStanzas + 1; ++n) {
    stream_->send(sm_test::message(std::to_string(n)));
  }
  EXPECT_TRUE(stream_->take_output().ends_with(
      "<stream:error><resource-constraint xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
      "</stream:error></stream:stream>"));
  EXPECT_EQ(stream_->state(), ClientStream::State::closed);
  // Every stanza, the last included, is left for the owner to store.
  EXPECT_EQ(stream_->stream_management()->unacked().size(), kMaxUnackedStanzas + 1);
}

TEST_F(ClientStreamTest, AckOfMoreThanWasSentIsHandledCountTooHigh) {
  login_and_bind();
  send("<enable xmlns='urn:xmpp:sm:3'/>");
  stream_->send(sm_test::message("1"));
  static_cast<void>(stream_->take_output());
  EXPECT_EQ(send("<a xmlns='urn:xmpp:sm:3' h='2'/>"),
            "<stream:error><undefined-condition xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
            "<handled-count-too-high xmlns='urn:xmpp:sm:3' h='2' send-count='1'/>"
            "</stream:error></stream:stream>");
  const auto closed = events_of<Closed>(*stream_);
  ASSERT_EQ(closed.size(), 1U);
  EXPECT_EQ(closed[0].error, undefined_condition);
}

TEST_F(ClientStreamTest, ResumeInsteadOfBindingAsksTheOwnerForTheSession) {
  login();
  static_cast<void>(stream_->take_events());
  EXPECT_EQ(send("<resume xmlns='urn:xmpp:sm:3' previd='old' h='7'/>"), "");
  const auto requests = events_of<ResumeRequested>(*stream_);
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].previd, "old");
  EXPECT_EQ(requests[0].h, 7U);
  EXPECT_EQ(stream_->state(), ClientStream::State::resuming);
}

TEST_F(ClientStreamTest, AcceptedResumeSaysResumedAndResendsUnackedThenQueuedStanzas) {
  login();
  send("<resume xmlns='urn:xmpp:sm:3' previd='old' h='1'/>");
  StreamManagement old("old", std::chrono::seconds(300), {.handled = 4, .acked = 0});
  old.on_stanza_sent(sm_test::message("1"));
  old.on_stanza_sent(sm_test::message("2"));
  auto jid = Jid::parse("juliet@im.example.com/balcony");
  stream_->resume_accepted(*jid, std::move(old), {sm_test::message("3")});
  EXPECT_EQ(stream_->take_output(), "<resumed xmlns='urn:xmpp:sm:3' previd='old' h='4'/>"
                                    "<message id='2'/><message id='3'/><r xmlns='urn:xmpp:sm:3'/>");
  EXPECT_EQ(stream_->state(), ClientStream::State::bound);
  EXPECT_EQ(stream_->jid(), jid);
  EXPECT_EQ(stream_->stream_management()->unacked().size(), 2U);
  EXPECT_EQ(send("<r xmlns='urn:xmpp:sm:3'/>"), "<a xmlns='urn:xmpp:sm:3' h='4'/>");
}

TEST_F(ClientStreamTest, RefusedResumeFailsWithItemNotFoundAndBindingStillWorks) {
  login();
  send("<resume xmlns='urn:xmpp:sm:3' previd='nope' h='0'/>");
  stream_->resume_refused();
  EXPECT_EQ(stream_->take_output(), "<failed xmlns='urn:xmpp:sm:3'><item-not-found "
                                    "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>");
  EXPECT_EQ(send("<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>")
                .substr(0, 25),
            "<iq id='b1' type='result'");
  EXPECT_EQ(stream_->state(), ClientStream::State::bound);
}

} // namespace
} // namespace starling::xmpp::c2s
