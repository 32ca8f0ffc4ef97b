// Serves the embedded web UI: content types, gzip, ETags, caching and client-side routes.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>

#include "http/embedded_file.h"
#include "http/handler.h"

namespace starling::http {

class StaticAssets {
public:
  explicit StaticAssets(std::span<const EmbeddedFile> files);

  // GET and HEAD only (405 otherwise). A path that names no file and has no extension is a
  // route of the single-page app and gets index.html; any other unknown path gets 404.
  [[nodiscard]] Response serve(const Request& request) const;

private:
  struct Asset {
    const EmbeddedFile* file;
    std::string_view content_type;
    std::string etag;         // of the identity encoding
    std::string gzipped_etag; // a different representation needs a different strong ETag
    bool immutable;           // the name carries a content hash
  };

  [[nodiscard]] const Asset* find(std::string_view path) const;

  std::map<std::string, Asset, std::less<>> assets_;
};

// The Content-Type for a file name, by extension; application/octet-stream when unknown.
[[nodiscard]] std::string_view content_type_for(std::string_view path);

// Whether a bundler put a content hash in the name ("index-4f3a9c1b.js"): such files never
// change, so browsers may cache them for a year.
[[nodiscard]] bool has_content_hash(std::string_view path);

// Whether an Accept-Encoding header allows gzip (RFC 9110 §12.5.3; "gzip;q=0" refuses it).
[[nodiscard]] bool accepts_gzip(std::string_view accept_encoding);

} // namespace starling::http
