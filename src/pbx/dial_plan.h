// Where a dialled string leads: the router of call control. Extensions and user names now;
// groups, trunks, voicemail and features become further kinds of Target.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "store/store.h"

namespace starling::pbx {

// A user: every device of theirs rings.
struct UserTarget {
  std::string user;
  std::vector<std::string> devices; // auth names, which are the devices' AORs
};
struct NoTarget {};
using Target = std::variant<NoTarget, UserTarget>;

// An immutable snapshot of what routing needs, read from the store off the signalling
// thread's hot path and swapped in whole.
class DialPlan {
public:
  // Reads extensions, users and devices. Errors are the store's.
  static store::Result<std::shared_ptr<const DialPlan>> load(store::Store& store);

  // An extension number, else a user name, else a device's auth name.
  [[nodiscard]] Target route(std::string_view dialled) const;

private:
  std::unordered_map<std::string, std::string> extension_users_; // number -> user
  std::unordered_map<std::string, std::vector<std::string>> user_devices_;
  std::unordered_map<std::string, std::string> device_users_;
};

} // namespace starling::pbx
