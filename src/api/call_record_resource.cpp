// /call-records: calls as the PBX recorded them, searchable by number and time, as JSON pages
// or as one CSV file. A user finds only the calls they took part in (see call_parties.h).
#include <limits>
#include <memory>
#include <string>

#include <boost/json/array.hpp>
#include <fmt/format.h>

#include "api/attachment.h"
#include "api/call_json.h"
#include "api/call_parties.h"
#include "api/csv.h"
#include "api/data_resources.h"
#include "api/directory_json.h"
#include "api/json_body.h"
#include "api/problem.h"
#include "api/time_parameter.h"

namespace starling::api {

namespace {

// A search term longer than any number or name is a mistake, not a search.
constexpr std::size_t kMaxNumberLength = 128;

std::optional<std::string> query_value(const ApiCall& call, std::string_view name) {
  const auto found = call.query.find(name);
  if (found == call.query.end()) {
    return std::nullopt;
  }
  return std::string((*found).value);
}

std::string time_text(store::UnixTime time) {
  const auto json = rfc3339(time);
  return json.is_string() ? std::string(json.as_string()) : std::string();
}

std::string csv_of(const std::vector<CallLegs>& calls) {
  std::string out =
      csv_record({"id", "caller", "callee", "answered_by", "started_at", "answered_at", "ended_at",
                  "duration", "hangup_cause", "hangup_side"});
  for (const auto& call : calls) {
    const auto& a = caller_leg(call);
    out += csv_record({a.call_id, a.caller, a.callee, answering_device(call),
                       time_text(a.started_at), time_text(a.answered_at), time_text(a.ended_at),
                       std::to_string(talk_seconds(a)), a.hangup_cause, a.hangup_side});
  }
  return out;
}

class CallRecordResource {
public:
  explicit CallRecordResource(ApiServices& services) : services_(services) {}

  http::Response list(const ApiCall& call) {
    const auto format = query_value(call, "format").value_or("json");
    if (format != "json" && format != "csv") {
      return problem(call.request, http::Status::bad_request, "format must be json or csv",
                     "format");
    }
    auto query = search(call);
    if (!query) {
      return std::move(query.error());
    }
    // Pagination is checked first, so a bad limit is not answered with a whole export.
    auto page = page_of(call);
    if (!page) {
      return std::move(page.error());
    }
    auto legs = services_.store.list_call_legs(*query);
    if (!legs) {
      return store_problem(call.request, legs.error());
    }
    const auto calls = group_by_call(std::move(*legs));
    if (format == "csv") {
      // RFC 4180 §3: the header parameter says the first record names the columns.
      return attachment(call.request, "text/csv; charset=utf-8; header=present", csv_of(calls),
                        "call-records.csv");
    }
    boost::json::array items;
    for (const auto& record : calls) {
      items.push_back(call_record_json(record));
    }
    return json_response(call.request, http::Status::ok, paged(std::move(items), *page));
  }

private:
  std::expected<store::CallLegQuery, http::Response> search(const ApiCall& call) {
    store::CallLegQuery query;
    query.limit = std::numeric_limits<std::size_t>::max();
    query.number = query_value(call, "number").value_or("");
    if (query.number.size() > kMaxNumberLength) {
      return std::unexpected(
          problem(call.request, http::Status::bad_request,
                  fmt::format("number is longer than {} characters", kMaxNumberLength), "number"));
    }
    for (auto [name, bound] : {std::pair{"since", &query.since}, {"until", &query.until}}) {
      if (const auto text = query_value(call, name)) {
        auto time = parse_time(*text);
        if (!time) {
          return std::unexpected(problem(call.request, http::Status::bad_request,
                                         fmt::format("{}: {}", name, time.error()), name));
        }
        *bound = *time;
      }
    }
    auto parties = call_parties_of(services_.store, *call.caller);
    if (!parties) {
      return std::unexpected(store_problem(call.request, parties.error()));
    }
    query.parties = std::move(*parties);
    return query;
  }

  ApiServices& services_;
};

} // namespace

void add_call_record_routes(Router& router, ApiServices& services) {
  auto resource = std::make_shared<CallRecordResource>(services);
  router.add({http::Verb::get, "/call-records", Audience::users, Scope::calls_read,
              [resource](const ApiCall& call) { return resource->list(call); }});
}

} // namespace starling::api
