// The STUN and TURN services of XEP-0215 and their TURN REST credentials.
#include "xmpp/im/external_services.h"

#include <array>
#include <span>
#include <utility>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/base64.h"
#include "xmpp/date_time.h"
#include "xmpp/im/stanza_error.h"

namespace starling::xmpp::im {

namespace {

using enum StanzaErrorCondition;

// Each server is offered over UDP and TCP: coturn and most STUN servers listen on both, and
// TCP gets through firewalls that drop UDP.
constexpr std::array<std::string_view, 2> kTransports = {"udp", "tcp"};

xml::Element service(std::string_view type, const ExternalServer& server,
                     std::string_view transport) {
  xml::Element out(kExternalServicesNamespace, "service");
  out.set_attribute("type", type)
      .set_attribute("host", server.host)
      .set_attribute("port", std::to_string(server.port))
      .set_attribute("transport", transport);
  return out;
}

} // namespace

TurnCredentials turn_credentials(std::string_view secret, std::string_view user,
                                 std::chrono::system_clock::time_point expires) {
  TurnCredentials out;
  out.username = std::to_string(core::unix_seconds(expires)) + ":" + std::string(user);
  std::array<std::uint8_t, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(out.username.data()), out.username.size(),
       digest.data(), &size);
  out.password = core::encode_base64(std::span(digest.data(), size));
  return out;
}

void ExternalServices::announce(ServerIq& server_iq) const {
  if (!settings_.empty()) {
    server_iq.add_feature(ServerIq::FeatureOf::server, std::string(kExternalServicesNamespace));
  }
}

std::vector<xml::Element> ExternalServices::services(std::string_view type,
                                                     std::string_view user) const {
  std::vector<xml::Element> out;
  if (type.empty() || type == "stun") {
    for (const auto& server : settings_.stun) {
      for (auto transport : kTransports) {
        out.push_back(service("stun", server, transport));
      }
    }
  }
  if (type.empty() || type == "turn") {
    const auto expires = clock_.system_now() + settings_.turn_credential_lifetime;
    const auto credentials = turn_credentials(settings_.turn_secret, user, expires);
    for (const auto& server : settings_.turn) {
      for (auto transport : kTransports) {
        // §3: 'restricted' says credentials are needed; they come along, so no second
        // request is.
        out.push_back(service("turn", server, transport)
                          .set_attribute("username", credentials.username)
                          .set_attribute("password", credentials.password)
                          .set_attribute("expires", to_date_time(expires))
                          .set_attribute("restricted", "1"));
      }
    }
  }
  return out;
}

bool ExternalServices::on_request(Resource& sender, const std::optional<Jid>& to,
                                  const xml::Element& iq) {
  const auto& request = *iq.elements().begin();
  if (request.ns() != kExternalServicesNamespace || to || own_address(iq) == OwnAddress::account) {
    return false;
  }
  const auto user = sender.jid.local();
  const bool services = request.name() == "services";
  if (iq.attribute("type") != "get" || (!services && request.name() != "credentials")) {
    // §3.2's pushes go from the server to clients, never the other way.
    sender.session->deliver(make_error_reply(iq, bad_request));
  } else if (settings_.empty()) {
    sender.session->deliver(make_error_reply(iq, service_unavailable)); // §3
  } else if (services) {
    sender.session->deliver(services_result(iq, request, user));
  } else {
    sender.session->deliver(credentials_result(iq, request, user));
  }
  return true;
}

xml::Element ExternalServices::services_result(const xml::Element& iq, const xml::Element& request,
                                               std::string_view user) const {
  auto result = make_result(iq);
  auto& out = result.append(xml::Element(kExternalServicesNamespace, "services"));
  const auto type = request.attribute("type").value_or("");
  if (!type.empty()) {
    out.set_attribute("type", type); // §3.2
  }
  for (auto& service : services(type, user)) {
    out.append(std::move(service));
  }
  return result;
}

xml::Element ExternalServices::credentials_result(const xml::Element& iq,
                                                  const xml::Element& request,
                                                  std::string_view user) const {
  // §3.3: the <service/> names the host and type, and the port when that is ambiguous.
  const auto* wanted = request.child(kExternalServicesNamespace, "service");
  if (wanted == nullptr || !wanted->attribute("host") || !wanted->attribute("type")) {
    return make_error_reply(iq, bad_request);
  }
  auto result = make_result(iq);
  auto& out = result.append(xml::Element(kExternalServicesNamespace, "credentials"));
  for (auto& service : services(*wanted->attribute("type"), user)) {
    const auto port = wanted->attribute("port");
    if (service.attribute("host") == wanted->attribute("host") &&
        (!port || service.attribute("port") == port) && service.attribute("username")) {
      out.append(std::move(service));
    }
  }
  if (out.elements().empty()) {
    return make_error_reply(iq, item_not_found); // §3.3: no credentials for that service
  }
  return result;
}

} // namespace starling::xmpp::im
