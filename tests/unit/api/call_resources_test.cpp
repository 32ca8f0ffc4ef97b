// /registrations, /calls and /call-records over a real store: what each user may see.
#include <boost/json/array.hpp>

#include "api_fixture.h"

namespace starling::api {
namespace {

constexpr store::UnixTime kNow = 1'767'225'600; // the fixture's ManualClock: 2026-01-01

class CallResourcesTest : public ApiTest {
protected:
  void SetUp() override {
    ApiTest::SetUp();
    for (const auto& [user, device] :
         {std::pair{"alice", "alice"}, {"alice", "alice-mobile"}, {"bob", "bob"}}) {
      ASSERT_TRUE(directory_->add_device({user, device, "device-password", ""}));
    }
    ASSERT_TRUE(directory_->add_extension("201", "alice", std::nullopt));
    ASSERT_TRUE(directory_->add_extension("202", "bob", std::nullopt));
  }

  void register_device(const std::string& aor, store::UnixTime expires_at) {
    store::Binding binding;
    binding.aor = aor;
    binding.contact = "sip:" + aor + "@192.0.2.7:5062";
    binding.call_id = "reg-" + aor;
    binding.expires_at = expires_at;
    binding.transport = "udp";
    binding.source_address = "192.0.2.7";
    binding.source_port = 5062;
    binding.user_agent = "phone 1.0";
    const store::AorBindings change{aor, {binding}};
    ASSERT_TRUE(store_->replace_bindings(std::span(&change, 1), store::Durability::power_loss));
  }

  // A call from `caller` (a device) to `callee` (as dialled) that `device` answered.
  void record_call(const std::string& id, const std::string& caller, const std::string& callee,
                   const std::string& device, store::UnixTime started_at, bool ended,
                   const std::string& cause = "normal") {
    store::CallLeg a{id, "a",         caller, callee, caller, started_at, started_at + 2,
                     0,  "connected", "",     ""};
    store::CallLeg b{id, "b1",        caller, callee, device, started_at, started_at + 2,
                     0,  "connected", "",     ""};
    if (ended) {
      for (auto* leg : {&a, &b}) {
        leg->ended_at = started_at + 62;
        leg->state = "ended";
        leg->hangup_cause = cause;
        leg->hangup_side = "caller";
      }
    }
    const std::vector<store::CallLeg> legs = {a, b};
    ASSERT_TRUE(store_->save_call_legs(legs));
  }

  std::vector<std::string> ids(const http::Response& response, std::string_view key = "id") {
    EXPECT_EQ(response.result(), http::Status::ok) << response.body();
    std::vector<std::string> found;
    const auto body = json(response);
    for (const auto& item : body.at("items").as_array()) {
      found.emplace_back(item.at(key).as_string());
    }
    return found;
  }
};

using Strings = std::vector<std::string>;

TEST_F(CallResourcesTest, AUserSeesTheRegistrationsOfTheirOwnDevicesOnly) {
  register_device("alice-mobile", kNow + 600);
  register_device("bob", kNow + 600);
  EXPECT_EQ(ids(as(log_in("alice"), http::Verb::get, "/api/v1/registrations"), "aor"),
            Strings{"alice-mobile"});
  EXPECT_EQ(ids(as(log_in("bob"), http::Verb::get, "/api/v1/registrations"), "aor"),
            Strings{"bob"});
  EXPECT_EQ(ids(as(log_in("boss"), http::Verb::get, "/api/v1/registrations"), "aor"),
            (Strings{"alice-mobile", "bob"}));
}

TEST_F(CallResourcesTest, ARegistrationSaysWhoseDeviceItIsAndWhenItExpires) {
  register_device("alice", kNow + 600);
  register_device("bob", kNow - 1); // expired, not yet removed by the registrar
  const auto response = as(log_in("boss"), http::Verb::get, "/api/v1/registrations");
  const auto items = json(response).at("items").as_array();
  ASSERT_EQ(items.size(), 1U);
  const auto& item = items[0].as_object();
  EXPECT_EQ(item.at("device"), "alice");
  EXPECT_EQ(item.at("user"), "alice");
  EXPECT_EQ(item.at("contact"), "sip:alice@192.0.2.7:5062");
  EXPECT_EQ(item.at("transport"), "udp");
  EXPECT_EQ(item.at("source"), "192.0.2.7:5062");
  EXPECT_EQ(item.at("expires_at"), "2026-01-01T00:10:00Z");
  EXPECT_EQ(item.at("user_agent"), "phone 1.0");
}

TEST_F(CallResourcesTest, AUserSeesTheActiveCallsTheyTakePartIn) {
  record_call("c1", "alice-mobile", "202", "bob", kNow - 30, false);
  record_call("c2", "bob", "somebody", "carol", kNow - 20, false);
  record_call("c3", "bob", "201", "alice", kNow - 100, true);
  EXPECT_EQ(ids(as(log_in("alice"), http::Verb::get, "/api/v1/calls")), Strings{"c1"});
  EXPECT_EQ(ids(as(log_in("bob"), http::Verb::get, "/api/v1/calls")), (Strings{"c2", "c1"}));
  const auto all = as(log_in("boss"), http::Verb::get, "/api/v1/calls");
  const auto first = json(all).at("items").at(0).as_object();
  EXPECT_EQ(first.at("caller"), "bob");
  EXPECT_EQ(first.at("state"), "connected");
  EXPECT_EQ(first.at("legs").as_array().size(), 2U);
  EXPECT_EQ(first.at("legs").at(0).at("leg"), "a");
}

TEST_F(CallResourcesTest, OnlyAnAdministratorMayHangUpAndAnUnknownCallIsNotFound) {
  record_call("c1", "alice", "202", "bob", kNow - 30, false);
  EXPECT_EQ(as(log_in("alice"), http::Verb::delete_, "/api/v1/calls/c1").result(),
            http::Status::forbidden);
  // The fixture's call control knows no call at all.
  EXPECT_EQ(as(log_in("boss"), http::Verb::delete_, "/api/v1/calls/c1").result(),
            http::Status::not_found);
}

TEST_F(CallResourcesTest, CallRecordsAreSearchedByNumberAndTimeAndLimitedToTheUsersOwn) {
  record_call("c1", "alice", "202", "bob", kNow - 3000, true);
  record_call("c2", "bob", "0441234567", "trunk", kNow - 2000, true);
  record_call("c3", "alice-mobile", "bob", "bob", kNow - 1000, true);
  const auto boss = log_in("boss");
  EXPECT_EQ(ids(as(boss, http::Verb::get, "/api/v1/call-records")), (Strings{"c3", "c2", "c1"}));
  EXPECT_EQ(ids(as(boss, http::Verb::get, "/api/v1/call-records?number=4412")), Strings{"c2"});
  EXPECT_EQ(ids(as(boss, http::Verb::get,
                   "/api/v1/call-records?since=2025-12-31T23:20:00Z&until=" +
                       std::to_string(kNow - 1000))),
            Strings{"c2"});
  EXPECT_EQ(ids(as(log_in("alice"), http::Verb::get, "/api/v1/call-records")),
            (Strings{"c3", "c1"}));
  EXPECT_EQ(ids(as(log_in("alice"), http::Verb::get, "/api/v1/call-records?number=0441")),
            Strings{});
}

TEST_F(CallResourcesTest, ACallRecordHasItsTimesDurationAndCause) {
  record_call("c1", "alice", "202", "bob", kNow - 100, true);
  const auto response = as(log_in("alice"), http::Verb::get, "/api/v1/call-records");
  const auto record = json(response).at("items").at(0).as_object();
  EXPECT_EQ(record.at("caller"), "alice");
  EXPECT_EQ(record.at("callee"), "202");
  EXPECT_EQ(record.at("answered_by"), "bob");
  EXPECT_EQ(record.at("started_at"), "2025-12-31T23:58:20Z");
  EXPECT_EQ(record.at("duration"), 60);
  EXPECT_EQ(record.at("hangup_cause"), "normal");
  EXPECT_EQ(json(response).at("total"), 1);
}

TEST_F(CallResourcesTest, CallRecordsExportAsCsvWithAHeaderAndSafeCells) {
  record_call("c1", "alice", "=cmd|' /C calc'!A0", "bob", kNow - 100, true);
  const auto response = as(log_in("boss"), http::Verb::get, "/api/v1/call-records?format=csv");
  ASSERT_EQ(response.result(), http::Status::ok);
  EXPECT_TRUE(response[http::Field::content_type].starts_with("text/csv"));
  EXPECT_EQ(response[http::Field::content_disposition],
            "attachment; filename=\"call-records.csv\"");
  EXPECT_EQ(response.body(),
            "id,caller,callee,answered_by,started_at,answered_at,ended_at,duration,hangup_cause,"
            "hangup_side\r\n"
            "c1,alice,'=cmd|' /C calc'!A0,bob,2025-12-31T23:58:20Z,2025-12-31T23:58:22Z,"
            "2025-12-31T23:59:22Z,60,normal,caller\r\n");
}

TEST_F(CallResourcesTest, ABadSearchIsABadRequestNamingTheParameter) {
  const auto boss = log_in("boss");
  for (const auto* query :
       {"since=yesterday", "until=2026-13-01T00:00:00Z", "format=xml", "limit=0"}) {
    const auto response = as(boss, http::Verb::get, std::string("/api/v1/call-records?") + query);
    EXPECT_EQ(response.result(), http::Status::bad_request) << query;
    const std::string_view parameter(query);
    EXPECT_EQ(json(response).at("field").as_string(), parameter.substr(0, parameter.find('=')));
  }
}

TEST_F(CallResourcesTest, ATokenWithoutCallsReadCannotReadCalls) {
  const auto token = token_for(log_in("alice"), R"(["contacts:read"])");
  EXPECT_EQ(with_token(token, http::Verb::get, "/api/v1/call-records").result(),
            http::Status::forbidden);
  EXPECT_EQ(with_token(token, http::Verb::get, "/api/v1/calls").result(), http::Status::forbidden);
}

} // namespace
} // namespace starling::api
