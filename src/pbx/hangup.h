// Why a call or call attempt ended: the causes in call records, and the SIP status a caller
// gets when no callee device answered.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace starling::pbx {

struct FinalStatus {
  std::uint16_t code = 0;
  std::string_view reason;
};

// The cause recorded for a call attempt that ended with `status` from the callee side.
std::string_view cause_of(std::uint16_t status);

// RFC 3261 §16.7 step 6, as a forking proxy chooses: any 6xx; else the lowest class, and in
// it the most telling answer (486 Busy Here before the rest). Challenges from a callee
// (401/407) are for Starling, not for the caller, so they become 480. Empty input: 480.
FinalStatus best_final_status(std::span<const FinalStatus> answers);

} // namespace starling::pbx
