// Turns the [pbx], [media] and [sip] timer configuration into the settings of call control
// and the media relay.
#pragma once

#include "core/config.h"
#include "media/media_relay.h"
#include "pbx/call.h"

namespace starling::app {

[[nodiscard]] pbx::CallSettings call_settings(const core::Config& config);
[[nodiscard]] media::RelaySettings relay_settings(const core::Config& config);

} // namespace starling::app
