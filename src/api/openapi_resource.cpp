// /openapi.yaml: the API's own description, docs/openapi.yaml as built into the binary.
#include <span>

#include "api/resources.h"
#include "http/embedded_file.h"

namespace starling::api {

// Generated from docs/openapi.yaml by starling_embed_files (src/api/CMakeLists.txt).
std::span<const http::EmbeddedFile> openapi_files();

void add_openapi_routes(Router& router) {
  router.add({http::Verb::get, "/openapi.yaml", Audience::everyone, Scope::directory_read,
              [](const ApiCall& call) {
                http::Response response{http::Status::ok, call.request.version()};
                response.set(http::Field::content_type, "application/yaml");
                response.keep_alive(call.request.keep_alive());
                response.body() = openapi_files().front().content;
                response.prepare_payload();
                return response;
              }});
}

} // namespace starling::api
