// Tests of dialog state (RFC 3261 §12) and of the requests Starling sends within a dialog.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sip/dialog/dialog.h"
#include "sip/parser.h"
#include "sip/validation.h"

namespace starling::sip {
namespace {

// Alice's INVITE as Starling receives it through two record-routing proxies.
constexpr std::string_view kInvite =
    "INVITE sip:201@192.0.2.1 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 192.0.2.30:5060;branch=z9hG4bKp2\r\n"
    "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKa1\r\n"
    "Record-Route: <sip:p2.example.com;lr>\r\n"
    "Record-Route: <sip:p1.example.com;lr>, <sip:p0.example.com;lr>\r\n"
    "Max-Forwards: 68\r\n"
    "From: \"Alice\" <sip:alice@example.com>;tag=alice-tag\r\n"
    "To: <sip:201@example.com>\r\n"
    "Call-ID: call-a\r\n"
    "CSeq: 314 INVITE\r\n"
    "Contact: <sip:alice@192.0.2.10:5060>\r\n"
    "Content-Length: 0\r\n\r\n";

// Bob's 200 to Starling's INVITE (CSeq 1), back through two record-routing proxies.
constexpr std::string_view kOk =
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKs1\r\n"
    "Record-Route: <sip:q1.example.com;lr>, <sip:q2.example.com;lr>\r\n"
    "Record-Route: <sip:q3.example.com;lr>\r\n"
    "From: <sip:alice@example.com>;tag=starling-tag\r\n"
    "To: Bob <sip:bob@example.com>;tag=bob-tag\r\n"
    "Call-ID: call-b\r\n"
    "CSeq: 1 INVITE\r\n"
    "Contact: <sip:bob@192.0.2.20:5062;transport=tcp>\r\n"
    "Content-Length: 0\r\n\r\n";

Message parse(std::string_view bytes) {
  auto message = parse_message(bytes);
  EXPECT_TRUE(message) << bytes;
  return std::move(*message);
}

Dialog uas_dialog() {
  const Message invite = parse(kInvite);
  const auto parsed = validate_request(invite);
  EXPECT_TRUE(parsed);
  return dialog_as_uas(invite, *parsed, "starling-a");
}

Dialog uac_dialog() {
  const Message ok = parse(kOk);
  const auto parsed = validate_response(ok);
  EXPECT_TRUE(parsed);
  auto dialog = dialog_as_uac(ok, *parsed, 1);
  EXPECT_TRUE(dialog);
  return dialog.value_or(Dialog{});
}

// What the transaction layer would receive: the dialog's request with the Via and
// Max-Forwards the caller of dialog_request adds.
Message finish(RequestBuilder request) {
  request.add_header("Via", "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKnew")
      .add_header("Max-Forwards", "70");
  return parse(std::move(request).finish());
}

std::vector<std::string> routes_of(const Message& message) {
  std::vector<std::string> routes;
  for (const auto& header : message.headers()) {
    if (header.id == HeaderId::route) {
      routes.emplace_back(header.value);
    }
  }
  return routes;
}

TEST(DialogAsUas, TakesTheCallersTagUriContactAndCSeq) {
  const Dialog dialog = uas_dialog();
  EXPECT_EQ(dialog.call_id, "call-a");
  EXPECT_EQ(dialog.local_tag, "starling-a");
  EXPECT_EQ(dialog.remote_tag, "alice-tag");
  EXPECT_EQ(dialog.local_uri, "<sip:201@example.com>");
  EXPECT_EQ(dialog.remote_uri, "\"Alice\" <sip:alice@example.com>");
  EXPECT_EQ(dialog.remote_target, "sip:alice@192.0.2.10:5060");
  EXPECT_EQ(dialog.remote_cseq, 314U);
}

TEST(DialogAsUas, KeepsTheRecordRouteOrderAsTheRouteSet) {
  const Dialog dialog = uas_dialog();
  EXPECT_EQ(dialog.route_set,
            (std::vector<std::string>{"<sip:p2.example.com;lr>", "<sip:p1.example.com;lr>",
                                      "<sip:p0.example.com;lr>"}));
}

TEST(DialogAsUac, ReversesTheRecordRouteOfTheResponse) {
  const Dialog dialog = uac_dialog();
  // RFC 3261 §12.1.2: across header lines and within a comma-separated line alike.
  EXPECT_EQ(dialog.route_set,
            (std::vector<std::string>{"<sip:q3.example.com;lr>", "<sip:q2.example.com;lr>",
                                      "<sip:q1.example.com;lr>"}));
}

TEST(DialogAsUac, TakesTagsFromTheResponseAndTheTargetFromItsContact) {
  const Dialog dialog = uac_dialog();
  EXPECT_EQ(dialog.call_id, "call-b");
  EXPECT_EQ(dialog.local_tag, "starling-tag");
  EXPECT_EQ(dialog.remote_tag, "bob-tag");
  EXPECT_EQ(dialog.local_uri, "<sip:alice@example.com>");
  EXPECT_EQ(dialog.remote_uri, "Bob <sip:bob@example.com>");
  EXPECT_EQ(dialog.remote_target, "sip:bob@192.0.2.20:5062;transport=tcp");
  EXPECT_EQ(dialog.local_cseq, 1U);
  EXPECT_FALSE(dialog.remote_cseq);
}

TEST(DialogAsUac, CreatesNoDialogFromAResponseWithoutToTag) {
  std::string bytes(kOk);
  bytes.replace(bytes.find(";tag=bob-tag"), std::string_view(";tag=bob-tag").size(), "");
  const Message ok = parse(bytes);
  const auto parsed = validate_response(ok);
  ASSERT_TRUE(parsed);
  EXPECT_FALSE(dialog_as_uac(ok, *parsed, 1));
}

TEST(DialogRequest, AddressesTheRemoteTargetThroughTheRouteSet) {
  Dialog dialog = uac_dialog();
  const Message bye = finish(dialog_request(dialog, "BYE"));
  const auto parsed = validate_request(bye);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(bye.method(), Method::bye);
  EXPECT_EQ(bye.request_line().request_uri, "sip:bob@192.0.2.20:5062;transport=tcp");
  EXPECT_EQ(routes_of(bye), dialog.route_set);
  EXPECT_EQ(parsed->from.tag(), "starling-tag");
  EXPECT_EQ(parsed->to.tag(), "bob-tag");
  EXPECT_EQ(parsed->call_id, "call-b");
}

TEST(DialogRequest, IncrementsTheLocalCSeqWithEveryRequest) {
  Dialog dialog = uac_dialog();
  const Message reinvite = finish(dialog_request(dialog, "INVITE"));
  const Message bye = finish(dialog_request(dialog, "BYE"));
  const auto first = validate_request(reinvite);
  const auto second = validate_request(bye);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->cseq.number, 2U);
  EXPECT_EQ(second->cseq.number, 3U);
  EXPECT_EQ(second->cseq.method, "BYE");
  EXPECT_EQ(dialog.local_cseq, 3U);
}

TEST(DialogRequest, StartsTheUasSidesOwnCSeqApartFromTheCallers) {
  Dialog dialog = uas_dialog();
  const Message bye = finish(dialog_request(dialog, "BYE"));
  const auto parsed = validate_request(bye);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->cseq.number, 1U);
  EXPECT_EQ(bye.request_line().request_uri, "sip:alice@192.0.2.10:5060");
  EXPECT_EQ(parsed->from.tag(), "starling-a");
  EXPECT_EQ(parsed->to.tag(), "alice-tag");
  EXPECT_EQ(routes_of(bye).front(), "<sip:p2.example.com;lr>");
}

TEST(DialogAck, KeepsTheCSeqNumberOfTheInviteItAcknowledges) {
  Dialog dialog = uac_dialog();
  (void)dialog_request(dialog, "INVITE"); // a re-INVITE with CSeq 2
  const Message ack = finish(dialog_ack(dialog, 2));
  const auto parsed = validate_request(ack);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(ack.method(), Method::ack);
  EXPECT_EQ(parsed->cseq.number, 2U);
  EXPECT_EQ(parsed->cseq.method, "ACK");
  EXPECT_EQ(routes_of(ack), dialog.route_set);
  EXPECT_EQ(dialog.local_cseq, 2U); // an ACK takes no CSeq of its own
}

TEST(RefreshRemoteTarget, FollowsANewContactAndKeepsTheOldOneWithoutContact) {
  Dialog dialog = uas_dialog();
  refresh_remote_target(
      dialog, parse("INVITE sip:201@192.0.2.1 SIP/2.0\r\n"
                    "Contact: \"Alice\" <sip:alice@198.51.100.7:40000>;expires=60\r\n\r\n"));
  EXPECT_EQ(dialog.remote_target, "sip:alice@198.51.100.7:40000");
  refresh_remote_target(dialog, parse("UPDATE sip:201@192.0.2.1 SIP/2.0\r\n\r\n"));
  EXPECT_EQ(dialog.remote_target, "sip:alice@198.51.100.7:40000");
}

TEST(AcceptRemoteCSeq, RejectsALowerCSeqAsOutOfOrder) {
  Dialog dialog = uas_dialog(); // remote CSeq 314
  EXPECT_FALSE(accept_remote_cseq(dialog, 313));
  EXPECT_EQ(dialog.remote_cseq, 314U);
}

TEST(AcceptRemoteCSeq, AcceptsAndRecordsAHigherCSeq) {
  Dialog dialog = uas_dialog();
  EXPECT_TRUE(accept_remote_cseq(dialog, 400));
  EXPECT_EQ(dialog.remote_cseq, 400U);
  EXPECT_FALSE(accept_remote_cseq(dialog, 315));
}

TEST(AcceptRemoteCSeq, AcceptsAnyFirstCSeqFromAPeerThatSentNoneYet) {
  Dialog dialog = uac_dialog();
  EXPECT_TRUE(accept_remote_cseq(dialog, 1));
  EXPECT_EQ(dialog.remote_cseq, 1U);
}

TEST(WithoutTag, KeepsTheDisplayNameAndDropsTheTag) {
  const Message ok = parse(kOk);
  const auto parsed = validate_response(ok);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(without_tag(parsed->to), "Bob <sip:bob@example.com>");
  EXPECT_EQ(without_tag(parsed->from), "<sip:alice@example.com>");
}

} // namespace
} // namespace starling::sip
