// Turns the xmpp.upload_* configuration into the settings of the file upload service.
#pragma once

#include <optional>
#include <string_view>

#include "core/config.h"
#include "xmpp/upload/upload_settings.h"

namespace starling::app {

// Nullopt when uploads are off: xmpp.upload_max_size is 0, or the HTTP server that would
// take the files is off. `domain` is the XMPP domain (XmppSettings::domain).
[[nodiscard]] std::optional<xmpp::upload::UploadSettings>
upload_settings(const core::Config& config, std::string_view domain);

} // namespace starling::app
