// /registrations: the contacts phones have registered. Administrators see all; a user sees
// those of their own devices (a device's AOR is its auth name, as the registrar makes it).
#include <memory>
#include <unordered_map>

#include <boost/json/array.hpp>
#include <fmt/format.h>

#include "api/data_resources.h"
#include "api/directory_json.h"
#include "api/json_body.h"
#include "core/clock.h"

namespace starling::api {

namespace {

// "192.0.2.1:5060", "[2001:db8::1]:5060".
std::string host_port(const std::string& address, std::uint16_t port) {
  return address.find(':') == std::string::npos ? fmt::format("{}:{}", address, port)
                                                : fmt::format("[{}]:{}", address, port);
}

class RegistrationResource {
public:
  explicit RegistrationResource(ApiServices& services) : services_(services) {}

  http::Response list(const ApiCall& call) {
    auto page = page_of(call);
    if (!page) {
      return std::move(page.error());
    }
    auto bindings = services_.store.list_bindings();
    if (!bindings) {
      return store_problem(call.request, bindings.error());
    }
    auto devices = services_.store.list_devices();
    if (!devices) {
      return store_problem(call.request, devices.error());
    }
    std::unordered_map<std::string, const store::Device*> by_name;
    for (const auto& device : *devices) {
      by_name.emplace(device.auth_name, &device);
    }
    // The registrar removes expired bindings a moment late; they are gone already.
    const auto now = core::unix_seconds(services_.clock.system_now());
    boost::json::array items;
    for (const auto& binding : *bindings) {
      const auto found = by_name.find(binding.aor);
      const store::Device* device = found == by_name.end() ? nullptr : found->second;
      const bool visible =
          call.caller->is_admin() || (device != nullptr && device->user_id == call.caller->user_id);
      if (!visible || binding.expires_at <= now) {
        continue;
      }
      items.push_back(
          boost::json::object{{"aor", binding.aor},
                              {"device", binding.aor},
                              {"user", device == nullptr ? boost::json::value(nullptr)
                                                         : boost::json::value(device->user_name)},
                              {"contact", binding.contact},
                              {"transport", binding.transport},
                              {"source", host_port(binding.source_address, binding.source_port)},
                              {"expires_at", rfc3339(binding.expires_at)},
                              {"user_agent", binding.user_agent}});
    }
    return json_response(call.request, http::Status::ok, paged(std::move(items), *page));
  }

private:
  ApiServices& services_;
};

} // namespace

void add_registration_routes(Router& router, ApiServices& services) {
  auto resource = std::make_shared<RegistrationResource>(services);
  router.add({http::Verb::get, "/registrations", Audience::users, Scope::directory_read,
              [resource](const ApiCall& call) { return resource->list(call); }});
}

} // namespace starling::api
