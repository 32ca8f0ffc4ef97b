// Fresh tags, branches and Call-IDs for the requests and dialogs a UA creates.
#pragma once

#include <string>

namespace starling::sip {

// RFC 3261 §19.3: at least 32 random bits; it only has to be unique, not secret.
std::string new_tag();
// RFC 3261 §8.1.1.7: the magic cookie "z9hG4bK", then something unique per transaction.
std::string new_branch();
// RFC 3261 §8.1.1.4: globally unique over space and time.
std::string new_call_id();

} // namespace starling::sip
