// The upload service at upload.DOMAIN through the router: discovery and slot requests
// (XEP-0363 §3–§5).
#include <string>

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "../im/router_fixture.h"
#include "upload_fixture.h"
#include "xmpp/im/namespaces.h"
#include "xmpp/upload/slot_request.h"
#include "xmpp/upload/upload_service.h"
#include "xmpp/xml/serializer.h"

namespace starling::xmpp::upload {
namespace {

using im::FakeSession;

class UploadServiceTest : public im::RouterFixture, public UploadFixture {
protected:
  UploadServiceTest() {
    EXPECT_TRUE(uploads_.load());
    router_.add_component(service_);
  }

  // The one stanza the request got back.
  xml::Element ask(FakeSession& session, std::string_view iq) {
    send(session, iq);
    EXPECT_EQ(session.delivered.size(), 1U);
    auto reply = session.delivered.empty() ? xml::Element("", "none") : session.delivered.back();
    session.delivered.clear();
    return reply;
  }
  xml::Element request_slot(FakeSession& session, std::string_view file_name, std::uint64_t size,
                            std::string_view type = "image/png") {
    return ask(session, "<iq type='get' id='r1' to='upload.pbx.example'><request xmlns='" +
                            std::string(kUploadNamespace) + "' filename='" +
                            std::string(file_name) + "' size='" + std::to_string(size) +
                            "' content-type='" + std::string(type) + "'/></iq>");
  }

  boost::asio::io_context io_;
  Uploads uploads_{settings(), clock_, metrics_};
  UploadService service_{upload_domain(im::kDomain), router_.sessions(), uploads_,
                         io_.get_executor(), io_.get_executor()};
};

TEST_F(UploadServiceTest, TheServerListsTheServiceInItsItems) {
  auto& alice = online("alice@pbx.example/phone");
  const auto items = xml::serialize(
      ask(alice, "<iq type='get' id='d1'><query xmlns='http://jabber.org/protocol/disco#items'/>"
                 "</iq>"));
  EXPECT_NE(items.find("jid='upload.pbx.example'"), std::string::npos) << items;
}

TEST_F(UploadServiceTest, DiscoInfoHasTheIdentityTheFeatureAndTheMaxFileSize) {
  auto& alice = online("alice@pbx.example/phone");
  const auto info = ask(alice, "<iq type='get' id='d2' to='upload.pbx.example'><query "
                               "xmlns='http://jabber.org/protocol/disco#info'/></iq>");
  const auto text = xml::serialize(info);
  EXPECT_EQ(info.attribute("type"), "result");
  EXPECT_NE(text.find("category='store' type='file'"), std::string::npos) << text;
  EXPECT_NE(text.find("<feature var='urn:xmpp:http:upload:0'/>"), std::string::npos) << text;
  const auto* form =
      info.child(im::kDiscoInfoNamespace, "query")->child(im::kDataFormsNamespace, "x");
  ASSERT_NE(form, nullptr) << text;
  std::string max_size;
  for (const auto& field : form->children(im::kDataFormsNamespace, "field")) {
    if (field.attribute("var") == "max-file-size") {
      max_size = field.child(im::kDataFormsNamespace, "value")->text();
    }
  }
  EXPECT_EQ(max_size, std::to_string(kMaxFileSize));
}

TEST_F(UploadServiceTest, ASlotHasPutAndGetUrlsWithARandomIdAndTheName) {
  auto& alice = online("alice@pbx.example/phone");
  const auto first = request_slot(alice, "my photo.png", 500);
  const auto second = request_slot(alice, "my photo.png", 500);
  ASSERT_EQ(first.attribute("type"), "result") << xml::serialize(first);
  const auto* slot = first.child(kUploadNamespace, "slot");
  ASSERT_NE(slot, nullptr);
  const auto put = std::string(*slot->child(kUploadNamespace, "put")->attribute("url"));
  const auto get = std::string(*slot->child(kUploadNamespace, "get")->attribute("url"));
  EXPECT_EQ(put, get);
  ASSERT_TRUE(put.starts_with("https://pbx.example:8443/upload/")) << put;
  EXPECT_TRUE(put.ends_with("/my%20photo.png")) << put;
  const auto id = put.substr(32, put.rfind('/') - 32);
  EXPECT_EQ(id.size(), 32U) << put; // 192 bits
  const auto other = std::string(
      *second.child(kUploadNamespace, "slot")->child(kUploadNamespace, "get")->attribute("url"));
  EXPECT_NE(other, get);
}

TEST_F(UploadServiceTest, ATooLargeFileIsRefusedWithTheMaxFileSize) {
  auto& alice = online("alice@pbx.example/phone");
  const auto reply = request_slot(alice, "big.png", kMaxFileSize + 1);
  const auto text = xml::serialize(reply);
  EXPECT_EQ(reply.attribute("type"), "error");
  EXPECT_NE(text.find("<error type='modify'><not-acceptable"), std::string::npos) << text;
  EXPECT_NE(text.find("<file-too-large xmlns='urn:xmpp:http:upload:0'><max-file-size>10000"
                      "</max-file-size></file-too-large>"),
            std::string::npos)
      << text;
}

TEST_F(UploadServiceTest, AFileNameThatCannotBeUsedIsNotAcceptable) {
  auto& alice = online("alice@pbx.example/phone");
  const auto text = xml::serialize(request_slot(alice, "   ", 10));
  EXPECT_NE(text.find("<not-acceptable"), std::string::npos) << text;
  EXPECT_EQ(text.find("file-too-large"), std::string::npos) << text;
}

TEST_F(UploadServiceTest, AMalformedRequestIsABadRequest) {
  auto& alice = online("alice@pbx.example/phone");
  for (const auto* request : {"<request xmlns='urn:xmpp:http:upload:0' filename='a.png'/>",
                              "<request xmlns='urn:xmpp:http:upload:0' filename='a.png' "
                              "size='-1'/>",
                              "<request xmlns='urn:xmpp:http:upload:0' filename='a.png' "
                              "size='1' content-type='not a type'/>"}) {
    const auto text = xml::serialize(ask(alice, "<iq type='get' id='b' to='upload.pbx.example'>" +
                                                    std::string(request) + "</iq>"));
    EXPECT_NE(text.find("<bad-request"), std::string::npos) << text;
  }
}

TEST_F(UploadServiceTest, AFullQuotaIsAResourceConstraintWithARetryStamp) {
  auto& alice = online("alice@pbx.example/phone");
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(request_slot(alice, "a.png", kMaxFileSize).attribute("type"), "result");
  }
  const auto text = xml::serialize(request_slot(alice, "a.png", kMaxFileSize));
  EXPECT_NE(text.find("<error type='wait'><resource-constraint"), std::string::npos) << text;
  // The unused slots expire two minutes after the ManualClock's 2026-01-01T00:00:00Z.
  EXPECT_NE(text.find("<retry xmlns='urn:xmpp:http:upload:0' stamp='2026-01-01T00:02:00Z'/>"),
            std::string::npos)
      << text;
  auto& bob = online("bob@pbx.example/desk");
  EXPECT_EQ(request_slot(bob, "b.png", kMaxFileSize).attribute("type"), "result");
}

TEST_F(UploadServiceTest, OtherRequestsAreServiceUnavailable) {
  auto& alice = online("alice@pbx.example/phone");
  const auto text = xml::serialize(
      ask(alice, "<iq type='set' id='v' to='upload.pbx.example'><vCard xmlns='vcard-temp'/></iq>"));
  EXPECT_NE(text.find("<service-unavailable"), std::string::npos) << text;
}

} // namespace
} // namespace starling::xmpp::upload
