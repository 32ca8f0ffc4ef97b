// `starling doctor`: checks the network plan from outside and says what to fix (docs/network.md).
#include <cstdio>

#include <fmt/format.h>
#include <unistd.h>

#include "app/commands.h"
#include "app/doctor/checks.h"
#include "app/doctor/report.h"

namespace starling::app {
namespace {

// A one-line "[2/6] checking clock (NTP)…" that the results overwrite; only on a terminal,
// so that pipes and files get the result lines alone.
class Progress {
public:
  explicit Progress(bool shown) : shown_(shown) {}
  void show(std::size_t step, std::size_t steps, std::string_view title) const {
    if (shown_) {
      fmt::print("\r\033[K[{}/{}] checking {}…", step, steps, title);
      std::fflush(stdout);
    }
  }
  void clear() const {
    if (shown_) {
      fmt::print("\r\033[K");
    }
  }

private:
  bool shown_;
};

std::vector<store::Trunk> configured_trunks(CommandContext& context) {
  auto trunks = context.store().list_trunks();
  if (!trunks) {
    throw CommandFailure(kExitFailure, trunks.error().message);
  }
  return std::move(*trunks);
}

void run_doctor(const doctor::Subject& subject, bool json) {
  const auto checks = doctor::all_checks();
  const Progress progress(!json && isatty(STDOUT_FILENO) == 1);
  std::vector<doctor::CheckResult> results;
  for (std::size_t i = 0; i < checks.size(); ++i) {
    progress.show(i + 1, checks.size(), checks[i].title);
    auto found = checks[i].run(subject);
    progress.clear();
    for (auto& result : found) {
      if (!json) {
        fmt::print("{}", doctor::format_result(result));
        std::fflush(stdout);
      }
      results.push_back(std::move(result));
    }
  }
  if (json) {
    fmt::print("{}", doctor::format_json(results));
  }
  const auto failed = std::ranges::count_if(results, [](const doctor::CheckResult& result) {
    return result.status == doctor::CheckStatus::fail;
  });
  if (failed > 0) {
    throw CommandFailure(kExitFailure,
                         fmt::format("{} of {} checks failed", failed, results.size()));
  }
}

} // namespace

void add_doctor_command(CLI::App& app, CommandContext& context) {
  auto json = std::make_shared<bool>(false);
  auto* command = app.add_subcommand(
      "doctor", "Check DNS, SIP trunks, clock, TLS ports, public address, port conflicts and "
                "the RTP range of this configuration; exit code 1 when a check fails");
  command->add_flag("--json", *json,
                    "Print one JSON object with every check instead of lines, for monitoring");
  command->callback([&context, json] {
    const auto trunks = configured_trunks(context);
    run_doctor({context.config(), trunks}, *json);
  });
}

} // namespace starling::app
