#include <gtest/gtest.h>

#include "core/metrics.h"

namespace starling::core {
namespace {

TEST(MetricsRegistry, RendersCountersAndGaugesInPrometheusTextFormat) {
  MetricsRegistry registry;
  registry.counter("starling_test_requests_total", "Requests seen").increment(3);
  registry.gauge("starling_test_active", "Active things").set(-2);
  EXPECT_EQ(registry.render(), "# HELP starling_test_active Active things\n"
                               "# TYPE starling_test_active gauge\n"
                               "starling_test_active -2\n"
                               "# HELP starling_test_requests_total Requests seen\n"
                               "# TYPE starling_test_requests_total counter\n"
                               "starling_test_requests_total 3\n");
}

TEST(MetricsRegistry, SameNameAndLabelsReturnTheSameSeries) {
  MetricsRegistry registry;
  auto& first = registry.counter("starling_test_total", "help", {{"reason", "too_big"}});
  auto& again = registry.counter("starling_test_total", "help", {{"reason", "too_big"}});
  auto& other = registry.counter("starling_test_total", "help", {{"reason", "bad_syntax"}});
  first.increment();
  again.increment();
  other.increment();
  EXPECT_EQ(&first, &again);
  EXPECT_EQ(first.value(), 2U);
  EXPECT_EQ(other.value(), 1U);
}

TEST(MetricsRegistry, EscapesLabelValuesAndSortsLabels) {
  MetricsRegistry registry;
  registry.gauge("starling_test", "help", {{"z", "a\"b\\c\nd"}, {"a", "x"}}).set(1);
  EXPECT_NE(registry.render().find("starling_test{a=\"x\",z=\"a\\\"b\\\\c\\nd\"} 1\n"),
            std::string::npos);
}

TEST(MetricsRegistry, RefusesInvalidNamesAndTypeChanges) {
  MetricsRegistry registry;
  EXPECT_THROW(registry.counter("9starts_with_digit", "help"), std::invalid_argument);
  EXPECT_THROW(registry.counter("has space", "help"), std::invalid_argument);
  registry.counter("starling_test", "help");
  EXPECT_THROW(registry.gauge("starling_test", "help"), std::invalid_argument);
}

TEST(MetricsRegistry, ReferencesStayValidWhileMoreSeriesAreAdded) {
  MetricsRegistry registry;
  auto& first = registry.counter("starling_test_total", "help", {{"n", "0"}});
  for (int i = 1; i < 1000; ++i) {
    registry.counter("starling_test_total", "help", {{"n", std::to_string(i)}});
  }
  first.increment();
  EXPECT_EQ(first.value(), 1U);
}

} // namespace
} // namespace starling::core
