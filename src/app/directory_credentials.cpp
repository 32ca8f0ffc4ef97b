// The SIP digest credentials of every device, held in memory for the signalling thread and
// reloaded when the store says another process changed it.
#include "app/directory_credentials.h"

#include <spdlog/spdlog.h>

namespace starling::app {

bool DirectoryCredentials::refresh() {
  const auto revision = store_.revision();
  if (!revision) {
    spdlog::warn("cannot check for device changes: {}", revision.error().message);
    return false;
  }
  if (revision_ == *revision) {
    return true;
  }
  const auto devices = store_.list_devices();
  if (!devices) {
    spdlog::warn("cannot reload device credentials: {}", devices.error().message);
    return false;
  }
  std::unordered_map<std::string, Entry> loaded;
  loaded.reserve(devices->size());
  for (const auto& device : *devices) {
    loaded.emplace(device.auth_name, Entry{device.realm, {device.ha1_md5, device.ha1_sha256}});
  }
  devices_ = std::move(loaded);
  revision_ = *revision;
  spdlog::debug("loaded SIP credentials of {} devices", devices_.size());
  return true;
}

std::optional<sip::StoredCredentials> DirectoryCredentials::find(std::string_view username,
                                                                 std::string_view realm) const {
  const auto found = devices_.find(std::string(username));
  if (found == devices_.end() || found->second.realm != realm) {
    return std::nullopt;
  }
  return found->second.credentials;
}

} // namespace starling::app
