// `starling registrations`: the phones registered now, as the registrar last saved them.
#include <chrono>

#include <fmt/format.h>

#include "app/commands.h"
#include "core/clock.h"
#include "core/text_table.h"
#include "sip/host.h"

namespace starling::app {
namespace {

void list_registrations(CommandContext& context) {
  auto bindings = context.store().list_bindings();
  if (!bindings) {
    throw CommandFailure(kExitFailure, bindings.error().message);
  }
  const auto now = core::unix_seconds(std::chrono::system_clock::now());
  core::TextTable table({"AOR", "CONTACT", "TRANSPORT", "SOURCE", "EXPIRES IN", "USER AGENT"});
  for (const auto& binding : *bindings) {
    // The registrar removes expired rows within seconds; a stopped one leaves them.
    if (binding.expires_at <= now) {
      continue;
    }
    table.add_row({binding.aor, binding.contact, binding.transport,
                   sip::host_port(binding.source_address, binding.source_port),
                   fmt::format("{}s", binding.expires_at - now), binding.user_agent});
  }
  fmt::print("{}", table.render());
}

} // namespace

void add_registration_commands(CLI::App& app, CommandContext& context) {
  app.add_subcommand("registrations", "List the SIP bindings of registered phones")
      ->callback([&context] { list_registrations(context); });
}

} // namespace starling::app
