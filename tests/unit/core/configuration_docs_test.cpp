#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "core/config_loader.h"

namespace starling::core {
namespace {

TEST(ConfigurationDocs, ListEveryKeyTheLoaderAccepts) {
  std::ifstream file(STARLING_CONFIGURATION_DOC);
  ASSERT_TRUE(file) << "cannot read " << STARLING_CONFIGURATION_DOC;
  std::stringstream text;
  text << file.rdbuf();
  for (const auto key : config_keys()) {
    const std::string documented = "`" + std::string(key) + "`";
    EXPECT_NE(text.str().find(documented), std::string::npos)
        << key << " is missing from docs/configuration.md";
  }
}

} // namespace
} // namespace starling::core
