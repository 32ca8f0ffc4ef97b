// Where call control reports each change of a call leg, to become a call record (CDR).
#pragma once

#include "store/records.h"

namespace starling::pbx {

class CallRecorder {
public:
  CallRecorder() = default;
  CallRecorder(const CallRecorder&) = delete;
  CallRecorder& operator=(const CallRecorder&) = delete;
  CallRecorder(CallRecorder&&) = delete;
  CallRecorder& operator=(CallRecorder&&) = delete;
  virtual ~CallRecorder() = default;

  // Called from a signalling thread at every state change of a leg with the leg's whole
  // current state; must never block it. A later call for the same (call_id, leg) supersedes
  // an earlier one.
  virtual void record(store::CallLeg leg) = 0;
};

} // namespace starling::pbx
