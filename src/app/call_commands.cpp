// `starling calls`: the calls in progress and the latest call records, as the PBX saved them.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "app/commands.h"
#include "core/clock.h"
#include "core/text_table.h"

namespace starling::app {
namespace {

constexpr std::size_t kMaxLimit = 1'000'000;

struct CallsOptions {
  bool active_only = false;
  std::size_t limit = 20;
  bool json = false;
};

store::UnixTime now() {
  return core::unix_seconds(std::chrono::system_clock::now());
}

std::vector<store::CallLeg> read_legs(CommandContext& context, bool active_only,
                                      std::size_t limit) {
  store::CallLegQuery query;
  query.active_only = active_only;
  query.limit = limit;
  auto legs = context.store().list_call_legs(query);
  if (!legs) {
    throw CommandFailure(kExitFailure, legs.error().message);
  }
  // The store lists legs by start time; a reader wants each call's legs together, a first.
  std::map<std::string, std::size_t> call_rank;
  for (const auto& leg : *legs) {
    call_rank.try_emplace(leg.call_id, call_rank.size());
  }
  std::ranges::stable_sort(*legs, [&call_rank](const auto& left, const auto& right) {
    // By length first, so that b2 comes before b10.
    return std::tuple(call_rank.at(left.call_id), left.leg.size(), std::string_view(left.leg)) <
           std::tuple(call_rank.at(right.call_id), right.leg.size(), std::string_view(right.leg));
  });
  return std::move(*legs);
}

std::string local_time(store::UnixTime time) {
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}", fmt::localtime(static_cast<std::time_t>(time)));
}

std::string clock_duration(store::UnixTime seconds) {
  seconds = std::max<store::UnixTime>(seconds, 0);
  return fmt::format("{}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
}

// Answered to ended, or to now while the call goes on; "-" if never answered.
std::string duration_of(const store::CallLeg& leg, store::UnixTime at) {
  if (leg.answered_at == 0) {
    return "-";
  }
  return clock_duration((leg.ended_at != 0 ? leg.ended_at : at) - leg.answered_at);
}

std::string or_dash(const std::string& text) {
  return text.empty() ? "-" : text;
}

void print_active(const std::vector<store::CallLeg>& legs) {
  core::TextTable table({"CALL", "LEG", "CALLER", "CALLEE", "DEVICE", "STATE", "SINCE"});
  for (const auto& leg : legs) {
    const auto since = leg.answered_at != 0 ? leg.answered_at : leg.started_at;
    table.add_row({leg.call_id, leg.leg, leg.caller, leg.callee, or_dash(leg.device), leg.state,
                   local_time(since)});
  }
  fmt::print("Active calls\n{}", table.render());
}

void print_recent(const std::vector<store::CallLeg>& legs) {
  const auto at = now();
  core::TextTable table(
      {"CALL", "LEG", "CALLER", "CALLEE", "STARTED", "ANSWERED", "DURATION", "CAUSE", "SIDE"});
  for (const auto& leg : legs) {
    table.add_row({leg.call_id, leg.leg, leg.caller, leg.callee, local_time(leg.started_at),
                   leg.answered_at != 0 ? "yes" : "no", duration_of(leg, at),
                   or_dash(leg.hangup_cause), or_dash(leg.hangup_side)});
  }
  fmt::print("Recent calls\n{}", table.render());
}

// RFC 8259 §7: quote, backslash and control characters must be escaped.
std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(c));
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

std::string json_time(store::UnixTime time) {
  return time == 0 ? "null" : std::to_string(time);
}

std::string json_text(const std::string& text) {
  return text.empty() ? "null" : json_string(text);
}

void print_json(const std::vector<store::CallLeg>& legs) {
  std::string out = "[";
  for (const auto& leg : legs) {
    const bool has_duration = leg.answered_at != 0 && leg.ended_at != 0;
    fmt::format_to(std::back_inserter(out),
                   R"({}{{"call_id":{},"leg":{},"caller":{},"callee":{},"device":{},)"
                   R"("state":{},"started_at":{},"answered_at":{},"ended_at":{},"duration":{},)"
                   R"("hangup_cause":{},"hangup_side":{}}})",
                   out.size() > 1 ? ",\n " : "", json_string(leg.call_id), json_string(leg.leg),
                   json_string(leg.caller), json_string(leg.callee), json_text(leg.device),
                   json_string(leg.state), leg.started_at, json_time(leg.answered_at),
                   json_time(leg.ended_at),
                   has_duration ? std::to_string(leg.ended_at - leg.answered_at) : "null",
                   json_text(leg.hangup_cause), json_text(leg.hangup_side));
  }
  out += "]\n";
  fmt::print("{}", out);
}

void list_calls(CommandContext& context, const CallsOptions& options) {
  if (options.json) {
    print_json(read_legs(context, options.active_only, options.limit));
    return;
  }
  print_active(read_legs(context, true, options.limit));
  if (!options.active_only) {
    fmt::print("\n");
    print_recent(read_legs(context, false, options.limit));
  }
}

} // namespace

void add_call_commands(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<CallsOptions>();
  auto* calls = app.add_subcommand("calls", "List calls in progress and recent call records");
  calls->add_flag("--active", options->active_only, "Only the calls in progress");
  calls->add_option("--limit", options->limit, "At most this many call legs per list")
      ->check(CLI::Range(std::size_t{1}, kMaxLimit))
      ->capture_default_str();
  calls->add_flag("--json", options->json,
                  "Print one JSON array of call legs (the recent ones, or with --active the "
                  "active ones)");
  calls->callback([&context, options] { list_calls(context, *options); });
}

} // namespace starling::app
