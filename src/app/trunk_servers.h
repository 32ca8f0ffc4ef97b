// Where a trunk's requests go, as the running server, the doctor and the network plan see
// it: the outbound proxy when there is one, else the domain (RFC 3263 §4 starts there).
#pragma once

#include <vector>

#include "app/command_context.h"
#include "net/port_plan.h"
#include "net/sip_server.h"
#include "store/records.h"

namespace starling::app {

[[nodiscard]] net::SipTransport trunk_transport(const store::Trunk& trunk);
[[nodiscard]] net::SipServerName trunk_server_name(const store::Trunk& trunk);

// The providers of the enabled trunks in the store, which Starling connects to; throws
// CommandFailure when the store cannot list them.
[[nodiscard]] std::vector<net::TrunkProvider> trunk_providers(CommandContext& context);

} // namespace starling::app
