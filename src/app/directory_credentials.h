// The SIP digest credentials of every device, held in memory for the signalling thread and
// reloaded when the store says another process changed it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "sip/auth/credential_store.h"
#include "store/store.h"

namespace starling::app {

class DirectoryCredentials final : public sip::CredentialStore {
public:
  explicit DirectoryCredentials(store::Store& store) : store_(store) {}

  // Reloads when the store's revision moved (or on the first call). Returns false when
  // the store could not be read; the previous credentials stay in use.
  bool refresh();

  [[nodiscard]] std::optional<sip::StoredCredentials> find(std::string_view username,
                                                           std::string_view realm) const override;
  [[nodiscard]] std::size_t size() const { return devices_.size(); }

private:
  // Binary digests and a shared realm: a third of the memory of hex strings per device,
  // which matters with 100,000 devices (bench/run.py measures it).
  struct Entry {
    std::array<std::uint8_t, 16> md5{};
    std::array<std::uint8_t, 32> sha256{};
    std::uint32_t realm = 0; // index into realms_
  };

  store::Store& store_;
  std::optional<std::uint64_t> revision_;
  std::vector<std::string> realms_;
  std::unordered_map<std::string, Entry> devices_;
};

} // namespace starling::app
