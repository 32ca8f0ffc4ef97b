// Which calls are a user's own: those naming them, one of their devices or their numbers.
#include "api/call_parties.h"

namespace starling::api {

namespace {

store::Result<std::vector<std::string>> device_names_of(store::Store& store, store::Id user) {
  auto devices = store.list_devices();
  if (!devices) {
    return std::unexpected(std::move(devices.error()));
  }
  std::vector<std::string> names;
  for (auto& device : *devices) {
    if (device.user_id == user) {
      names.push_back(std::move(device.auth_name));
    }
  }
  return names;
}

} // namespace

store::Result<std::optional<std::vector<std::string>>> call_parties_of(store::Store& store,
                                                                       const Caller& caller) {
  if (caller.is_admin()) {
    return std::nullopt;
  }
  auto names = device_names_of(store, caller.user_id);
  if (!names) {
    return std::unexpected(std::move(names.error()));
  }
  auto extensions = store.list_extensions();
  if (!extensions) {
    return std::unexpected(std::move(extensions.error()));
  }
  for (auto& extension : *extensions) {
    if (extension.user_id == caller.user_id) {
      names->push_back(std::move(extension.number));
    }
  }
  names->push_back(caller.name);
  return names;
}

} // namespace starling::api
