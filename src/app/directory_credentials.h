// The SIP digest credentials of every device, held in memory for the signalling thread and
// reloaded when the store says another process changed it.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

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
  struct Entry {
    std::string realm;
    sip::StoredCredentials credentials;
  };

  store::Store& store_;
  std::optional<std::uint64_t> revision_;
  std::unordered_map<std::string, Entry> devices_;
};

} // namespace starling::app
