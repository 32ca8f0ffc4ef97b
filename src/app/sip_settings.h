// Turns the [sip] and [tls] configuration into the settings of the SIP service.
#pragma once

#include "core/config.h"
#include "sip/sip_service.h"

namespace starling::app {

[[nodiscard]] sip::SipServiceSettings sip_settings(const core::Config& config);

} // namespace starling::app
