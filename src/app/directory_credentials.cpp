// The SIP digest credentials of every device, held in memory for the signalling thread and
// reloaded when the store says another process changed it.
#include "app/directory_credentials.h"

#include <algorithm>
#include <span>

#include <spdlog/spdlog.h>

namespace starling::app {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  return -1;
}

// False when `hex` is not exactly the lowercase hex of `out`'s size.
bool decode_hex(std::string_view hex, std::span<std::uint8_t> out) {
  if (hex.size() != out.size() * 2) {
    return false;
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int high = hex_value(hex[2 * i]);
    const int low = hex_value(hex[2 * i + 1]);
    if (high < 0 || low < 0) {
      return false;
    }
    out[i] = static_cast<std::uint8_t>((high << 4) | low);
  }
  return true;
}

} // namespace

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
  std::vector<std::string> realms;
  std::unordered_map<std::string, Entry> loaded;
  loaded.reserve(devices->size());
  for (const auto& device : *devices) {
    Entry entry;
    if (!decode_hex(device.ha1_md5, entry.md5) || !decode_hex(device.ha1_sha256, entry.sha256)) {
      spdlog::warn("device {} has damaged credentials; set its password again", device.auth_name);
      continue;
    }
    auto realm = std::ranges::find(realms, device.realm);
    if (realm == realms.end()) {
      realm = realms.insert(realms.end(), device.realm);
    }
    entry.realm = static_cast<std::uint32_t>(realm - realms.begin());
    loaded.emplace(device.auth_name, entry);
  }
  realms_ = std::move(realms);
  devices_ = std::move(loaded);
  revision_ = *revision;
  spdlog::debug("loaded SIP credentials of {} devices", devices_.size());
  return true;
}

std::optional<sip::StoredCredentials> DirectoryCredentials::find(std::string_view username,
                                                                 std::string_view realm) const {
  const auto found = devices_.find(std::string(username));
  if (found == devices_.end() || realms_[found->second.realm] != realm) {
    return std::nullopt;
  }
  return sip::StoredCredentials{sip::HexDigest::of(found->second.md5),
                                sip::HexDigest::of(found->second.sha256)};
}

} // namespace starling::app
