#include <set>
#include <sstream>

#include <boost/beast/http/verb.hpp>

#include "api_fixture.h"

namespace starling::api {
namespace {

using Operation = std::pair<std::string, std::string>; // method, path

// The operations under `paths:` in an OpenAPI document written as docs/openapi.yaml is: paths
// at two spaces of indentation, methods at four.
std::set<Operation> documented_operations(const std::string& yaml) {
  static const std::set<std::string> kMethods = {"get", "put", "post", "delete", "patch", "head"};
  std::set<Operation> operations;
  std::istringstream lines(yaml);
  std::string line;
  std::string path;
  bool in_paths = false;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.front() != ' ' && line.front() != '#') {
      in_paths = line == "paths:";
      continue;
    }
    if (!in_paths) {
      continue;
    }
    if (line.starts_with("  /") && line.ends_with(":")) {
      path = line.substr(2, line.size() - 3);
    } else if (line.starts_with("    ") && line[4] != ' ' && line.ends_with(":")) {
      const std::string method = line.substr(4, line.size() - 5);
      if (kMethods.contains(method)) {
        operations.emplace(method, path);
      }
    }
  }
  return operations;
}

TEST_F(ApiTest, OpenApiDocumentIsServedToEveryone) {
  const auto response = send(http::Verb::get, "/api/v1/openapi.yaml");
  EXPECT_EQ(response.result(), http::Status::ok);
  EXPECT_TRUE(response.body().starts_with("openapi: 3.1"));
}

TEST_F(ApiTest, OpenApiDocumentListsExactlyTheRoutesTheApiHas) {
  const auto yaml = send(http::Verb::get, "/api/v1/openapi.yaml").body();
  const auto documented = documented_operations(yaml);
  std::set<Operation> routed;
  for (const auto& route : api_->router().routes()) {
    std::string method(boost::beast::http::to_string(route.verb));
    std::ranges::transform(method, method.begin(), [](unsigned char c) { return std::tolower(c); });
    routed.emplace(method, route.pattern);
  }
  for (const auto& [method, path] : routed) {
    EXPECT_TRUE(documented.contains({method, path}))
        << method << " " << path << " is routed but not in docs/openapi.yaml";
  }
  for (const auto& [method, path] : documented) {
    EXPECT_TRUE(routed.contains({method, path}))
        << method << " " << path << " is in docs/openapi.yaml but not routed";
  }
}

} // namespace
} // namespace starling::api
