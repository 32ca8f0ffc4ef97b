// Which users are on the phone, from the PBX's call events: the input of telephony presence.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace starling::xmpp::server {

// A user's phone state changed: in a call in `call_state`, or off the phone (nullopt).
struct PhoneStateChange {
  std::string user;
  std::optional<std::string> call_state;

  bool operator==(const PhoneStateChange&) const = default;
};

// A user is on the phone while any of their calls is "connected" or "held"; ringing is not
// yet a conversation. With several calls, "connected" wins over "held".
class PhoneCalls {
public:
  // The call's state ("ringing", "connected", "held", "ended") and the users in it now;
  // returns the users whose phone state this changed.
  std::vector<PhoneStateChange> on_call(const std::string& call_id, std::set<std::string> users,
                                        std::string_view state);

private:
  struct Call {
    std::set<std::string> users;
    std::string state;
  };

  [[nodiscard]] std::optional<std::string> state_of(const std::string& user) const;

  std::map<std::string, Call, std::less<>> calls_;
  std::map<std::string, std::string, std::less<>> on_the_phone_; // user → call state
};

} // namespace starling::xmpp::server
