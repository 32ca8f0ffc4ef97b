// External service discovery (XEP-0215, urn:xmpp:extdisco:2): the STUN servers and TURN
// relays clients use for calls (Jingle, WebRTC), with short-lived TURN credentials in the
// form coturn's use-auth-secret checks (the "TURN REST API" of
// draft-uberti-behave-turn-rest-00).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "xmpp/im/iq_handler.h"
#include "xmpp/im/server_iq.h"
#include "xmpp/jid.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::im {

inline constexpr std::string_view kExternalServicesNamespace = "urn:xmpp:extdisco:2";

struct ExternalServer {
  std::string host;          // a name or an IP address
  std::uint16_t port = 3478; // RFC 8489 §9, RFC 8656 §17: STUN's and TURN's port
};

struct ExternalServicesSettings {
  std::vector<ExternalServer> stun;
  std::vector<ExternalServer> turn;
  // Shared with the TURN server (coturn: static-auth-secret); required with `turn`.
  std::string turn_secret;
  // How long TURN credentials handed out stay valid.
  std::chrono::seconds turn_credential_lifetime{std::chrono::hours(24)};

  [[nodiscard]] bool empty() const { return stun.empty() && turn.empty(); }
};

// The TURN REST credentials of `user` until `expires`: username "EXPIRY:USER" (EXPIRY in
// seconds since 1970), password base64(HMAC-SHA1(secret, username)).
struct TurnCredentials {
  std::string username;
  std::string password;
};
[[nodiscard]] TurnCredentials turn_credentials(std::string_view secret, std::string_view user,
                                               std::chrono::system_clock::time_point expires);

class ExternalServices final : public IqHandler {
public:
  // `clock` must outlive this object.
  ExternalServices(ExternalServicesSettings settings, const core::Clock& clock)
      : settings_(std::move(settings)), clock_(clock) {}

  // Adds urn:xmpp:extdisco:2 to the server's disco#info when there is a service to offer
  // (XEP-0215 §5).
  void announce(ServerIq& server_iq) const;

  // <services/> (XEP-0215 §3.1, §3.2) and <credentials/> (§3.3) to the server.
  bool on_request(Resource& sender, const std::optional<Jid>& to, const xml::Element& iq) override;

private:
  // Every service of `type` (all when empty) as <service/>s, TURN ones with credentials of
  // `user`.
  [[nodiscard]] std::vector<xml::Element> services(std::string_view type,
                                                   std::string_view user) const;
  [[nodiscard]] xml::Element services_result(const xml::Element& iq, const xml::Element& request,
                                             std::string_view user) const;
  [[nodiscard]] xml::Element credentials_result(const xml::Element& iq, const xml::Element& request,
                                                std::string_view user) const;

  ExternalServicesSettings settings_;
  const core::Clock& clock_;
};

} // namespace starling::xmpp::im
