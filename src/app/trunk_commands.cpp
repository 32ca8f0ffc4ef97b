// `starling trunk add|del`, `starling trunks`, `starling route add|list|del` and
// `starling user call-class`: SIP trunks to providers and the routes through them.
#include <chrono>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "app/call_settings.h"
#include "app/commands.h"
#include "app/password_input.h"
#include "core/text_table.h"
#include "pbx/call_class.h"
#include "pbx/trunk_check.h"
#include "store/trunk_state.h"

namespace starling::app {
namespace {

void refuse_problem(const std::optional<pbx::SettingProblem>& problem) {
  if (problem) {
    throw CommandFailure(kExitUsage, problem->field.empty()
                                         ? problem->message
                                         : fmt::format("{}: {}", problem->field, problem->message));
  }
}

struct TrunkAddOptions {
  store::Trunk trunk;
  std::string kind = "register";
  bool password_stdin = false;
  bool disabled = false;
  std::vector<std::string> numbers; // "DID=TARGET"
};

void trunk_add(CommandContext& context, TrunkAddOptions& options) {
  store::Trunk& trunk = options.trunk;
  // CLI11 let only the names kind_from_name knows through.
  trunk.kind = store::kind_from_name(options.kind).value_or(store::TrunkKind::registration);
  trunk.enabled = !options.disabled;
  for (const auto& entry : options.numbers) {
    const auto equals = entry.find('=');
    if (equals == std::string::npos) {
      throw CommandFailure(kExitUsage, fmt::format("--number {}: expected DID=EXTENSION, such as "
                                                   "+4930123400=200",
                                                   entry));
    }
    trunk.numbers.push_back({entry.substr(0, equals), entry.substr(equals + 1)});
  }
  if (options.password_stdin) {
    trunk.password = read_password_from_stdin();
  }
  if (trunk.kind == store::TrunkKind::registration && trunk.password.empty()) {
    throw CommandFailure(kExitUsage, "a registration trunk needs the account's password: give "
                                     "it with --password-stdin");
  }
  refuse_problem(pbx::check_trunk(trunk, routing_settings(context.config())));
  const auto added = checked(context.store().add_trunk(trunk));
  fmt::print("Trunk {} added; a running starling {} within a second.\n", added.name,
             added.kind == store::TrunkKind::registration ? "registers it" : "takes its calls");
}

void list_trunks(CommandContext& context) {
  const auto trunks = checked(context.store().list_trunks());
  const auto states = checked(context.store().list_trunk_status());
  const auto now = core::unix_seconds(std::chrono::system_clock::now());
  core::TextTable table({"NAME", "KIND", "DOMAIN", "TRANSPORT", "STATE", "DETAIL", "NUMBERS"});
  for (const auto& trunk : trunks) {
    const auto [state, saved] = store::trunk_state(trunk, states);
    std::string detail;
    if (saved != nullptr) {
      detail = saved->state == "registered" && saved->expires_at > now
                   ? fmt::format("expires in {}s", saved->expires_at - now)
                   : saved->reason;
    }
    std::vector<std::string> numbers;
    numbers.reserve(trunk.numbers.size());
    for (const auto& number : trunk.numbers) {
      numbers.push_back(fmt::format("{}={}", number.did, number.target));
    }
    table.add_row({trunk.name, std::string(store::kind_name(trunk.kind)), trunk.domain,
                   trunk.transport, state, detail, fmt::format("{}", fmt::join(numbers, " "))});
  }
  fmt::print("{}", table.render());
}

void add_trunk_add(CLI::App& trunk_command, CommandContext& context) {
  auto options = std::make_shared<TrunkAddOptions>();
  auto& trunk = options->trunk;
  auto* add = trunk_command.add_subcommand("add", "Add a SIP trunk to a provider");
  add->add_option("name", trunk.name, "A name for the trunk, used by routes")->required();
  add->add_option("--domain", trunk.domain, "The provider's SIP domain, host or host:port")
      ->required();
  add->add_option("--kind", options->kind,
                  "register: Starling registers an account; ip: the "
                  "provider is known by its addresses")
      ->check(CLI::IsMember({"register", "ip"}))
      ->capture_default_str();
  add->add_option("--transport", trunk.transport, "udp, tcp or tls")->capture_default_str();
  add->add_option("--username", trunk.username, "The account at the provider");
  add->add_option("--auth-username", trunk.auth_username,
                  "The user name for digest authentication, if not the account");
  add->add_flag("--password-stdin", options->password_stdin,
                "Read the account's password from standard input");
  add->add_option("--proxy", trunk.outbound_proxy, "Send requests here instead of the domain");
  add->add_option("--from-user", trunk.from_user, "The From user of outgoing calls");
  add->add_option("--expires", trunk.expires, "Registration interval asked for, in seconds")
      ->capture_default_str();
  add->add_option("--allow", trunk.allowed_addresses,
                  "An address, network or address:port calls may come from (repeatable)");
  add->add_option("--codec", trunk.codecs, "A preferred codec, in order (repeatable)");
  add->add_option("--caller-id-format", trunk.caller_id_format,
                  "e164, national, international or digits")
      ->capture_default_str();
  add->add_option("--identity", trunk.identity,
                  "Send the caller's number as pai (P-Asserted-Identity), ppi or none (in From)")
      ->capture_default_str();
  add->add_option("--channels", trunk.channels, "Concurrent calls; 0: no limit")
      ->capture_default_str();
  add->add_option("--number", options->numbers,
                  "A number (or range or pattern) the trunk delivers and the extension it rings, "
                  "as DID=EXTENSION (repeatable)");
  add->add_option("--unknown-did", trunk.unknown_did,
                  "The extension for calls to numbers not given with --number");
  add->add_flag("--disabled", options->disabled, "Add it without using it yet");
  add->callback([&context, options] { trunk_add(context, *options); });
}

void add_route_commands(CLI::App& app, CommandContext& context) {
  auto* route = app.add_subcommand("route", "Add, list and remove outbound routes");
  route->require_subcommand(1);

  auto options = std::make_shared<store::OutboundRoute>();
  auto* add = route->add_subcommand("add", "Add an outbound route");
  add->add_option("name", options->name, "A name for the route")->required();
  add->add_option("--pattern", options->pattern,
                  "The numbers it takes: digits, X (0-9), N (2-9), Z (1-9), [1-5], a trailing . "
                  "for one or more further digits")
      ->required();
  add->add_option("--trunk", options->trunks,
                  "A trunk to send calls out on, in order "
                  "(repeatable; later ones take over on failure)")
      ->required();
  add->add_option("--strip", options->strip, "Leading digits to remove")->capture_default_str();
  add->add_option("--prepend", options->prepend, "Digits to put in front");
  add->add_flag("--e164", options->e164, "Send the number in E.164 (+4930…)");
  add->add_option("--position", options->position, "Routes are tried in ascending position")
      ->capture_default_str();
  add->callback([&context, options] {
    for (const auto& name : options->trunks) {
      if (!checked(context.store().find_trunk(name))) {
        throw CommandFailure(kExitUsage, fmt::format("there is no trunk named '{}'", name));
      }
    }
    refuse_problem(pbx::check_outbound_route(*options, routing_settings(context.config())));
    const auto added = checked(context.store().add_outbound_route(*options));
    fmt::print("Route {} sends {} to {}.\n", added.name, added.pattern,
               fmt::join(added.trunks, ", then "));
  });

  route->add_subcommand("list", "List outbound routes in the order they are tried")
      ->callback([&context] {
        core::TextTable table({"POSITION", "NAME", "PATTERN", "STRIP", "PREPEND", "TRUNKS"});
        for (const auto& each : checked(context.store().list_outbound_routes())) {
          table.add_row({std::to_string(each.position), each.name, each.pattern,
                         std::to_string(each.strip), each.e164 ? "(E.164)" : each.prepend,
                         fmt::format("{}", fmt::join(each.trunks, " "))});
        }
        fmt::print("{}", table.render());
      });

  auto name = std::make_shared<std::string>();
  auto* del = route->add_subcommand("del", "Remove an outbound route");
  del->add_option("name", *name, "The route's name")->required();
  del->callback([&context, name] {
    const auto routes = checked(context.store().list_outbound_routes());
    const auto found = std::ranges::find(routes, *name, &store::OutboundRoute::name);
    if (found == routes.end()) {
      throw CommandFailure(kExitFailure, fmt::format("there is no route named '{}'", *name));
    }
    checked(context.store().remove_outbound_route(found->id));
    fmt::print("Removed route {}.\n", *name);
  });
}

} // namespace

void add_trunk_commands(CLI::App& app, CommandContext& context) {
  auto* trunk = app.add_subcommand("trunk", "Add and remove SIP trunks to providers");
  trunk->require_subcommand(1);
  add_trunk_add(*trunk, context);
  auto name = std::make_shared<std::string>();
  auto* del = trunk->add_subcommand("del", "Remove a trunk");
  del->add_option("name", *name, "The trunk's name")->required();
  del->callback([&context, name] {
    const auto found = checked(context.store().find_trunk(*name));
    if (!found) {
      throw CommandFailure(kExitFailure, fmt::format("there is no trunk named '{}'", *name));
    }
    checked(context.store().remove_trunk(found->id));
    fmt::print("Removed trunk {}.\n", *name);
  });

  app.add_subcommand("trunks", "List trunks with their registration state")->callback([&context] {
    list_trunks(context);
  });
  add_route_commands(app, context);

  auto user = std::make_shared<std::string>();
  auto call_class = std::make_shared<std::string>();
  auto* set_class = app.add_subcommand(
      "call-class", "Set how far a user may call out: internal, local, national or international "
                    "(emergency numbers are always allowed)");
  set_class->add_option("user", *user, "The user's name")->required();
  set_class->add_option("class", *call_class, "internal, local, national or international")
      ->required()
      ->check(CLI::IsMember({"internal", "local", "national", "international"}));
  set_class->callback([&context, user, call_class] {
    const auto found = checked(context.store().find_user(*user));
    if (!found) {
      throw CommandFailure(kExitFailure, fmt::format("there is no user named '{}'", *user));
    }
    checked(context.store().set_user_call_class(found->id, *call_class));
    fmt::print("{} may now make {} calls.\n", *user, *call_class);
  });
}

} // namespace starling::app
