// Turns the [xmpp] and [network] configuration into the settings of the XMPP service.
#pragma once

#include <expected>
#include <string>

#include "core/config.h"
#include "xmpp/server/xmpp_service.h"

namespace starling::app {

// Fails, with what to do, when xmpp.domain is no valid domain or the SASL secret under the
// data directory cannot be read or created.
[[nodiscard]] std::expected<xmpp::server::XmppSettings, std::string>
xmpp_settings(const core::Config& config);

} // namespace starling::app
