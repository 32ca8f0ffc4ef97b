// Turns the [sip] and [tls] configuration into the settings of the SIP service.
#include "app/sip_settings.h"

namespace starling::app {

sip::SipServiceSettings sip_settings(const core::Config& config) {
  using std::chrono::milliseconds;
  using std::chrono::seconds;
  const auto& sip = config.sip;
  sip::SipServiceSettings settings;
  settings.transport.address = config.listen_address(sip.address);
  settings.transport.udp_port = config.listen_port(sip.udp_port);
  settings.transport.tcp_port = config.listen_port(sip.tcp_port);
  settings.transport.tls_port = config.listen_port(sip.tls_port);
  settings.transport.limits.idle_timeout = seconds(sip.idle_timeout);
  settings.transport.udp_receive_window = std::chrono::microseconds(sip.udp_receive_window_us);
  settings.realm = sip.realm;
  settings.registrar.min_expires = seconds(sip.min_expires);
  settings.registrar.max_expires = seconds(sip.max_expires);
  settings.registrar.default_expires = seconds(sip.default_expires);
  settings.bans.max_failures = sip.ban_failures;
  settings.bans.window = seconds(sip.ban_window);
  settings.bans.ban_duration = seconds(sip.ban_time);
  settings.timers.t1 = milliseconds(sip.t1_ms);
  settings.timers.t2 = milliseconds(sip.t2_ms);
  settings.timers.t4 = milliseconds(sip.t4_ms);
  settings.nonce_lifetime = seconds(sip.nonce_lifetime);
  settings.digest_algorithms.clear();
  for (const auto& name : sip.digest_algorithms) {
    settings.digest_algorithms.push_back(name == "MD5" ? sip::DigestAlgorithm::md5
                                                       : sip::DigestAlgorithm::sha256);
  }
  return settings;
}

} // namespace starling::app
