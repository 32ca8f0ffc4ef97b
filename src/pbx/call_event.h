// Call state changes, published on the event bus for the web UI, presence and logs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace starling::pbx {

enum class CallState : std::uint8_t { ringing, connected, held, ended };

constexpr std::string_view to_string(CallState state) {
  switch (state) {
  case CallState::ringing:
    return "ringing";
  case CallState::connected:
    return "connected";
  case CallState::held:
    return "held";
  case CallState::ended:
    return "ended";
  }
  return "ended";
}

struct CallStateEvent {
  std::string call_id; // Starling's id of the call, as in the call records
  std::string caller;  // the calling device
  std::string callee;  // the dialled number or name
  std::string device;  // the answering device, once there is one
  CallState state = CallState::ringing;
  std::string hangup_cause; // when ended
  std::string hangup_side;  // when ended: "caller", "callee" or "system"
};

} // namespace starling::pbx
