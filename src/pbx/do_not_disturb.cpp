#include "pbx/do_not_disturb.h"

namespace starling::pbx {

void DoNotDisturb::set(std::string_view user, bool on) {
  const std::scoped_lock lock(mutex_);
  if (on) {
    users_.emplace(user);
  } else if (const auto found = users_.find(user); found != users_.end()) {
    users_.erase(found);
  }
}

bool DoNotDisturb::is_set(std::string_view user) const {
  const std::scoped_lock lock(mutex_);
  return users_.contains(user);
}

} // namespace starling::pbx
