// Where a dialled string leads: the router of call control. Extensions, user and device
// names, and public numbers through trunks; groups, voicemail and features become further
// kinds of Target.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "pbx/trunk_routing.h"
#include "store/store.h"

namespace starling::pbx {

// A user: every device of theirs rings.
struct UserTarget {
  std::string user;
  std::vector<std::string> devices; // auth names, which are the devices' AORs
};
// A public number: out through the first of `trunks` that takes the call.
struct TrunkTarget {
  std::string number; // as the trunk is to get it
  CallClass call_class = CallClass::national;
  std::vector<std::string> trunks;
  std::string rule; // the outbound route that chose them
};
// A number the caller may not or cannot reach, answered at once with `status`.
struct RefusedTarget {
  std::uint16_t status = 404;
  std::string reason;
};
struct NoTarget {};
using Target = std::variant<NoTarget, UserTarget, TrunkTarget, RefusedTarget>;

// An immutable snapshot of what routing needs, read from the store off the signalling
// thread's hot path and swapped in whole.
class DialPlan {
public:
  DialPlan() = default;
  // device_users_ points into user_devices_: a copy would point into the original.
  DialPlan(const DialPlan&) = delete;
  DialPlan& operator=(const DialPlan&) = delete;
  DialPlan(DialPlan&&) = delete;
  DialPlan& operator=(DialPlan&&) = delete;
  ~DialPlan() = default;

  // Reads extensions, users, devices, trunks and routes. Errors are the store's.
  static store::Result<std::shared_ptr<const DialPlan>> load(store::Store& store,
                                                             const RoutingSettings& settings);

  // An extension number, else a user name, else a device's auth name.
  [[nodiscard]] Target route(std::string_view dialled) const;
  // What `device` dialled: a colleague as route() finds them, else a public number through
  // an outbound route, if the device's user may call it.
  [[nodiscard]] Target route_from_device(std::string_view device, std::string_view dialled) const;
  // A call `trunk` delivered for the number `called` (its DID).
  [[nodiscard]] Target route_from_trunk(std::string_view trunk, std::string_view called) const;
  // The caller ID (E.164) of `device` on `trunk`: a number of the trunk that leads to one
  // of the user's extensions, else the trunk's first number (the main number); empty when
  // the trunk has no single number.
  [[nodiscard]] std::string caller_number(std::string_view device, const store::Trunk& trunk) const;

  [[nodiscard]] const TrunkRouting& trunks() const { return trunks_; }

private:
  std::unordered_map<std::string, std::string> extension_users_; // number -> user
  std::unordered_map<std::string, std::vector<std::string>> user_devices_;
  // Points at the user's name in user_devices_ (map nodes never move): a copy took a third
  // of the dial plan of 100,000 devices.
  std::unordered_map<std::string, const std::string*> device_users_;
  std::unordered_map<std::string, PermissionClass> user_classes_;
  TrunkRouting trunks_;
};

} // namespace starling::pbx
