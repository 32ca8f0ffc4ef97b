// Tests of cmake/StarlingEmbed.cmake: the files, their paths and their gzip forms in the binary.
#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "test_assets.h"

namespace starling::http {
namespace {

const EmbeddedFile* find(std::string_view path) {
  const auto files = test_assets();
  const auto found = std::ranges::find(files, path, &EmbeddedFile::path);
  return found == files.end() ? nullptr : &*found;
}

TEST(EmbeddedFiles, HoldEveryFileUnderItsSlashSeparatedPath) {
  ASSERT_EQ(test_assets().size(), 3U);
  EXPECT_NE(find("index.html"), nullptr);
  EXPECT_NE(find("assets/app-4f3a9c1b.js"), nullptr);
  EXPECT_NE(find("tiny.txt"), nullptr);
}

TEST(EmbeddedFiles, HoldTheBytesOfTheFile) {
  std::ifstream in(std::string(STARLING_HTTP_TEST_DATA) + "/index.html", std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(find("index.html")->content, text.str());
}

TEST(EmbeddedFiles, KeepAGzipFormOnlyWhenItIsSmaller) {
  const auto* script = find("assets/app-4f3a9c1b.js");
  EXPECT_FALSE(script->gzipped.empty());
  EXPECT_LT(script->gzipped.size(), script->content.size());
  EXPECT_EQ(script->gzipped.substr(0, 2), "\x1f\x8b"); // the gzip magic number
  EXPECT_TRUE(find("tiny.txt")->gzipped.empty());
}

} // namespace
} // namespace starling::http
