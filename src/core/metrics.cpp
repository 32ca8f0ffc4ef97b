// A registry of Prometheus metrics that services add to and the HTTP service exposes.
#include "core/metrics.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include <fmt/format.h>

namespace starling::core {
namespace {

bool is_valid_name(const std::string& name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front())) != 0) {
    return false;
  }
  return std::ranges::all_of(name, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == ':';
  });
}

// Label values escape backslash, quote and newline; HELP text escapes backslash and newline.
std::string escape(std::string_view text, bool escape_quotes) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && escape_quotes) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

std::string format_labels(const MetricLabels& labels) {
  if (labels.empty()) {
    return {};
  }
  std::string out = "{";
  for (const auto& [key, value] : labels) {
    if (out.size() > 1) {
      out += ',';
    }
    out += fmt::format("{}=\"{}\"", key, escape(value, true));
  }
  return out + "}";
}

} // namespace

MetricsRegistry::Series& MetricsRegistry::series(const std::string& name, const std::string& help,
                                                 Type type, MetricLabels labels) {
  // Names come from our own code, so a bad one is a programming error.
  if (!is_valid_name(name)) {
    throw std::invalid_argument("invalid metric name: " + name);
  }
  std::ranges::sort(labels);
  const std::scoped_lock lock(mutex_);
  auto [family, inserted] = families_.try_emplace(name, Family{help, type, {}});
  if (!inserted && family->second.type != type) {
    throw std::invalid_argument("metric registered twice with different types: " + name);
  }
  auto& all = family->second.series;
  const auto found = std::ranges::find(all, labels, &Series::labels);
  if (found != all.end()) {
    return *found;
  }
  Series& added = all.emplace_back(Series{std::move(labels), nullptr, nullptr});
  if (type == Type::counter) {
    added.counter = std::make_unique<Counter>();
  } else {
    added.gauge = std::make_unique<Gauge>();
  }
  return added;
}

Counter& MetricsRegistry::counter(const std::string& name, const std::string& help,
                                  MetricLabels labels) {
  return *series(name, help, Type::counter, std::move(labels)).counter;
}

Gauge& MetricsRegistry::gauge(const std::string& name, const std::string& help,
                              MetricLabels labels) {
  return *series(name, help, Type::gauge, std::move(labels)).gauge;
}

std::string MetricsRegistry::render() const {
  const std::scoped_lock lock(mutex_);
  std::string out;
  for (const auto& [name, family] : families_) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, escape(family.help, false), name,
                       family.type == Type::counter ? "counter" : "gauge");
    for (const auto& series : family.series) {
      const auto value = series.counter ? static_cast<std::int64_t>(series.counter->value())
                                        : series.gauge->value();
      out += fmt::format("{}{} {}\n", name, format_labels(series.labels), value);
    }
  }
  return out;
}

} // namespace starling::core
