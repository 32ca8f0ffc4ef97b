// /calls: the calls in progress, and hanging one up. Administrators see every call; a user
// sees the calls in which they, one of their devices or one of their numbers takes part.
#include <limits>
#include <memory>

#include <boost/json/array.hpp>
#include <fmt/format.h>

#include "api/call_json.h"
#include "api/call_parties.h"
#include "api/data_resources.h"
#include "api/directory_json.h"
#include "api/json_body.h"
#include "api/problem.h"

namespace starling::api {

namespace {

class CallResource {
public:
  explicit CallResource(ApiServices& services) : services_(services) {}

  http::Response list(const ApiCall& call) {
    auto page = page_of(call);
    if (!page) {
      return std::move(page.error());
    }
    store::CallLegQuery query;
    query.active_only = true;
    query.limit = std::numeric_limits<std::size_t>::max();
    auto parties = call_parties_of(services_.store, *call.caller);
    if (!parties) {
      return store_problem(call.request, parties.error());
    }
    query.parties = std::move(*parties);
    auto legs = services_.store.list_call_legs(query);
    if (!legs) {
      return store_problem(call.request, legs.error());
    }
    boost::json::array items;
    for (const auto& active : group_by_call(std::move(*legs))) {
      items.push_back(active_call_json(active));
    }
    return json_response(call.request, http::Status::ok, paged(std::move(items), *page));
  }

  http::Response hang_up(const ApiCall& call) {
    const auto id = call.path_param("id");
    if (!services_.calls.hang_up(id)) {
      return problem(call.request, http::Status::not_found,
                     fmt::format("no call '{}' is in progress", id));
    }
    return no_content(call.request);
  }

private:
  ApiServices& services_;
};

} // namespace

void add_call_routes(Router& router, ApiServices& services) {
  auto resource = std::make_shared<CallResource>(services);
  router.add({http::Verb::get, "/calls", Audience::users, Scope::calls_read,
              [resource](const ApiCall& call) { return resource->list(call); }});
  router.add({http::Verb::delete_, "/calls/{id}", Audience::admins, Scope::calls_write,
              [resource](const ApiCall& call) { return resource->hang_up(call); }});
}

} // namespace starling::api
