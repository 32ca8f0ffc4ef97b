// The dial plan snapshot: extensions and user names to the devices that ring, and public
// numbers to the trunks that carry them.
#include "pbx/dial_plan.h"

#include <algorithm>

namespace starling::pbx {

store::Result<std::shared_ptr<const DialPlan>> DialPlan::load(store::Store& store,
                                                              const RoutingSettings& settings) {
  auto plan = std::make_shared<DialPlan>();
  auto users = store.list_users();
  if (!users) {
    return std::unexpected(users.error());
  }
  for (const auto& user : *users) {
    plan->user_devices_[user.name];
    // A class the store does not know (written by a newer version) grants the least.
    plan->user_classes_[user.name] =
        permission_class_from_string(user.call_class).value_or(PermissionClass::internal);
  }
  auto devices = store.list_devices();
  if (!devices) {
    return std::unexpected(devices.error());
  }
  for (const auto& device : *devices) {
    auto& [user, user_devices] = *plan->user_devices_.try_emplace(device.user_name).first;
    user_devices.push_back(device.auth_name);
    plan->device_users_[device.auth_name] = &user;
  }
  for (auto& [user, user_devices] : plan->user_devices_) {
    user_devices.shrink_to_fit();
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
  auto trunks = store.list_trunks();
  if (!trunks) {
    return std::unexpected(trunks.error());
  }
  auto routes = store.list_outbound_routes();
  if (!routes) {
    return std::unexpected(routes.error());
  }
  plan->trunks_ = TrunkRouting::compile(std::move(*trunks), *routes, settings);
  return plan;
}

Target DialPlan::route(std::string_view dialled) const {
  const std::string key(dialled);
  std::string user = key;
  if (const auto extension = extension_users_.find(key); extension != extension_users_.end()) {
    user = extension->second;
  } else if (!user_devices_.contains(key)) {
    if (const auto device = device_users_.find(key); device != device_users_.end()) {
      return UserTarget{*device->second, {key}};
    }
  }
  const auto found = user_devices_.find(user);
  if (found == user_devices_.end()) {
    return NoTarget{};
  }
  return UserTarget{user, found->second};
}

Target DialPlan::route_from_device(std::string_view device, std::string_view dialled) const {
  if (auto colleague = route(dialled); !std::holds_alternative<NoTarget>(colleague)) {
    return colleague;
  }
  PermissionClass permission = PermissionClass::internal;
  if (const auto user = device_users_.find(std::string(device)); user != device_users_.end()) {
    if (const auto granted = user_classes_.find(*user->second); granted != user_classes_.end()) {
      permission = granted->second;
    }
  }
  auto decision = trunks_.outbound(dialled, permission);
  if (!decision) {
    return RefusedTarget{decision.error().sip_status, decision.error().reason};
  }
  return TrunkTarget{std::move(decision->number), decision->call_class, std::move(decision->trunks),
                     std::move(decision->rule)};
}

Target DialPlan::route_from_trunk(std::string_view trunk, std::string_view called) const {
  auto decision = trunks_.inbound(trunk, called);
  if (!decision) {
    return RefusedTarget{decision.error().sip_status, decision.error().reason};
  }
  return route(decision->target);
}

std::string DialPlan::caller_number(std::string_view device, const store::Trunk& trunk) const {
  const auto numbers = trunks_.single_numbers(trunk.name);
  const auto user = device_users_.find(std::string(device));
  if (user != device_users_.end()) {
    for (const auto& number : numbers) {
      const auto extension = extension_users_.find(number.target);
      if (extension != extension_users_.end() && extension->second == *user->second) {
        return number.e164;
      }
    }
  }
  // A user without a number of their own calls out with the trunk's first, the main number.
  return numbers.empty() ? std::string() : numbers.front().e164;
}

} // namespace starling::pbx
