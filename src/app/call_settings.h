// Turns the [pbx], [media] and [sip] timer configuration into the settings of call control,
// the media relay and routing through trunks.
#pragma once

#include "core/config.h"
#include "media/media_relay.h"
#include "pbx/call.h"
#include "pbx/trunk_routing.h"

namespace starling::app {

[[nodiscard]] pbx::CallSettings call_settings(const core::Config& config);
[[nodiscard]] media::RelaySettings relay_settings(const core::Config& config);
[[nodiscard]] pbx::RoutingSettings routing_settings(const core::Config& config);

} // namespace starling::app
