#include <gtest/gtest.h>

#include "core/json_log_formatter.h"

namespace starling::core {
namespace {

std::string format(std::string_view payload) {
  const spdlog::details::log_msg message("starling", spdlog::level::warn,
                                         spdlog::string_view_t(payload.data(), payload.size()));
  spdlog::memory_buf_t out;
  JsonLogFormatter().format(message, out);
  return {out.data(), out.size()};
}

TEST(JsonLogFormatter, WritesOneObjectPerLineWithLevelAndMessage) {
  const auto line = format("user added");
  EXPECT_TRUE(line.starts_with("{\"time\":\"")) << line;
  EXPECT_TRUE(line.ends_with(",\"level\":\"warning\",\"logger\":\"starling\","
                             "\"message\":\"user added\"}\n"))
      << line;
  EXPECT_EQ(std::count(line.begin(), line.end(), '\n'), 1);
}

TEST(JsonLogFormatter, EscapesQuotesBackslashesAndControlCharacters) {
  const auto line = format("a \"quoted\" \\ path\nnext\x01");
  EXPECT_NE(line.find(R"("message":"a \"quoted\" \\ path\nnext\u0001")"), std::string::npos)
      << line;
}

} // namespace
} // namespace starling::core
