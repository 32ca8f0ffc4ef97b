// The dial plan snapshot: extensions and user names to the devices that ring.
#include "pbx/dial_plan.h"

namespace starling::pbx {

store::Result<std::shared_ptr<const DialPlan>> DialPlan::load(store::Store& store) {
  auto plan = std::make_shared<DialPlan>();
  auto users = store.list_users();
  if (!users) {
    return std::unexpected(users.error());
  }
  for (const auto& user : *users) {
    plan->user_devices_[user.name];
  }
  auto devices = store.list_devices();
  if (!devices) {
    return std::unexpected(devices.error());
  }
  for (const auto& device : *devices) {
    plan->user_devices_[device.user_name].push_back(device.auth_name);
    plan->device_users_[device.auth_name] = device.user_name;
  }
  auto extensions = store.list_extensions();
  if (!extensions) {
    return std::unexpected(extensions.error());
  }
  for (const auto& extension : *extensions) {
    if (extension.user_id) {
      plan->extension_users_[extension.number] = extension.target_name;
    }
  }
  return plan;
}

Target DialPlan::route(std::string_view dialled) const {
  const std::string key(dialled);
  std::string user = key;
  if (const auto extension = extension_users_.find(key); extension != extension_users_.end()) {
    user = extension->second;
  } else if (!user_devices_.contains(key)) {
    if (const auto device = device_users_.find(key); device != device_users_.end()) {
      return UserTarget{device->second, {key}};
    }
  }
  const auto found = user_devices_.find(user);
  if (found == user_devices_.end()) {
    return NoTarget{};
  }
  return UserTarget{user, found->second};
}

} // namespace starling::pbx
