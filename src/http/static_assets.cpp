// The embedded web UI's files answered to browsers, with the caching rules of a bundled app.
#include "http/static_assets.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <utility>

#include <fmt/format.h>

#include "http/error_response.h"
#include "http/request_path.h"

namespace starling::http {

namespace {

constexpr std::string_view kIndex = "index.html";

constexpr std::array<std::pair<std::string_view, std::string_view>, 20> kContentTypes = {{
    {"html", "text/html; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"json", "application/json"},
    {"map", "application/json"},
    {"webmanifest", "application/manifest+json"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"ico", "image/x-icon"},
    {"woff", "font/woff"},
    {"woff2", "font/woff2"},
    {"ttf", "font/ttf"},
    {"txt", "text/plain; charset=utf-8"},
    {"wasm", "application/wasm"},
    {"yaml", "application/yaml"},
}};

std::string_view file_name(std::string_view path) {
  return path.substr(path.rfind('/') + 1);
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

bool iequals(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

// FNV-1a: stable across runs and builds, so an ETag survives a restart of the same build.
std::string etag_of(std::string_view content, std::string_view suffix) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : content) {
    hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  }
  return fmt::format("\"{:016x}{}\"", hash, suffix);
}

// If-None-Match (RFC 9110 §13.1.2): "*" or a list of entity tags, compared weakly.
bool none_match_hits(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    const auto comma = header.find(',');
    auto tag = trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    if (tag.starts_with("W/")) {
      tag.remove_prefix(2);
    }
    if (tag == "*" || tag == etag) {
      return true;
    }
  }
  return false;
}

} // namespace

std::string_view content_type_for(std::string_view path) {
  const auto name = file_name(path);
  const auto dot = name.rfind('.');
  if (dot != std::string_view::npos) {
    const auto extension = name.substr(dot + 1);
    for (const auto& [known, type] : kContentTypes) {
      if (iequals(extension, known)) {
        return type;
      }
    }
  }
  return "application/octet-stream";
}

bool has_content_hash(std::string_view path) {
  auto stem = file_name(path);
  stem = stem.substr(0, stem.rfind('.'));
  const auto separator = stem.find_last_of("-.");
  if (separator == std::string_view::npos) {
    return false;
  }
  const auto hash = stem.substr(separator + 1);
  // Eight or more letters and digits with at least one digit: "settings" is a word, not a
  // hash. A hash without digits is missed, which only costs a revalidation.
  return hash.size() >= 8 &&
         std::ranges::all_of(
             hash,
             [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }) &&
         std::ranges::any_of(
             hash, [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

bool accepts_gzip(std::string_view accept_encoding) {
  while (!accept_encoding.empty()) {
    const auto comma = accept_encoding.find(',');
    const auto item = accept_encoding.substr(0, comma);
    accept_encoding =
        comma == std::string_view::npos ? std::string_view{} : accept_encoding.substr(comma + 1);
    const auto semicolon = item.find(';');
    const auto coding = trim(item.substr(0, semicolon));
    if (!iequals(coding, "gzip") && coding != "*") {
      continue;
    }
    if (semicolon == std::string_view::npos) {
      return true;
    }
    const auto parameter = trim(item.substr(semicolon + 1));
    if (!parameter.starts_with("q=") && !parameter.starts_with("Q=")) {
      return true;
    }
    // q=0, q=0.0, q=0.00, q=0.000 refuse; any other weight accepts.
    const auto weight = parameter.substr(2);
    return !std::ranges::all_of(weight, [](char c) { return c == '0' || c == '.'; });
  }
  return false;
}

StaticAssets::StaticAssets(std::span<const EmbeddedFile> files) {
  for (const auto& file : files) {
    assets_.emplace(std::string(file.path),
                    Asset{&file, content_type_for(file.path), etag_of(file.content, ""),
                          etag_of(file.content, "-gzip"),
                          file_name(file.path) != kIndex && has_content_hash(file.path)});
  }
}

const StaticAssets::Asset* StaticAssets::find(std::string_view path) const {
  path.remove_prefix(std::min<std::size_t>(1, path.size())); // the leading '/'
  if (path.empty() || path.ends_with('/')) {
    const auto index = assets_.find(std::string(path) + std::string(kIndex));
    return index == assets_.end() ? nullptr : &index->second;
  }
  if (const auto found = assets_.find(path); found != assets_.end()) {
    return &found->second;
  }
  if (file_name(path).find('.') == std::string_view::npos) {
    const auto index = assets_.find(kIndex);
    return index == assets_.end() ? nullptr : &index->second;
  }
  return nullptr;
}

Response StaticAssets::serve(const Request& request) const {
  if (request.method() != Verb::get && request.method() != Verb::head) {
    auto refused = error_response(request, Status::method_not_allowed,
                                  "the web UI's files can only be read (GET or HEAD)");
    refused.set(Field::allow, "GET, HEAD");
    return refused;
  }
  const Asset* asset = find(target_path(request.target()));
  if (asset == nullptr) {
    return error_response(request, Status::not_found, "no such page");
  }
  const bool gzip = !asset->file->gzipped.empty() && accepts_gzip(request[Field::accept_encoding]);
  const auto& etag = gzip ? asset->gzipped_etag : asset->etag;
  const bool not_modified = none_match_hits(request[Field::if_none_match], etag);

  Response response{not_modified ? Status::not_modified : Status::ok, request.version()};
  response.set(Field::etag, etag);
  response.set(Field::vary, "Accept-Encoding");
  response.set(Field::cache_control,
               asset->immutable ? "public, max-age=31536000, immutable" : "no-cache");
  response.keep_alive(request.keep_alive());
  if (not_modified) {
    return response;
  }
  response.set(Field::content_type, asset->content_type);
  if (gzip) {
    response.set(Field::content_encoding, "gzip");
  }
  const auto body = gzip ? asset->file->gzipped : asset->file->content;
  if (request.method() == Verb::head) {
    response.content_length(body.size());
  } else {
    response.body().assign(body);
    response.prepare_payload();
  }
  return response;
}

} // namespace starling::http
