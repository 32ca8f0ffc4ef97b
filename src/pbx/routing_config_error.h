// The error an operator sees when routing settings (numbering plan, routes, DIDs) are wrong.
#pragma once

#include <string>

namespace starling::pbx {

// A whole sentence naming the setting and what is wrong with it:
// "outbound rule 'abroad': no trunks to send the call to".
struct RoutingConfigError {
  std::string message;
};

} // namespace starling::pbx
