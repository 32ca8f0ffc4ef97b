// RFC 4475 torture messages: one test per file in ../shared/testdata/sip-torture.
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sip/comma_list.h"
#include "sip/digest.h"
#include "sip/error_response.h"
#include "sip/name_addr.h"
#include "sip/parser.h"
#include "sip/serializer.h"
#include "sip/uri.h"
#include "sip/validation.h"
#include "sip/via.h"

namespace starling::sip {
namespace {

std::string load(const std::string& name) {
  std::ifstream in{std::string{STARLING_TORTURE_DIR} + "/" + name, std::ios::binary};
  EXPECT_TRUE(in.good()) << name;
  return {std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
}

// Parses and validates a message that must be accepted.
struct Accepted {
  std::string bytes;
  Message message;
  ValidatedRequest request;
};

Accepted accept(const std::string& name) {
  std::string bytes = load(name);
  auto message = parse_message(bytes);
  if (!message) {
    ADD_FAILURE() << name << ": " << message.error().reason;
    std::abort();
  }
  auto request = validate_request(*message);
  if (!request) {
    ADD_FAILURE() << name << ": " << request.error().reason;
    std::abort();
  }
  return Accepted{std::move(bytes), std::move(*message), *request};
}

// The error of the first stage that rejects the message.
ParseError rejection(const std::string& name) {
  const std::string bytes = load(name);
  auto message = parse_message(bytes);
  if (!message) {
    return message.error();
  }
  if (message->is_request()) {
    auto request = validate_request(*message);
    EXPECT_FALSE(request.has_value()) << name << " was accepted";
    return request ? ParseError{} : request.error();
  }
  auto response = validate_response(*message);
  EXPECT_FALSE(response.has_value()) << name << " was accepted";
  return response ? ParseError{} : response.error();
}

// A rejected request gets a reply that starts "SIP/2.0 <status> <reason>" and copies Via.
void expect_reply(const std::string& name, std::uint16_t status, std::string_view reason) {
  const ParseError error = rejection(name);
  EXPECT_EQ(error.status, status) << name;
  EXPECT_EQ(error.reason, reason) << name;
  ASSERT_TRUE(error.can_reply) << name;
  const auto reply = build_error_response(load(name), error, "s1");
  ASSERT_TRUE(reply.has_value()) << name;
  EXPECT_TRUE(
      reply->starts_with("SIP/2.0 " + std::to_string(status) + " " + std::string{reason} + "\r\n"))
      << *reply;
  EXPECT_NE(reply->find("\r\nVia:"), std::string::npos) << *reply;
}

void expect_discard(const std::string& name, std::string_view reason) {
  const ParseError error = rejection(name);
  EXPECT_EQ(error.reason, reason) << name;
  EXPECT_FALSE(error.can_reply) << name;
  EXPECT_FALSE(build_error_response(load(name), error, "s1").has_value());
}

std::vector<std::string_view> values(const Message& m, HeaderId id) {
  std::vector<std::string_view> out;
  for (const HeaderField& h : m.headers()) {
    if (h.id == id) {
      for (std::string_view v : CommaList{h.value}) {
        out.push_back(v);
      }
    }
  }
  return out;
}

// 3.1.1 valid messages

TEST(Torture, WsinvParsesFoldsCompactFormsAndOddWhiteSpace) {
  const auto a = accept("wsinv.dat");
  EXPECT_EQ(a.message.method(), Method::invite);
  EXPECT_EQ(a.request.request_uri.user, "vivekg");
  EXPECT_EQ(a.request.request_uri.host, "chair-dnrc.example.com");
  EXPECT_TRUE(a.request.request_uri.params.contains("unknownparam"));
  EXPECT_EQ(a.request.to.tag(), "1918181833n");
  EXPECT_EQ(unquote(a.request.from.display_name), "J Rosenberg \\\"");
  EXPECT_EQ(a.request.from.tag(), "98asjd8");
  EXPECT_EQ(a.request.max_forwards, 68U);
  EXPECT_EQ(a.request.cseq.number, 9U);
  EXPECT_EQ(a.request.top_via.branch, "390skdjuw");
  EXPECT_EQ(a.request.top_via.host, "192.0.2.2");
  const auto vias = values(a.message, HeaderId::via);
  ASSERT_EQ(vias.size(), 3U);
  EXPECT_EQ(parse_via(vias[1])->branch, "z9hG4bK9ikj8");
  EXPECT_EQ(parse_via(vias[1])->transport, Transport::tcp);
  EXPECT_EQ(parse_via(vias[2])->branch, "z9hG4bK30239");
  EXPECT_EQ(parse_via(vias[2])->host, "192.168.255.111");
  EXPECT_EQ(a.message.value(HeaderId::subject), "");
  EXPECT_EQ(a.message.find("NewFangledHeader")->value,
            "newfangled value\r\n continued newfangled value");
  const auto contact = parse_contact(a.message.value(HeaderId::contact));
  ASSERT_TRUE(contact);
  EXPECT_EQ(contact->address.display_name, "Quoted string \\\"\\\"");
  EXPECT_EQ(contact->q(), 330);
  EXPECT_EQ(contact->address.params.value_of("newparam"), "newvalue");
  EXPECT_EQ(a.message.body().size(), 150U);
  EXPECT_EQ(serialize(a.message), a.bytes);
}

TEST(Torture, IntmethKeepsUnusualMethodUriAndHeaderCharacters) {
  const auto a = accept("intmeth.dat");
  EXPECT_EQ(a.message.request_line().method, "!interesting-Method0123456789_*+`.%indeed'~");
  EXPECT_EQ(a.message.method(), Method::unknown); // the UAS answers 501/405
  EXPECT_EQ(a.request.request_uri.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
  EXPECT_EQ(a.request.request_uri.password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
  EXPECT_EQ(a.request.request_uri.host, "example.com");
  EXPECT_EQ(a.request.from.display_name, "token1~` token2'+_ token3*%!.-");
  EXPECT_EQ(a.request.from.tag(), "_token~1'+`*%!-.");
  EXPECT_EQ(a.request.top_via.branch, "z9hG4bK-.!%66*_+`'~");
  EXPECT_EQ(a.request.call_id, "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{");
  EXPECT_EQ(a.request.max_forwards, 255U);
  EXPECT_NE(a.message.find("extensionHeader-!.%*+_`'~"), nullptr);
}

TEST(Torture, Esc01UrisCompareEqualAfterUnescaping) {
  const auto a = accept("esc01.dat");
  EXPECT_EQ(unescape(a.request.request_uri.user), "sips:user@example.com");
  EXPECT_TRUE(uri_equivalent(a.request.to.uri, *parse_uri("sip:user@example.com")));
  EXPECT_EQ(unescape(a.request.from.uri.user), "I have spaces");
  const auto contact = parse_contact(a.message.value(HeaderId::contact));
  ASSERT_TRUE(contact);
  EXPECT_TRUE(uri_equivalent(contact->address.uri,
                             *parse_uri("sip:caller@host5.example.net;lr;name=value%2541")));
}

TEST(Torture, EscnullKeepsEscapedNulInUser) {
  const auto a = accept("escnull.dat");
  EXPECT_EQ(a.message.method(), Method::register_);
  EXPECT_EQ(a.request.to.uri.user, "null-%00-null");
  EXPECT_EQ(unescape(a.request.to.uri.user), std::string("null-\0-null", 11));
  const auto contacts = values(a.message, HeaderId::contact);
  ASSERT_EQ(contacts.size(), 2U);
  EXPECT_EQ(unescape(parse_contact(contacts[1])->address.uri.user), std::string(2, '\0'));
}

TEST(Torture, Esc02PercentInMethodIsNotAnEscape) {
  const auto a = accept("esc02.dat");
  EXPECT_EQ(a.message.request_line().method, "RE%47IST%45R");
  EXPECT_EQ(a.message.method(), Method::unknown);
  EXPECT_EQ(a.request.to.display_name, "%Z%45");
  EXPECT_EQ(a.message.count(HeaderId::contact), 2U); // C%6Fntact is another header
  EXPECT_EQ(a.message.find("C%6Fntact")->id, HeaderId::unknown);
}

TEST(Torture, LwsdispAcceptsDisplayNameWithoutSpaceBeforeBracket) {
  const auto a = accept("lwsdisp.dat");
  EXPECT_EQ(a.request.from.display_name, "caller");
  EXPECT_EQ(a.request.from.uri.user, "caller");
}

TEST(Torture, LongreqKeepsLongValuesAndAllVias) {
  const auto a = accept("longreq.dat");
  EXPECT_EQ(a.request.to.display_name.size(), 103U);
  EXPECT_EQ(a.request.to.uri.port, 6000);
  EXPECT_EQ(a.request.from.tag().size(), 155U);
  EXPECT_EQ(a.request.call_id.size(), 141U);
  const auto vias = values(a.message, HeaderId::via);
  ASSERT_EQ(vias.size(), 34U);
  EXPECT_EQ(a.request.top_via.host, "sip33.example.com");
  EXPECT_TRUE(a.request.top_via.branch.empty());
  const auto last = parse_via(vias.back());
  EXPECT_EQ(last->received, "192.0.2.5");
  EXPECT_EQ(last->branch.size(), 215U);
  EXPECT_EQ(a.message.body().size(), 150U);
}

TEST(Torture, DblreqProcessesFirstRequestAndIgnoresTrailingOctets) {
  const auto a = accept("dblreq.dat");
  EXPECT_EQ(a.message.method(), Method::register_);
  EXPECT_TRUE(a.message.body().empty());
  EXPECT_EQ(a.request.call_id, "dblreq.0ha0isndaksdj99sdfafnl3lk233412");
  EXPECT_EQ(serialize(a.message), a.bytes.substr(0, a.bytes.find("\r\n\r\n") + 4));
}

TEST(Torture, SemiuriUserContainsSemicolon) {
  const auto a = accept("semiuri.dat");
  EXPECT_EQ(a.request.request_uri.user, "user;par=u%40example.net");
  EXPECT_EQ(a.request.request_uri.host, "example.com");
  EXPECT_TRUE(a.request.request_uri.params.empty());
  EXPECT_EQ(values(a.message, HeaderId::accept).size(), 6U);
  EXPECT_EQ(values(a.message, HeaderId::accept)[5], "message/sipfrag");
}

TEST(Torture, TransportsTopmostViaDecidesWhereResponsesGo) {
  const auto a = accept("transports.dat");
  EXPECT_EQ(a.request.top_via.transport, Transport::udp);
  EXPECT_EQ(a.request.top_via.host, "t1.example.com");
  const auto vias = values(a.message, HeaderId::via);
  ASSERT_EQ(vias.size(), 5U);
  EXPECT_EQ(parse_via(vias[1])->transport, Transport::sctp);
  EXPECT_EQ(parse_via(vias[2])->transport, Transport::tls);
  EXPECT_EQ(parse_via(vias[3])->transport, Transport::other);
  EXPECT_EQ(parse_via(vias[3])->transport_name, "UNKNOWN");
}

TEST(Torture, Mpart01KeepsMultipartBodyIntact) {
  const auto a = accept("mpart01.dat");
  EXPECT_EQ(a.message.body().size(), 553U);
  EXPECT_EQ(a.message.body(), std::string_view{a.bytes}.substr(a.bytes.size() - 553));
  EXPECT_EQ(a.message.value(HeaderId::content_type), "multipart/mixed;boundary=7a9cbec02ceef655");
  EXPECT_TRUE(a.request.top_via.has_rport);
}

TEST(Torture, UnreasonParsesUtf8ReasonPhrase) {
  const std::string bytes = load("unreason.dat");
  auto m = parse_message(bytes);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->status_code(), 200);
  EXPECT_TRUE(m->status_line().reason.starts_with("= 2**3 * 5**2 "));
  EXPECT_TRUE(validate_response(*m));
}

TEST(Torture, NoreasonParsesEmptyReasonPhrase) {
  const std::string bytes = load("noreason.dat");
  auto m = parse_message(bytes);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->status_code(), 100);
  EXPECT_EQ(m->status_line().reason, "");
  EXPECT_TRUE(validate_response(*m));
}

// 3.1.2 invalid messages

TEST(Torture, Badinv01RejectsEmptyViaParameters) {
  expect_reply("badinv01.dat", 400, "Malformed Via header");
}
TEST(Torture, ClerrRejectsContentLengthBeyondDatagram) {
  expect_reply("clerr.dat", 400, "Content-Length larger than datagram");
}
TEST(Torture, NclRejectsNegativeContentLength) {
  expect_reply("ncl.dat", 400, "Malformed Content-Length");
}
TEST(Torture, Scalar02RejectsOverlargeCSeq) {
  expect_reply("scalar02.dat", 400, "Malformed CSeq header");
}
TEST(Torture, ScalarlgDiscardsResponseWithOverlargeCSeq) {
  expect_discard("scalarlg.dat", "Malformed CSeq header");
}
TEST(Torture, QuotbalRejectsUnterminatedQuotedString) {
  expect_reply("quotbal.dat", 400, "Malformed To header");
}
TEST(Torture, LtgtruriRejectsBracketedRequestUri) {
  expect_reply("ltgtruri.dat", 400, "Malformed Request-URI");
}
TEST(Torture, LwsruriRejectsSpaceInsideRequestUri) {
  expect_reply("lwsruri.dat", 400, "Malformed Request-Line");
}
TEST(Torture, LwsstartRejectsDoubleSpaces) {
  expect_reply("lwsstart.dat", 400, "Malformed Request-Line");
}
TEST(Torture, TrwsRejectsTrailingSpaces) {
  expect_reply("trws.dat", 400, "Malformed Request-Line");
}
TEST(Torture, EscruriRejectsHeadersInRequestUri) {
  expect_reply("escruri.dat", 400, "Request-URI with headers");
}
TEST(Torture, BaddateKeepsDateForTheElementToIgnore) {
  // RFC 4475 allows "400, or ignore the Date header"; the parser does not interpret Date.
  const auto a = accept("baddate.dat");
  EXPECT_EQ(a.message.value(HeaderId::date), "Fri, 01 Jan 2010 16:00:00 EST");
}
TEST(Torture, RegbadctRejectsUnbracketedUriWithHeaders) {
  expect_reply("regbadct.dat", 400, "Malformed Contact header");
}
TEST(Torture, BadaspecRejectsSpacesInsideBrackets) {
  expect_reply("badaspec.dat", 400, "Malformed To header");
}
TEST(Torture, BaddnRejectsUnquotedDisplayNameWithComma) {
  expect_reply("baddn.dat", 400, "Malformed To header");
}
TEST(Torture, BadversAnswers505) {
  expect_reply("badvers.dat", 505, "Version Not Supported");
}
TEST(Torture, Mismatch01RejectsCSeqMethodMismatch) {
  expect_reply("mismatch01.dat", 400, "CSeq method does not match request method");
}
TEST(Torture, Mismatch02RejectsMismatchBeforeUnknownMethod) {
  expect_reply("mismatch02.dat", 400, "CSeq method does not match request method");
}
TEST(Torture, BigcodeDiscardsOverlargeStatusCode) {
  expect_discard("bigcode.dat", "Malformed Status-Code");
}

// 3.2 - 3.4 semantic tests

TEST(Torture, BadbranchIsAcceptedWithoutRfc3261TransactionId) {
  const auto a = accept("badbranch.dat");
  EXPECT_EQ(a.request.top_via.branch, "z9hG4bK");
  EXPECT_FALSE(a.request.top_via.has_rfc3261_branch());
  EXPECT_EQ(a.message.method(), Method::options);
}
TEST(Torture, InsufRejectsMissingHeadersWithAReply) {
  expect_reply("insuf.dat", 400, "Missing To header");
}
TEST(Torture, UnkscmAnswers416ForUnknownScheme) {
  expect_reply("unkscm.dat", 416, "Unsupported URI Scheme");
}
TEST(Torture, NovelscAnswers416ForAtypicalScheme) {
  expect_reply("novelsc.dat", 416, "Unsupported URI Scheme");
}
TEST(Torture, Unksm2ParsesNonSipSchemesInHeaders) {
  const auto a = accept("unksm2.dat");
  EXPECT_EQ(a.request.to.uri.scheme, UriScheme::other); // a registrar answers 400
  EXPECT_EQ(a.request.to.uri.scheme_name, "isbn");
  EXPECT_EQ(a.request.from.uri.scheme_name, "http");
  EXPECT_EQ(parse_contact(a.message.value(HeaderId::contact))->address.uri.opaque, "John_Smith");
}
TEST(Torture, Bext01ListsRequiredOptionTagsFor420) {
  const auto a = accept("bext01.dat");
  EXPECT_EQ(values(a.message, HeaderId::require),
            (std::vector<std::string_view>{"nothingSupportsThis", "nothingSupportsThisEither"}));
  EXPECT_EQ(values(a.message, HeaderId::proxy_require),
            (std::vector<std::string_view>{"noProxiesSupportThis", "norDoAnyProxiesSupportThis"}));
}
TEST(Torture, InvutExposesUnknownContentTypeFor415) {
  const auto a = accept("invut.dat");
  EXPECT_EQ(a.message.value(HeaderId::content_type), "application/unknownformat");
  EXPECT_EQ(a.message.body().size(), 40U);
}
TEST(Torture, Regaut01DetectsUnknownAuthorizationScheme) {
  const auto a = accept("regaut01.dat");
  const std::string_view value = a.message.value(HeaderId::authorization);
  EXPECT_EQ(auth_scheme(value), "NoOneKnowsThisScheme");
  EXPECT_FALSE(parse_digest_credentials(value).has_value()); // so: 401 with a challenge
}
TEST(Torture, Multi01RejectsRepeatedSingleValueHeaders) {
  expect_reply("multi01.dat", 400, "Multiple To headers");
}
TEST(Torture, Mcl01RejectsTwoContentLengths) {
  expect_reply("mcl01.dat", 400, "Multiple Content-Length headers");
}
TEST(Torture, BcastExposesBroadcastViaForTheTransportToRefuse) {
  const std::string bytes = load("bcast.dat");
  auto m = parse_message(bytes);
  ASSERT_TRUE(m);
  ASSERT_TRUE(validate_response(*m));
  const auto vias = values(*m, HeaderId::via);
  ASSERT_EQ(vias.size(), 2U);
  EXPECT_EQ(parse_via(vias[1])->host, "255.255.255.255");
  EXPECT_EQ(parse_via(vias[1])->host_type, HostType::ipv4);
}
TEST(Torture, ZeromfParsesMaxForwardsZero) {
  const auto a = accept("zeromf.dat");
  EXPECT_TRUE(a.request.has_max_forwards);
  EXPECT_EQ(a.request.max_forwards, 0U); // 483 if it were forwarded; a UAS processes it
}
TEST(Torture, Cparam01UnknownparamIsAContactParameter) {
  const auto a = accept("cparam01.dat");
  const auto contact = parse_contact(a.message.value(HeaderId::contact));
  EXPECT_TRUE(contact->address.params.contains("unknownparam"));
  EXPECT_FALSE(contact->address.uri.params.contains("unknownparam"));
  EXPECT_EQ(contact->address.uri.user, "+19725552222");
}
TEST(Torture, Cparam02UnknownparamIsAUriParameter) {
  const auto a = accept("cparam02.dat");
  const auto contact = parse_contact(a.message.value(HeaderId::contact));
  EXPECT_TRUE(contact->address.uri.params.contains("unknownparam"));
  EXPECT_FALSE(contact->address.params.contains("unknownparam"));
}
TEST(Torture, RegescrtKeepsEscapedHeaderInContactUri) {
  const auto a = accept("regescrt.dat");
  const auto contact = parse_contact(a.message.value(HeaderId::contact));
  EXPECT_EQ(contact->address.uri.headers.value_of("Route"), "%3Csip:sip.example.com%3E");
  EXPECT_EQ(contact->address.uri.text, "sip:user@example.com?Route=%3Csip:sip.example.com%3E");
}
TEST(Torture, Sdp01ExposesAcceptFor406) {
  const auto a = accept("sdp01.dat");
  EXPECT_EQ(values(a.message, HeaderId::accept),
            (std::vector<std::string_view>{"text/nobodyKnowsThis"}));
}
TEST(Torture, Inv2543AcceptsRfc2543Syntax) {
  const auto a = accept("inv2543.dat");
  EXPECT_FALSE(a.request.has_max_forwards);
  EXPECT_EQ(a.request.max_forwards, 70U);
  EXPECT_TRUE(a.request.top_via.branch.empty());
  // Without <>, ";user=phone" is a header parameter of To (RFC 3261 §20); From has <>.
  EXPECT_EQ(a.request.to.params.value_of("user"), "phone");
  EXPECT_EQ(a.request.from.uri.params.value_of("user"), "phone");
  EXPECT_EQ(a.message.body().size(), 105U); // no Content-Length: the datagram's end
}

} // namespace
} // namespace starling::sip
