// Users who asked not to be disturbed, from wherever they said so: today their chat client
// (XMPP <show>dnd</show>), later a feature code on the phone. Call control refuses calls to
// them with 486 Busy Here, as a phone set to do not disturb does itself.
#pragma once

#include <mutex>
#include <set>
#include <string>
#include <string_view>

namespace starling::pbx {

// Written by other services' threads, read by call control on the SIP threads: locked.
class DoNotDisturb {
public:
  void set(std::string_view user, bool on);
  [[nodiscard]] bool is_set(std::string_view user) const;

private:
  mutable std::mutex mutex_;
  std::set<std::string, std::less<>> users_;
};

} // namespace starling::pbx
