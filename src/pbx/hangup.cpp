// Hang-up causes and the choice among the final answers of several callee devices.
#include "pbx/hangup.h"

namespace starling::pbx {
namespace {

constexpr FinalStatus kUnavailable{480, "Temporarily Unavailable"};

// Within one class, a lower rank wins: what the caller can act on comes first.
int rank(std::uint16_t code) {
  switch (code) {
  case 486:
  case 600:
    return 0; // busy
  case 603:
    return 1; // declined
  case 480:
    return 3;
  case 408:
    return 4; // a device that did not answer at all says least
  default:
    return 2;
  }
}

} // namespace

std::string_view cause_of(std::uint16_t status) {
  switch (status) {
  case 404:
  case 604:
    return "not_found";
  case 408:
    return "timeout";
  case 480:
    return "unavailable";
  case 486:
  case 600:
    return "busy";
  case 487:
    return "cancelled";
  case 603:
    return "declined";
  default:
    return status >= 200 && status < 300 ? "normal" : "rejected";
  }
}

namespace {

bool is_better(const FinalStatus& candidate, const FinalStatus& current) {
  const bool candidate_global = candidate.code >= 600;
  if (candidate_global != (current.code >= 600)) {
    return candidate_global;
  }
  if (candidate.code / 100 != current.code / 100) {
    return candidate.code / 100 < current.code / 100;
  }
  return rank(candidate.code) < rank(current.code);
}

} // namespace

FinalStatus best_final_status(std::span<const FinalStatus> answers) {
  FinalStatus best = kUnavailable;
  bool first = true;
  for (FinalStatus candidate : answers) {
    if (candidate.code == 401 || candidate.code == 407) {
      candidate = kUnavailable;
    }
    if (first || is_better(candidate, best)) {
      best = candidate;
      first = false;
    }
  }
  return best;
}

} // namespace starling::pbx
