// Names of call classes and the permission rule that compares them.
#include "pbx/call_class.h"

namespace starling::pbx {

std::string_view to_string(CallClass call_class) {
  switch (call_class) {
  case CallClass::internal:
    return "internal";
  case CallClass::local:
    return "local";
  case CallClass::national:
    return "national";
  case CallClass::international:
    return "international";
  case CallClass::emergency:
    return "emergency";
  }
  return "unknown";
}

std::string_view to_string(PermissionClass permission) {
  switch (permission) {
  case PermissionClass::internal:
    return "internal";
  case PermissionClass::local:
    return "local";
  case PermissionClass::national:
    return "national";
  case PermissionClass::international:
    return "international";
  }
  return "unknown";
}

std::optional<PermissionClass> permission_class_from_string(std::string_view name) {
  for (const auto permission : {PermissionClass::internal, PermissionClass::local,
                                PermissionClass::national, PermissionClass::international}) {
    if (name == to_string(permission)) {
      return permission;
    }
  }
  return std::nullopt;
}

namespace {

// The permission a call of this class needs; emergency calls need none.
PermissionClass required_permission(CallClass call_class) {
  switch (call_class) {
  case CallClass::internal:
  case CallClass::emergency:
    return PermissionClass::internal;
  case CallClass::local:
    return PermissionClass::local;
  case CallClass::national:
    return PermissionClass::national;
  case CallClass::international:
    return PermissionClass::international;
  }
  return PermissionClass::international;
}

} // namespace

bool is_call_allowed(CallClass call_class, PermissionClass permission) {
  // Emergency calls go through whatever the user's class: a locked-down lobby phone must
  // still reach the fire brigade.
  if (call_class == CallClass::emergency) {
    return true;
  }
  return required_permission(call_class) <= permission;
}

} // namespace starling::pbx
