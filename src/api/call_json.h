// Calls as the API shows them: the legs the store keeps, grouped into one object per call.
#pragma once

#include <span>
#include <vector>

#include <boost/json/object.hpp>

#include "store/records.h"

namespace starling::api {

// One call's legs: the caller's (a) first, then b1, b2 … b10.
using CallLegs = std::vector<store::CallLeg>;

// Groups legs by call, the newest call (by its first leg's start) first.
std::vector<CallLegs> group_by_call(std::vector<store::CallLeg> legs);

// The caller's leg, which holds the call's own times and cause; else the first.
const store::CallLeg& caller_leg(const CallLegs& call);
// The device that answered, from the callee leg that was answered; empty if none was.
std::string_view answering_device(const CallLegs& call);
// Seconds from answer to end; 0 when never answered or not ended.
store::UnixTime talk_seconds(const store::CallLeg& leg);

// {"id","caller","callee","state","started_at","answered_at","legs":[...]}.
boost::json::object active_call_json(const CallLegs& call);
// {"id","caller","callee","answered_by","started_at","answered_at","ended_at","duration",
//  "hangup_cause","hangup_side","legs":[...]}.
boost::json::object call_record_json(const CallLegs& call);

} // namespace starling::api
