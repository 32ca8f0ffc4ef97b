// Settings of call control and the media relay from the configuration.
#include "app/call_settings.h"

namespace starling::app {

pbx::CallSettings call_settings(const core::Config& config) {
  pbx::CallSettings settings;
  settings.no_answer_timeout = std::chrono::seconds(config.pbx.no_answer_timeout);
  settings.session_expires = std::chrono::seconds(config.pbx.session_expires);
  settings.min_session_expires = std::chrono::seconds(config.pbx.min_session_expires);
  settings.media_timeout = std::chrono::seconds(config.media.timeout);
  settings.timers.t1 = std::chrono::milliseconds(config.sip.t1_ms);
  settings.timers.t2 = std::chrono::milliseconds(config.sip.t2_ms);
  settings.timers.t4 = std::chrono::milliseconds(config.sip.t4_ms);
  return settings;
}

media::RelaySettings relay_settings(const core::Config& config) {
  media::RelaySettings settings;
  // The config loader checked that this is an IP address.
  settings.bind_address =
      boost::asio::ip::make_address(config.listen_address(config.media.address));
  settings.port_min = config.media.rtp_port_min;
  settings.port_max = config.media.rtp_port_max;
  settings.threads = config.media.threads;
  return settings;
}

pbx::RoutingSettings routing_settings(const core::Config& config) {
  pbx::RoutingSettings settings;
  settings.numbering.country_code = config.pbx.country_code;
  settings.numbering.area_code = config.pbx.area_code;
  settings.numbering.international_prefix = config.pbx.international_prefix;
  settings.numbering.national_prefix = config.pbx.national_prefix;
  settings.numbering.emergency_numbers = config.pbx.emergency_numbers;
  settings.emergency_trunks = config.pbx.emergency_trunks;
  return settings;
}

} // namespace starling::app
