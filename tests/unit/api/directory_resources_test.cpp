#include "api_fixture.h"

namespace starling::api {
namespace {

using http::Status;
using http::Verb;

TEST_F(ApiTest, AdministratorCreatesAUserAndSeesTheGeneratedPasswordOnce) {
  const Login boss = log_in("boss");
  const auto created = as(boss, Verb::post, "/api/v1/users",
                          R"({"name":"carol","display_name":"Carol","extension":"203"})");
  ASSERT_EQ(created.result(), Status::created) << created.body();
  EXPECT_EQ(created[http::Field::location], "/api/v1/users/carol");
  EXPECT_FALSE(json(created).at("password").as_string().empty());
  const auto read = as(boss, Verb::get, "/api/v1/users/carol");
  EXPECT_EQ(json(read).at("extensions").at(0), "203");
  EXPECT_FALSE(json(read).as_object().contains("password"));
  // RFC 3339 in UTC, such as 2026-01-01T00:00:00Z.
  EXPECT_EQ(json(read).at("created_at").as_string().size(), 20U);
  EXPECT_TRUE(json(read).at("created_at").as_string().ends_with("Z"));
}

TEST_F(ApiTest, DuplicateNameIs409AndBadNameIs422NamingTheField) {
  const Login boss = log_in("boss");
  EXPECT_EQ(as(boss, Verb::post, "/api/v1/users", R"({"name":"alice"})").result(),
            Status::conflict);
  const auto bad = as(boss, Verb::post, "/api/v1/users", R"({"name":"a b"})");
  EXPECT_EQ(bad.result(), Status::unprocessable_entity);
  EXPECT_EQ(json(bad).at("field"), "/name");
  const auto typo = as(boss, Verb::post, "/api/v1/users", R"({"name":"dave","dispaly_name":"D"})");
  EXPECT_EQ(typo.result(), Status::unprocessable_entity);
  EXPECT_EQ(json(typo).at("field"), "/dispaly_name");
  const auto short_password =
      as(boss, Verb::post, "/api/v1/users", R"({"name":"dave","password":"short"})");
  EXPECT_EQ(json(short_password).at("field"), "/password");
}

TEST_F(ApiTest, UserReadsThemselfButNotOthers) {
  const Login alice = log_in("alice");
  EXPECT_EQ(as(alice, Verb::get, "/api/v1/users/alice").result(), Status::ok);
  EXPECT_EQ(as(alice, Verb::get, "/api/v1/users/bob").result(), Status::not_found);
  EXPECT_EQ(as(alice, Verb::get, "/api/v1/users/nobody").body(),
            as(alice, Verb::get, "/api/v1/users/nobody").body());
}

TEST_F(ApiTest, UserChangesTheirOwnDisplayNameButNotTheirRole) {
  const Login alice = log_in("alice");
  const auto renamed =
      as(alice, Verb::patch, "/api/v1/users/alice", R"({"display_name":"Alice Liddell"})");
  ASSERT_EQ(renamed.result(), Status::ok) << renamed.body();
  EXPECT_EQ(json(renamed).at("display_name"), "Alice Liddell");
  EXPECT_EQ(as(alice, Verb::patch, "/api/v1/users/alice", R"({"role":"admin"})").result(),
            Status::forbidden);
  EXPECT_EQ(as(alice, Verb::patch, "/api/v1/users/bob", R"({"display_name":"x"})").result(),
            Status::not_found);
}

TEST_F(ApiTest, ChangingYourOwnPasswordNeedsTheCurrentOne) {
  const Login alice = log_in("alice");
  const Login other_browser = log_in("alice");
  const auto missing =
      as(alice, Verb::patch, "/api/v1/users/alice", R"({"password":"a new password"})");
  EXPECT_EQ(json(missing).at("field"), "/current_password");
  const auto wrong = as(alice, Verb::patch, "/api/v1/users/alice",
                        R"({"password":"a new password","current_password":"guess"})");
  EXPECT_EQ(wrong.result(), Status::forbidden);
  const auto changed = as(alice, Verb::patch, "/api/v1/users/alice",
                          R"({"password":"a new password","current_password":"alice-password"})");
  EXPECT_EQ(changed.result(), Status::ok) << changed.body();
  EXPECT_EQ(log_in_response("alice", "a new password").result(), Status::ok);
  EXPECT_EQ(as(alice, Verb::get, "/api/v1/session").result(), Status::ok);
  EXPECT_EQ(as(other_browser, Verb::get, "/api/v1/session").result(), Status::unauthorized);
}

TEST_F(ApiTest, LastAdministratorCannotBeDemotedOrRemoved) {
  const Login boss = log_in("boss");
  EXPECT_EQ(as(boss, Verb::patch, "/api/v1/users/boss", R"({"role":"user"})").result(),
            Status::conflict);
  EXPECT_EQ(as(boss, Verb::delete_, "/api/v1/users/boss").result(), Status::conflict);
  EXPECT_EQ(as(boss, Verb::patch, "/api/v1/users/alice", R"({"role":"admin"})").result(),
            Status::ok);
  EXPECT_EQ(as(boss, Verb::patch, "/api/v1/users/boss", R"({"role":"user"})").result(), Status::ok);
}

TEST_F(ApiTest, GetSendsAnETagAndAStaleIfMatchIsRefusedWith412) {
  const Login boss = log_in("boss");
  const auto read = as(boss, Verb::get, "/api/v1/users/alice");
  const std::string etag(read[http::Field::etag]);
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(
      as(boss, Verb::patch, "/api/v1/users/alice", R"({"display_name":"A"})", {{"If-Match", etag}})
          .result(),
      Status::ok);
  EXPECT_EQ(
      as(boss, Verb::patch, "/api/v1/users/alice", R"({"display_name":"B"})", {{"If-Match", etag}})
          .result(),
      Status::precondition_failed);
  EXPECT_EQ(as(boss, Verb::delete_, "/api/v1/users/alice", {}, {{"If-Match", etag}}).result(),
            Status::precondition_failed);
  EXPECT_TRUE(store_->find_user("alice")->has_value());
}

TEST_F(ApiTest, UserAddsTheirOwnDeviceAndGetsItsPasswordOnce) {
  const Login alice = log_in("alice");
  const auto created = as(alice, Verb::post, "/api/v1/devices", R"({"description":"desk phone"})");
  ASSERT_EQ(created.result(), Status::created) << created.body();
  EXPECT_EQ(json(created).at("name"), "alice");
  EXPECT_EQ(json(created).at("user"), "alice");
  EXPECT_FALSE(json(created).at("password").as_string().empty());
  EXPECT_FALSE(
      json(as(alice, Verb::get, "/api/v1/devices/alice")).as_object().contains("password"));
  EXPECT_EQ(as(alice, Verb::post, "/api/v1/devices", R"({"user":"bob"})").result(),
            Status::forbidden);
}

TEST_F(ApiTest, UserNeverSeesOrTouchesAnotherUsersDevices) {
  ASSERT_TRUE(directory_->add_device({"bob", "bob-desk", std::nullopt, "desk"}));
  const Login alice = log_in("alice");
  EXPECT_EQ(json(as(alice, Verb::get, "/api/v1/devices")).at("total"), 0);
  EXPECT_EQ(as(alice, Verb::get, "/api/v1/devices/bob-desk").result(), Status::not_found);
  EXPECT_EQ(
      as(alice, Verb::patch, "/api/v1/devices/bob-desk", R"({"description":"mine"})").result(),
      Status::not_found);
  EXPECT_EQ(as(alice, Verb::delete_, "/api/v1/devices/bob-desk").result(), Status::not_found);
  EXPECT_TRUE(store_->find_device("bob-desk")->has_value());
  const Login bob = log_in("bob");
  EXPECT_EQ(json(as(bob, Verb::get, "/api/v1/devices")).at("total"), 1);
}

TEST_F(ApiTest, DevicePasswordChangeReplacesItsDigestHashes) {
  ASSERT_TRUE(directory_->add_device({"alice", "alice", std::string("first password"), ""}));
  const auto before = (*store_->find_device("alice"))->ha1_md5;
  const Login alice = log_in("alice");
  const auto changed = as(alice, Verb::patch, "/api/v1/devices/alice",
                          R"({"password":"second password","description":"softphone"})");
  ASSERT_EQ(changed.result(), Status::ok) << changed.body();
  EXPECT_EQ(json(changed).at("description"), "softphone");
  EXPECT_NE((*store_->find_device("alice"))->ha1_md5, before);
  EXPECT_EQ(as(alice, Verb::delete_, "/api/v1/devices/alice").result(), Status::no_content);
}

TEST_F(ApiTest, AdministratorManagesExtensionsAndUsersReadThem) {
  const Login boss = log_in("boss");
  const auto created =
      as(boss, Verb::post, "/api/v1/extensions", R"({"number":"201","user":"alice"})");
  ASSERT_EQ(created.result(), Status::created) << created.body();
  EXPECT_EQ(as(boss, Verb::post, "/api/v1/extensions", R"({"number":"201","user":"bob"})").result(),
            Status::conflict);
  const auto missing =
      as(boss, Verb::post, "/api/v1/extensions", R"({"number":"202","user":"nobody"})");
  EXPECT_EQ(json(missing).at("field"), "/user");
  const Login alice = log_in("alice");
  EXPECT_EQ(json(as(alice, Verb::get, "/api/v1/extensions/201")).at("user"), "alice");
  EXPECT_EQ(as(alice, Verb::delete_, "/api/v1/extensions/201").result(), Status::forbidden);
  EXPECT_EQ(as(boss, Verb::delete_, "/api/v1/extensions/201").result(), Status::no_content);
}

TEST_F(ApiTest, GroupMembersAreReplacedByPatch) {
  const Login boss = log_in("boss");
  ASSERT_EQ(as(boss, Verb::post, "/api/v1/groups",
               R"({"name":"sales","display_name":"Sales","members":["alice"]})")
                .result(),
            Status::created);
  const auto changed =
      as(boss, Verb::patch, "/api/v1/groups/sales", R"({"members":["bob","boss"]})");
  ASSERT_EQ(changed.result(), Status::ok) << changed.body();
  EXPECT_EQ(json(changed).at("members"), boost::json::parse(R"(["bob","boss"])"));
  const auto bad = as(boss, Verb::patch, "/api/v1/groups/sales", R"({"members":["bob","ghost"]})");
  EXPECT_EQ(json(bad).at("field"), "/members/1");
  EXPECT_EQ(as(boss, Verb::post, "/api/v1/groups", R"({"name":"sales"})").result(),
            Status::conflict);
  EXPECT_EQ(as(boss, Verb::delete_, "/api/v1/groups/sales").result(), Status::no_content);
}

TEST_F(ApiTest, ListsArePaginated) {
  const Login boss = log_in("boss");
  const auto page = json(as(boss, Verb::get, "/api/v1/users?limit=2&offset=1"));
  EXPECT_EQ(page.at("total"), 3);
  EXPECT_EQ(page.at("limit"), 2);
  EXPECT_EQ(page.at("offset"), 1);
  ASSERT_EQ(page.at("items").as_array().size(), 2U);
  EXPECT_EQ(page.at("items").at(0).at("name"), "bob");
  EXPECT_EQ(as(boss, Verb::get, "/api/v1/users?limit=0").result(), Status::bad_request);
}

} // namespace
} // namespace starling::api
