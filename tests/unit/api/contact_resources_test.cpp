// /contacts and /address-book over a real store: personal contacts stay personal.
#include <boost/json/array.hpp>

#include "api_fixture.h"

namespace starling::api {
namespace {

constexpr std::string_view kZoe =
    R"({"name":"Zoe Meier","company":"Acme, Inc.","numbers":[{"type":"mobile","number":"+41 79 1"},)"
    R"({"number":"201"}],"email":"zoe@example.com","notes":"met at\nthe fair"})";

class ContactResourcesTest : public ApiTest {
protected:
  // Adds a contact as `login` and returns its path.
  std::string add_contact(const Login& login, std::string_view body = kZoe) {
    const auto response = as(login, http::Verb::post, "/api/v1/contacts", std::string(body));
    EXPECT_EQ(response.result(), http::Status::created) << response.body();
    return std::string(response[http::Field::location]);
  }
};

TEST_F(ContactResourcesTest, AnAddedContactCanBeReadBackWithAnETag) {
  const auto alice = log_in("alice");
  const auto path = add_contact(alice);
  EXPECT_TRUE(path.starts_with("/api/v1/contacts/")) << path;
  const auto response = as(alice, http::Verb::get, path);
  ASSERT_EQ(response.result(), http::Status::ok);
  EXPECT_FALSE(response[http::Field::etag].empty());
  const auto contact = json(response).as_object();
  EXPECT_EQ(contact.at("name"), "Zoe Meier");
  EXPECT_EQ(contact.at("company"), "Acme, Inc.");
  EXPECT_EQ(contact.at("numbers").at(0).at("type"), "mobile");
  EXPECT_EQ(contact.at("numbers").at(1).at("type"), "other");
  EXPECT_EQ(contact.at("notes"), "met at\nthe fair");
}

TEST_F(ContactResourcesTest, NobodyElseCanReadChangeRemoveOrListAUsersContacts) {
  const auto path = add_contact(log_in("alice"));
  for (const auto* name : {"bob", "boss"}) {
    const auto other = log_in(name);
    EXPECT_EQ(as(other, http::Verb::get, path).result(), http::Status::not_found) << name;
    EXPECT_EQ(as(other, http::Verb::patch, path, R"({"name":"mine"})").result(),
              http::Status::not_found);
    EXPECT_EQ(as(other, http::Verb::delete_, path).result(), http::Status::not_found);
    EXPECT_EQ(json(as(other, http::Verb::get, "/api/v1/contacts")).at("total"), 0);
    EXPECT_EQ(as(other, http::Verb::get, "/api/v1/contacts.vcf").body(), "");
  }
}

TEST_F(ContactResourcesTest, PatchChangesOnlyTheMembersSentAndPutReplacesAll) {
  const auto alice = log_in("alice");
  const auto path = add_contact(alice);
  auto patched = as(alice, http::Verb::patch, path, R"({"company":"Beta"})");
  ASSERT_EQ(patched.result(), http::Status::ok) << patched.body();
  EXPECT_EQ(json(patched).at("company"), "Beta");
  EXPECT_EQ(json(patched).at("numbers").as_array().size(), 2U);

  auto replaced = as(alice, http::Verb::put, path, R"({"name":"Zoe"})");
  ASSERT_EQ(replaced.result(), http::Status::ok) << replaced.body();
  EXPECT_EQ(json(replaced).at("company"), "");
  EXPECT_TRUE(json(replaced).at("numbers").as_array().empty());
}

TEST_F(ContactResourcesTest, AChangeWithAnOldETagIsRefused) {
  const auto alice = log_in("alice");
  const auto path = add_contact(alice);
  const std::string etag(as(alice, http::Verb::get, path)[http::Field::etag]);
  ASSERT_EQ(as(alice, http::Verb::patch, path, R"({"notes":"x"})", {{"If-Match", etag}}).result(),
            http::Status::ok);
  EXPECT_EQ(as(alice, http::Verb::patch, path, R"({"notes":"y"})", {{"If-Match", etag}}).result(),
            http::Status::precondition_failed);
  EXPECT_EQ(as(alice, http::Verb::delete_, path, {}, {{"If-Match", etag}}).result(),
            http::Status::precondition_failed);
  EXPECT_EQ(as(alice, http::Verb::delete_, path).result(), http::Status::no_content);
  EXPECT_EQ(as(alice, http::Verb::get, path).result(), http::Status::not_found);
}

TEST_F(ContactResourcesTest, InvalidContactsAreRefusedNamingTheMember) {
  const auto alice = log_in("alice");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"company":"no name"})", "/name"},
      {R"({"name":""})", "/name"},
      {R"({"name":7})", "/name"},
      {R"({"name":"x","numbers":[{"number":"1","type":"car"}]})", "/numbers/0/type"},
      {R"({"name":"x","numbers":[{"type":"work"}]})", "/numbers/0/number"},
      {R"({"name":"x","numbers":"201"})", "/numbers"},
      {R"({"name":"x","email":"nobody"})", "/email"},
      {R"({"name":"bell\u0007"})", "/name"},
      {R"({"name":"x","nickname":"y"})", "/nickname"},
  };
  for (const auto& [body, field] : cases) {
    const auto response = as(alice, http::Verb::post, "/api/v1/contacts", body);
    EXPECT_EQ(response.result(), http::Status::unprocessable_entity) << body;
    EXPECT_EQ(json(response).at("field").as_string(), field) << body;
  }
}

TEST_F(ContactResourcesTest, ContactsExportAsVCards) {
  const auto alice = log_in("alice");
  add_contact(alice);
  const auto response = as(alice, http::Verb::get, "/api/v1/contacts.vcf");
  ASSERT_EQ(response.result(), http::Status::ok);
  EXPECT_EQ(response[http::Field::content_type], "text/vcard; charset=utf-8");
  const auto& body = response.body();
  EXPECT_TRUE(body.starts_with("BEGIN:VCARD\r\nVERSION:4.0\r\n")) << body;
  EXPECT_NE(body.find("FN:Zoe Meier\r\n"), std::string::npos) << body;
  EXPECT_NE(body.find("N:Meier;Zoe;;;\r\n"), std::string::npos) << body;
  EXPECT_NE(body.find("ORG:Acme\\, Inc.\r\n"), std::string::npos) << body;
  EXPECT_NE(body.find("TEL;TYPE=cell:+41 79 1\r\n"), std::string::npos) << body;
  EXPECT_NE(body.find("TEL:201\r\n"), std::string::npos) << body;
  EXPECT_NE(body.find("NOTE:met at\\nthe fair\r\n"), std::string::npos) << body;
}

TEST_F(ContactResourcesTest, TheAddressBookListsUsersAndGroupsWithExtensions) {
  ASSERT_TRUE(directory_->add_extension("201", "alice", std::nullopt));
  ASSERT_TRUE(directory_->add_group("sales", "Sales Team"));
  ASSERT_TRUE(directory_->add_extension("300", std::nullopt, "sales"));
  const auto bob = log_in("bob");
  const auto response = as(bob, http::Verb::get, "/api/v1/address-book");
  ASSERT_EQ(response.result(), http::Status::ok) << response.body();
  const auto items = json(response).at("items").as_array();
  ASSERT_EQ(items.size(), 2U) << "bob and boss have no extension";
  EXPECT_EQ(items[0].at("kind"), "user");
  EXPECT_EQ(items[0].at("name"), "alice");
  EXPECT_EQ(items[0].at("display_name"), "alice Example");
  EXPECT_EQ(items[0].at("extensions").at(0), "201");
  EXPECT_EQ(items[1].at("kind"), "group");
  EXPECT_EQ(items[1].at("name"), "sales");

  const auto cards = as(bob, http::Verb::get, "/api/v1/address-book.vcf").body();
  EXPECT_NE(cards.find("FN:alice Example\r\nN:Example;alice;;;\r\nTEL;TYPE=work:201\r\n"),
            std::string::npos)
      << cards;
  EXPECT_NE(cards.find("KIND:group\r\nUID;VALUE=text:starling-group-sales\r\nFN:Sales Team\r\n"),
            std::string::npos)
      << cards;
}

} // namespace
} // namespace starling::api
