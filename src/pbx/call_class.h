// The kinds of call that permissions are granted for, from a short extension to abroad.
#pragma once

#include <optional>
#include <string_view>

namespace starling::pbx {

// Where a dialled number leads, judged by its destination rather than by how it was
// written: "0301234567" dialled in Berlin is a local call, like "1234567".
enum class CallClass { internal, local, national, international, emergency };

// Lower-case words for logs, CDRs and refusal reasons: "national".
std::string_view to_string(CallClass call_class);

// The most a user may dial. Each class includes the ones before it. Emergency calls are not
// a permission: they are always allowed (see is_call_allowed).
enum class PermissionClass { internal, local, national, international };

std::string_view to_string(PermissionClass permission);

// The class named by to_string's word, as stored and configured; nothing for other words.
std::optional<PermissionClass> permission_class_from_string(std::string_view name);

// Whether a user with `permission` may place a call of `call_class`.
bool is_call_allowed(CallClass call_class, PermissionClass permission);

} // namespace starling::pbx
