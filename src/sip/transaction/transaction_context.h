// The services every transaction uses, owned by the transaction layer and shared by all.
#pragma once

#include "sip/transaction/timer_service.h"
#include "sip/transaction/timer_settings.h"
#include "sip/transaction/transaction_transport.h"

namespace starling::sip {

// Must outlive the transactions that refer to it.
struct TransactionContext {
  TimerService& timers;
  TransactionTransport& transport;
  TimerSettings settings;
};

} // namespace starling::sip
