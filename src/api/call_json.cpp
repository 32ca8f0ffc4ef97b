// Calls as the API shows them: the legs the store keeps, grouped into one object per call.
#include "api/call_json.h"

#include <algorithm>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include <boost/json/array.hpp>

#include "api/directory_json.h"

namespace starling::api {

namespace {

boost::json::value text_or_null(const std::string& text) {
  return text.empty() ? boost::json::value(nullptr) : boost::json::value(text);
}

boost::json::array legs_json(const CallLegs& call) {
  boost::json::array legs;
  for (const auto& leg : call) {
    legs.push_back(boost::json::object{{"leg", leg.leg},
                                       {"device", text_or_null(leg.device)},
                                       {"state", leg.state},
                                       {"started_at", rfc3339(leg.started_at)},
                                       {"answered_at", rfc3339(leg.answered_at)},
                                       {"ended_at", rfc3339(leg.ended_at)},
                                       {"hangup_cause", text_or_null(leg.hangup_cause)},
                                       {"hangup_side", text_or_null(leg.hangup_side)}});
  }
  return legs;
}

// "a" before "b1", and "b2" before "b10".
bool leg_order(const store::CallLeg& left, const store::CallLeg& right) {
  return std::tuple(left.leg.size(), std::string_view(left.leg)) <
         std::tuple(right.leg.size(), std::string_view(right.leg));
}

} // namespace

std::vector<CallLegs> group_by_call(std::vector<store::CallLeg> legs) {
  std::vector<CallLegs> calls;
  std::unordered_map<std::string, std::size_t> index;
  for (auto& leg : legs) {
    const auto [found, added] = index.try_emplace(leg.call_id, calls.size());
    if (added) {
      calls.emplace_back();
    }
    calls[found->second].push_back(std::move(leg));
  }
  for (auto& call : calls) {
    std::ranges::sort(call, leg_order);
  }
  std::ranges::stable_sort(calls, [](const CallLegs& left, const CallLegs& right) {
    return std::tuple(caller_leg(left).started_at, std::string_view(left.front().call_id)) >
           std::tuple(caller_leg(right).started_at, std::string_view(right.front().call_id));
  });
  return calls;
}

const store::CallLeg& caller_leg(const CallLegs& call) {
  const auto found = std::ranges::find(call, std::string_view("a"), &store::CallLeg::leg);
  return found != call.end() ? *found : call.front();
}

std::string_view answering_device(const CallLegs& call) {
  for (const auto& leg : call) {
    if (leg.leg != "a" && leg.answered_at != 0) {
      return leg.device;
    }
  }
  return {};
}

store::UnixTime talk_seconds(const store::CallLeg& leg) {
  if (leg.answered_at == 0 || leg.ended_at == 0) {
    return 0;
  }
  return std::max<store::UnixTime>(leg.ended_at - leg.answered_at, 0);
}

boost::json::object active_call_json(const CallLegs& call) {
  const auto& a = caller_leg(call);
  return {{"id", a.call_id},
          {"caller", a.caller},
          {"callee", a.callee},
          {"state", a.state},
          {"started_at", rfc3339(a.started_at)},
          {"answered_at", rfc3339(a.answered_at)},
          {"legs", legs_json(call)}};
}

boost::json::object call_record_json(const CallLegs& call) {
  const auto& a = caller_leg(call);
  const auto device = answering_device(call);
  return {
      {"id", a.call_id},
      {"caller", a.caller},
      {"callee", a.callee},
      {"answered_by", device.empty() ? boost::json::value(nullptr) : boost::json::value(device)},
      {"started_at", rfc3339(a.started_at)},
      {"answered_at", rfc3339(a.answered_at)},
      {"ended_at", rfc3339(a.ended_at)},
      {"duration", talk_seconds(a)},
      {"hangup_cause", text_or_null(a.hangup_cause)},
      {"hangup_side", text_or_null(a.hangup_side)},
      {"legs", legs_json(call)}};
}

} // namespace starling::api
