#include "api_fixture.h"

namespace starling::api {
namespace {

using http::Status;
using http::Verb;

constexpr auto kProvider =
    R"({"name":"provider","domain":"sip.provider.example","username":"4930123400",)"
    R"("password":"trunk-secret","numbers":[{"did":"+4930123400","target":"200"}]})";

TEST_F(ApiTest, AdministratorAddsATrunkWhosePasswordNeverComesBack) {
  const Login boss = log_in("boss");
  const auto created = as(boss, Verb::post, "/api/v1/trunks", kProvider);
  ASSERT_EQ(created.result(), Status::created) << created.body();
  EXPECT_EQ(created[http::Field::location], "/api/v1/trunks/provider");
  EXPECT_EQ(created.body().find("trunk-secret"), std::string::npos);
  const auto read = as(boss, Verb::get, "/api/v1/trunks/provider");
  ASSERT_EQ(read.result(), Status::ok);
  EXPECT_EQ(read.body().find("trunk-secret"), std::string::npos);
  EXPECT_TRUE(json(read).at("password_set").as_bool());
  EXPECT_EQ(json(read).at("kind"), "register");
  EXPECT_EQ(json(read).at("numbers").at(0).at("target"), "200");
  EXPECT_EQ(json(read).at("status").at("state"), "unregistered");
  ASSERT_TRUE(store_->find_trunk("provider").value());
  EXPECT_EQ((*store_->find_trunk("provider").value()).password, "trunk-secret");
}

TEST_F(ApiTest, TrunkStateIsShownButDoesNotChangeItsETag) {
  const Login boss = log_in("boss");
  ASSERT_EQ(as(boss, Verb::post, "/api/v1/trunks", kProvider).result(), Status::created);
  const std::string before(as(boss, Verb::get, "/api/v1/trunks/provider")[http::Field::etag]);
  ASSERT_TRUE(store_->save_trunk_status({"provider", "failing", "403 Forbidden", 1, 0}));
  const auto read = as(boss, Verb::get, "/api/v1/trunks/provider");
  EXPECT_EQ(json(read).at("status").at("state"), "failing");
  EXPECT_EQ(json(read).at("status").at("reason"), "403 Forbidden");
  EXPECT_EQ(read[http::Field::etag], before);
  const auto list = as(boss, Verb::get, "/api/v1/trunks");
  EXPECT_EQ(json(list).at("items").at(0).at("status").at("state"), "failing");
}

TEST_F(ApiTest, PatchKeepsThePasswordUnlessOneIsSent) {
  const Login boss = log_in("boss");
  ASSERT_EQ(as(boss, Verb::post, "/api/v1/trunks", kProvider).result(), Status::created);
  const auto changed = as(boss, Verb::patch, "/api/v1/trunks/provider",
                          R"({"channels":4,"enabled":false,"transport":"tls"})");
  ASSERT_EQ(changed.result(), Status::ok) << changed.body();
  EXPECT_EQ(json(changed).at("channels"), 4);
  EXPECT_EQ(json(changed).at("status").at("state"), "disabled");
  EXPECT_EQ((*store_->find_trunk("provider").value()).password, "trunk-secret");
  ASSERT_EQ(
      as(boss, Verb::patch, "/api/v1/trunks/provider", R"({"password":"new-secret"})").result(),
      Status::ok);
  EXPECT_EQ((*store_->find_trunk("provider").value()).password, "new-secret");
  const auto rename = as(boss, Verb::patch, "/api/v1/trunks/provider", R"({"name":"other"})");
  EXPECT_EQ(json(rename).at("field"), "/name");
}

TEST_F(ApiTest, TrunkRefusalsNameTheMemberAtFault) {
  const Login boss = log_in("boss");
  const auto no_password = as(boss, Verb::post, "/api/v1/trunks",
                              R"({"name":"p","domain":"sip.example","username":"u"})");
  EXPECT_EQ(no_password.result(), Status::unprocessable_entity);
  EXPECT_EQ(json(no_password).at("field"), "/password");
  const auto header_injection =
      as(boss, Verb::post, "/api/v1/trunks",
         R"({"name":"p","domain":"sip.example","username":"u\r\nVia: x","password":"s"})");
  EXPECT_EQ(json(header_injection).at("field"), "/username");
  const auto bad_did = as(boss, Verb::post, "/api/v1/trunks",
                          R"({"name":"p","domain":"d","username":"u","password":"s",)"
                          R"("numbers":[{"did":"+49301"}]})");
  EXPECT_EQ(json(bad_did).at("field"), "/numbers/0/target");
  routing_.trunk_problem = RuleProblem{"numbers", "not a number of this plan"};
  const auto refused = as(boss, Verb::post, "/api/v1/trunks", kProvider);
  EXPECT_EQ(refused.result(), Status::unprocessable_entity);
  EXPECT_EQ(json(refused).at("field"), "/numbers");
  EXPECT_EQ(json(refused).at("detail"), "not a number of this plan");
  EXPECT_FALSE(store_->find_trunk("provider").value());
}

TEST_F(ApiTest, TrunksAreForAdministratorsAndTokensWithTrunkScopes) {
  const Login boss = log_in("boss");
  EXPECT_EQ(as(log_in("alice"), Verb::get, "/api/v1/trunks").result(), Status::forbidden);
  const auto reader = token_for(boss, R"(["trunks:read"])");
  EXPECT_EQ(with_token(reader, Verb::get, "/api/v1/trunks").result(), Status::ok);
  EXPECT_EQ(with_token(reader, Verb::post, "/api/v1/trunks", kProvider).result(),
            Status::forbidden);
  const auto directory = token_for(boss, R"(["directory:read","directory:write"])");
  EXPECT_EQ(with_token(directory, Verb::get, "/api/v1/routes").result(), Status::forbidden);
  const auto writer = token_for(boss, R"(["trunks:write"])");
  EXPECT_EQ(with_token(writer, Verb::post, "/api/v1/trunks", kProvider).result(), Status::created);
}

TEST_F(ApiTest, RoutesAreListedInOrderAndNewOnesGoLast) {
  const Login boss = log_in("boss");
  ASSERT_EQ(as(boss, Verb::post, "/api/v1/trunks", kProvider).result(), Status::created);
  const auto first = as(boss, Verb::post, "/api/v1/routes",
                        R"({"name":"national","pattern":"0Z.","trunks":["provider"]})");
  ASSERT_EQ(first.result(), Status::created) << first.body();
  ASSERT_EQ(as(boss, Verb::post, "/api/v1/routes",
               R"({"name":"local","pattern":"NXXXXX.","trunks":["provider"]})")
                .result(),
            Status::created);
  ASSERT_EQ(as(boss, Verb::post, "/api/v1/routes",
               R"({"name":"abroad","pattern":"00Z.","trunks":["provider"],"position":1,)"
               R"("e164":true})")
                .result(),
            Status::created);
  const auto list = json(as(boss, Verb::get, "/api/v1/routes")).at("items").as_array();
  ASSERT_EQ(list.size(), 3U);
  EXPECT_EQ(list.at(0).at("name"), "abroad");
  EXPECT_EQ(list.at(1).at("name"), "national");
  EXPECT_EQ(list.at(2).at("name"), "local");
  EXPECT_GT(list.at(2).at("position").as_int64(), list.at(1).at("position").as_int64());
  const auto moved = as(boss, Verb::patch, "/api/v1/routes/local", R"({"position":0})");
  ASSERT_EQ(moved.result(), Status::ok) << moved.body();
  EXPECT_EQ(json(as(boss, Verb::get, "/api/v1/routes")).at("items").at(0).at("name"), "local");
  EXPECT_EQ(as(boss, Verb::delete_, "/api/v1/routes/local").result(), Status::no_content);
  EXPECT_EQ(as(boss, Verb::get, "/api/v1/routes/local").result(), Status::not_found);
}

TEST_F(ApiTest, RouteThroughAnUnknownTrunkIsRefusedNamingTrunks) {
  const Login boss = log_in("boss");
  ASSERT_EQ(as(boss, Verb::post, "/api/v1/trunks", kProvider).result(), Status::created);
  const auto unknown = as(boss, Verb::post, "/api/v1/routes",
                          R"({"name":"r","pattern":"0Z.","trunks":["provider","nowhere"]})");
  EXPECT_EQ(unknown.result(), Status::unprocessable_entity);
  EXPECT_EQ(json(unknown).at("field"), "/trunks/1");
  const auto none = as(boss, Verb::post, "/api/v1/routes", R"({"name":"r","pattern":"0Z."})");
  EXPECT_EQ(json(none).at("field"), "/trunks");
  routing_.route_problem = RuleProblem{"pattern", "unexpected 'Q'"};
  const auto bad = as(boss, Verb::post, "/api/v1/routes",
                      R"({"name":"r","pattern":"0Q","trunks":["provider"]})");
  EXPECT_EQ(bad.result(), Status::unprocessable_entity);
  EXPECT_EQ(json(bad).at("field"), "/pattern");
}

TEST_F(ApiTest, TrunkARouteUsesIsNotRemoved) {
  const Login boss = log_in("boss");
  ASSERT_EQ(as(boss, Verb::post, "/api/v1/trunks", kProvider).result(), Status::created);
  ASSERT_EQ(as(boss, Verb::post, "/api/v1/routes",
               R"({"name":"national","pattern":"0Z.","trunks":["provider"]})")
                .result(),
            Status::created);
  EXPECT_EQ(as(boss, Verb::delete_, "/api/v1/trunks/provider").result(), Status::conflict);
  ASSERT_EQ(as(boss, Verb::delete_, "/api/v1/routes/national").result(), Status::no_content);
  EXPECT_EQ(as(boss, Verb::delete_, "/api/v1/trunks/provider").result(), Status::no_content);
  EXPECT_FALSE(store_->find_trunk("provider").value());
}

TEST_F(ApiTest, OnlyAdministratorsSetCallClasses) {
  const Login boss = log_in("boss");
  const Login alice = log_in("alice");
  EXPECT_EQ(json(as(alice, Verb::get, "/api/v1/users/alice")).at("call_class"), "national");
  const auto raised =
      as(alice, Verb::patch, "/api/v1/users/alice", R"({"call_class":"international"})");
  EXPECT_EQ(raised.result(), Status::forbidden);
  EXPECT_EQ(json(raised).at("field"), "/call_class");
  const auto set = as(boss, Verb::patch, "/api/v1/users/alice", R"({"call_class":"internal"})");
  ASSERT_EQ(set.result(), Status::ok) << set.body();
  EXPECT_EQ(json(set).at("call_class"), "internal");
  EXPECT_EQ((*store_->find_user("alice").value()).call_class, "internal");
  const auto bad = as(boss, Verb::patch, "/api/v1/users/alice", R"({"call_class":"galactic"})");
  EXPECT_EQ(bad.result(), Status::unprocessable_entity);
  const auto created =
      as(boss, Verb::post, "/api/v1/users", R"({"name":"carol","call_class":"local"})");
  ASSERT_EQ(created.result(), Status::created) << created.body();
  EXPECT_EQ(json(created).at("call_class"), "local");
}

} // namespace
} // namespace starling::api
