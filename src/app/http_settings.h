// Turns the [http], [network] and [tls] configuration into the settings of the HTTP server.
#pragma once

#include "core/config.h"
#include "http/http_server.h"

namespace starling::app {

[[nodiscard]] http::HttpServerSettings http_settings(const core::Config& config);

} // namespace starling::app
