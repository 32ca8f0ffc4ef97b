// /system: what is running (version, uptime), on which ports, with which certificates, and
// whether it is healthy; /system/metrics for Prometheus.
#include <chrono>
#include <filesystem>
#include <memory>
#include <set>

#include <boost/json/array.hpp>
#include <fmt/format.h>

#include "api/data_resources.h"
#include "api/directory_json.h"
#include "api/json_body.h"
#include "core/clock.h"
#include "net/certificate_info.h"
#include "net/port_plan.h"
#include "net/self_signed_certificate.h"

namespace starling::api {

namespace {

constexpr std::int64_t kSecondsPerDay = std::int64_t{24} * 60 * 60;

// Which PEM file the TLS ports serve: the configured chain, else the self-signed certificate
// that `starling serve` keeps in <data_dir>/tls (net::make_tls_server_context).
std::filesystem::path served_certificate(const core::Config& config) {
  if (!config.tls.certificate.empty()) {
    return config.tls.certificate;
  }
  return config.data_dir / "tls" / net::kSelfSignedCertificateName;
}

class SystemResource {
public:
  explicit SystemResource(ApiServices& services)
      : services_(services), started_at_(core::unix_seconds(services.clock.system_now())),
        started_(services.clock.now()) {}

  http::Response about(const ApiCall& call) {
    const auto uptime =
        std::chrono::duration_cast<std::chrono::seconds>(services_.clock.now() - started_);
    return json_response(call.request, http::Status::ok,
                         boost::json::object{{"version", STARLING_VERSION},
                                             {"started_at", rfc3339(started_at_)},
                                             {"uptime_seconds", uptime.count()}});
  }

  // The providers of the enabled trunks, which Starling connects to; none when the store
  // cannot say (the rest of the plan is still worth showing).
  std::vector<net::TrunkProvider> trunk_providers() const {
    std::vector<net::TrunkProvider> providers;
    for (const auto& trunk : services_.store.list_trunks().value_or(std::vector<store::Trunk>{})) {
      if (trunk.enabled) {
        providers.push_back({trunk.name,
                             trunk.outbound_proxy.empty() ? trunk.domain : trunk.outbound_proxy,
                             trunk.transport});
      }
    }
    return providers;
  }

  http::Response ports(const ApiCall& call) {
    boost::json::array items;
    for (const auto& entry : net::port_plan(services_.config, trunk_providers())) {
      items.push_back(boost::json::object{
          {"service", entry.service},
          {"protocol", entry.protocol},
          {"direction", entry.direction == net::Direction::inbound ? "inbound" : "outbound"},
          {"address", entry.address},
          {"first_port", entry.first_port},
          {"last_port", entry.last_port},
          {"purpose", entry.purpose},
          {"tls", entry.tls == "-" ? boost::json::value(nullptr) : boost::json::value(entry.tls)}});
    }
    return json_response(call.request, http::Status::ok, items);
  }

  // One entry per service with a TLS port; they all serve the same certificate.
  http::Response certificates(const ApiCall& call) {
    const auto path = served_certificate(services_.config);
    const auto info = net::read_certificate_info(path);
    const auto now = core::unix_seconds(services_.clock.system_now());
    std::set<std::string> services;
    for (const auto& entry : net::port_plan(services_.config)) {
      if (entry.direction == net::Direction::inbound && entry.tls != "-") {
        services.insert(entry.service);
      }
    }
    boost::json::array items;
    for (const auto& service : services) {
      boost::json::object item{{"service", service}, {"file", path.string()}};
      if (info) {
        // Whole days, rounded down: a certificate that expires tonight has 0 left, one that
        // expired an hour ago -1.
        const auto left = info->not_after - now;
        item["subject"] = info->subject;
        item["issuer"] = info->issuer;
        item["not_after"] = rfc3339(info->not_after);
        item["days_left"] = left / kSecondsPerDay - (left % kSecondsPerDay < 0 ? 1 : 0);
        item["self_signed"] = info->self_signed;
      } else {
        item["error"] = info.error().message;
      }
      items.push_back(std::move(item));
    }
    return json_response(call.request, http::Status::ok, items);
  }

  // For load balancers and monitoring: no login, and nothing in the answer an outsider could
  // use. The database is what every request needs, so it is what is checked.
  http::Response health(const ApiCall& call) {
    if (!services_.store.revision()) {
      return json_response(call.request, http::Status::service_unavailable,
                           boost::json::object{{"status", "unavailable"}});
    }
    auto response =
        json_response(call.request, http::Status::ok, boost::json::object{{"status", "ok"}});
    response.set(http::Field::cache_control, "no-store");
    return response;
  }

  [[nodiscard]] http::Response metrics(const ApiCall& call) const {
    http::Response response{http::Status::ok, call.request.version()};
    response.set(http::Field::content_type, "text/plain; version=0.0.4; charset=utf-8");
    response.set(http::Field::cache_control, "no-store");
    response.keep_alive(call.request.keep_alive());
    response.body() = services_.metrics.render();
    response.prepare_payload();
    return response;
  }

private:
  ApiServices& services_;
  store::UnixTime started_at_;
  core::Clock::TimePoint started_;
};

} // namespace

void add_system_routes(Router& router, ApiServices& services) {
  auto resource = std::make_shared<SystemResource>(services);
  const auto to = handlers_of(resource);
  router.add({http::Verb::get, "/system", Audience::users, Scope::system_read,
              to(&SystemResource::about)});
  router.add({http::Verb::get, "/system/ports", Audience::admins, Scope::system_read,
              to(&SystemResource::ports)});
  router.add({http::Verb::get, "/system/certificates", Audience::admins, Scope::system_read,
              to(&SystemResource::certificates)});
  router.add({http::Verb::get, "/system/health", Audience::everyone, Scope::system_read,
              to(&SystemResource::health)});
  router.add({http::Verb::get, "/system/metrics", Audience::admins, Scope::system_read,
              to(&SystemResource::metrics)});
}

} // namespace starling::api
