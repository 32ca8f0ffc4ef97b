// Roster item helpers.
#include "xmpp/im/roster_item.h"

namespace starling::xmpp::im {

std::string_view to_string(Subscription subscription) {
  switch (subscription) {
  case Subscription::none:
    return "none";
  case Subscription::to:
    return "to";
  case Subscription::from:
    return "from";
  case Subscription::both:
    return "both";
  }
  return "none";
}

} // namespace starling::xmpp::im
