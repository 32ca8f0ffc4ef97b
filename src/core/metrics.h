// A registry of Prometheus metrics that services add to and the HTTP service exposes.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace starling::core {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

// A value that only goes up, such as messages received. Lock-free to update.
class Counter {
public:
  void increment(std::uint64_t by = 1) { value_.fetch_add(by, std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

private:
  std::atomic<std::uint64_t> value_{0};
};

// A value that goes up and down, such as active calls. Lock-free to update.
class Gauge {
public:
  void set(std::int64_t value) { value_.store(value, std::memory_order_relaxed); }
  void add(std::int64_t by) { value_.fetch_add(by, std::memory_order_relaxed); }
  [[nodiscard]] std::int64_t value() const { return value_.load(std::memory_order_relaxed); }

private:
  std::atomic<std::int64_t> value_{0};
};

// Owns every metric. Registration locks; the returned references stay valid for the
// registry's lifetime, so hot paths keep them and never look a metric up again.
class MetricsRegistry {
public:
  // Asking twice for the same name and labels returns the same metric.
  Counter& counter(const std::string& name, const std::string& help, MetricLabels labels = {});
  Gauge& gauge(const std::string& name, const std::string& help, MetricLabels labels = {});

  // The Prometheus text exposition format, version 0.0.4.
  [[nodiscard]] std::string render() const;

private:
  enum class Type { counter, gauge };
  struct Series {
    MetricLabels labels;
    std::unique_ptr<Counter> counter;
    std::unique_ptr<Gauge> gauge;
  };
  struct Family {
    std::string help;
    Type type;
    std::deque<Series> series; // a deque keeps references stable as it grows
  };

  Series& series(const std::string& name, const std::string& help, Type type, MetricLabels labels);

  mutable std::mutex mutex_;
  std::map<std::string, Family> families_;
};

} // namespace starling::core
