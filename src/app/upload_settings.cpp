// The file upload service's settings: limits from [xmpp], the URL from [xmpp] or [http].
#include "app/upload_settings.h"

#include <fmt/format.h>

namespace starling::app {

namespace {

constexpr std::uint16_t kDefaultHttpsPort = 443;

} // namespace

std::optional<xmpp::upload::UploadSettings> upload_settings(const core::Config& config,
                                                            std::string_view domain) {
  if (!config.http.enabled || config.xmpp.upload_max_size == 0) {
    return std::nullopt;
  }
  xmpp::upload::UploadSettings settings;
  settings.directory = config.data_dir / "xmpp-upload";
  settings.max_file_size = config.xmpp.upload_max_size;
  settings.quota = config.xmpp.upload_quota;
  settings.retention = std::chrono::days(config.xmpp.upload_retention_days);
  if (!config.xmpp.upload_url.empty()) {
    settings.base_url = config.xmpp.upload_url;
    if (settings.base_url.ends_with('/')) {
      settings.base_url.pop_back();
    }
  } else {
    // Clients check the certificate against the XMPP domain already, so it is a name they
    // reach the PBX by.
    const auto port = config.listen_port(config.http.https_port);
    settings.base_url = port == kDefaultHttpsPort ? fmt::format("https://{}", domain)
                                                  : fmt::format("https://{}:{}", domain, port);
  }
  return settings;
}

} // namespace starling::app
