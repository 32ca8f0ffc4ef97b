// PUT, GET, HEAD and CORS preflights of /upload/SLOT/NAME.
#include "xmpp/upload/upload_http.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>

#include <fmt/format.h>

#include "http/byte_range.h"
#include "xmpp/upload/file_name.h"
#include "xmpp/upload/slot_request.h"

namespace starling::xmpp::upload {

namespace {

namespace http = boost::beast::http;
using http::field;
using http::status;
using http::verb;
using starling::http::RangeChoice;

struct Target {
  std::string slot_id;
  std::string file_name;
};

// "/upload/SLOT/NAME" with NAME percent-encoded; nullopt for any other path.
std::optional<Target> parse_target(std::string_view target) {
  const auto path = target.substr(0, target.find_first_of("?#"));
  if (!path.starts_with(kUploadPath)) {
    return std::nullopt;
  }
  const auto rest = path.substr(kUploadPath.size());
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) {
    return std::nullopt;
  }
  auto file_name = decode_path_segment(rest.substr(slash + 1));
  if (!file_name || file_name->empty()) {
    return std::nullopt;
  }
  return Target{.slot_id = std::string(rest.substr(0, slash)), .file_name = std::move(*file_name)};
}

std::optional<std::uint64_t> content_length(const HttpRequestHeader& header) {
  const auto found = header.find(field::content_length);
  if (found == header.end()) {
    return std::nullopt;
  }
  const auto text = found->value();
  std::uint64_t length = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), length);
  if (error != std::errc{} || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return length;
}

// Web clients (converse.js, Movim) upload and fetch from their own origin. The URL is the
// only secret and no cookie is asked for, so any origin may.
void add_cors(HttpResponse& response) {
  response.set(field::access_control_allow_origin, "*");
  response.set(field::access_control_expose_headers, "Content-Disposition");
}

HttpResponse answer(const HttpRequest& request, status code, std::string_view text = {}) {
  HttpResponse response{code, request.version()};
  response.keep_alive(request.keep_alive());
  if (!text.empty()) {
    response.set(field::content_type, "text/plain; charset=utf-8");
    response.body() = std::string(text) + "\n";
  }
  response.prepare_payload();
  add_cors(response);
  response.set("Content-Security-Policy", kUploadContentSecurityPolicy);
  return response;
}

// Types a browser shows without running anything in the page's origin.
bool is_passive(std::string_view content_type) {
  auto base = std::string(content_type.substr(0, content_type.find(';')));
  std::ranges::transform(base, base.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
  });
  static constexpr std::array<std::string_view, 8> kImages = {
      "image/png",  "image/jpeg", "image/gif",  "image/webp",
      "image/avif", "image/heic", "image/heif", "text/plain"};
  return base.starts_with("audio/") || base.starts_with("video/") ||
         std::ranges::find(kImages, base) != kImages.end();
}

std::string_view refusal_text(PutRefusal refusal) {
  switch (refusal) {
  case PutRefusal::unknown_slot:
    return "no upload slot at this address";
  case PutRefusal::expired_slot:
    return "this upload slot has expired; ask for a new one";
  case PutRefusal::already_used:
    return "a file was already uploaded to this slot";
  case PutRefusal::wrong_length:
    return "the Content-Length is not the size the slot was asked for";
  case PutRefusal::wrong_type:
    return "the Content-Type is not the one the slot was asked for";
  case PutRefusal::not_stored:
    return "the server could not store the file; the log says why";
  }
  return "refused";
}

status refusal_status(PutRefusal refusal) {
  switch (refusal) {
  case PutRefusal::unknown_slot:
    return status::not_found;
  case PutRefusal::expired_slot:
    return status::forbidden;
  case PutRefusal::already_used:
    return status::conflict;
  case PutRefusal::wrong_length:
    return status::bad_request;
  case PutRefusal::wrong_type:
    return status::unsupported_media_type;
  case PutRefusal::not_stored:
    return status::internal_server_error;
  }
  return status::bad_request;
}

// RFC 9110 §14.2: a GET's Range. With If-Range the client wants the range only of the
// version it has; one URL here names one file forever, but a server that does not check the
// validator sends everything (§13.1.5), which is always right.
RangeChoice requested_range(const HttpRequest& request, std::uint64_t size) {
  const auto range = request.find(field::range);
  if (request.method() != verb::get || range == request.end() ||
      request.find(field::if_range) != request.end()) {
    return {};
  }
  return starling::http::choose_range(range->value(), size);
}

} // namespace

std::size_t UploadHttp::body_limit(const HttpRequestHeader& header,
                                   std::size_t server_limit) const {
  if (header.method() != verb::put) {
    return server_limit;
  }
  const auto target = parse_target(header.target());
  const auto length = content_length(header);
  if (!target || !length) {
    return server_limit;
  }
  const auto size = uploads_.pending_size(target->slot_id, target->file_name);
  if (!size || *size != *length) {
    return server_limit; // refused once read, with the reason
  }
  return std::max<std::size_t>(server_limit, *size);
}

HttpResponse UploadHttp::handle(const HttpRequest& request) const {
  const auto target = parse_target(request.target());
  if (!target) {
    return answer(request, status::not_found, "no upload at this address");
  }
  switch (request.method()) {
  case verb::put:
    return put(request, target->slot_id, target->file_name);
  case verb::get:
  case verb::head:
    return get(request, target->slot_id, target->file_name);
  case verb::options: {
    auto response = answer(request, status::no_content);
    response.set(field::access_control_allow_methods, "GET, HEAD, PUT, OPTIONS");
    response.set(field::access_control_allow_headers, "Content-Type");
    response.set(field::access_control_max_age, "86400");
    response.set(field::allow, "GET, HEAD, PUT, OPTIONS");
    return response;
  }
  default: {
    auto response = answer(request, status::method_not_allowed, "use PUT, GET or HEAD");
    response.set(field::allow, "GET, HEAD, PUT, OPTIONS");
    return response;
  }
  }
}

HttpResponse UploadHttp::put(const HttpRequest& request, std::string_view slot_id,
                             std::string_view file_name) const {
  // §6: the length must be declared, so that it can be checked before the body is read.
  if (!content_length(request.base())) {
    return answer(request, status::length_required, "a PUT needs a Content-Length");
  }
  std::optional<std::string_view> content_type;
  if (const auto found = request.find(field::content_type); found != request.end()) {
    content_type = found->value();
  }
  auto stored = uploads_.put(slot_id, file_name, content_type, request.body());
  if (!stored) {
    return answer(request, refusal_status(stored.error()), refusal_text(stored.error()));
  }
  return answer(request, status::created);
}

HttpResponse UploadHttp::get(const HttpRequest& request, std::string_view slot_id,
                             std::string_view file_name) const {
  std::optional<StoredFile> file;
  std::string body;
  if (request.method() == verb::head) {
    file = uploads_.find(slot_id, file_name);
  } else if (auto download = uploads_.download(slot_id, file_name)) {
    file = std::move(download->file);
    body = std::move(download->body);
  }
  if (!file) {
    return answer(request, status::not_found, "no file at this address (it may have expired)");
  }
  const bool passive = is_passive(file->content_type);
  HttpResponse response{status::ok, request.version()};
  response.keep_alive(request.keep_alive());
  response.set(field::content_type, passive ? file->content_type : "application/octet-stream");
  response.set(field::content_disposition,
               fmt::format("{}; filename*=UTF-8''{}", passive ? "inline" : "attachment",
                           encode_path_segment(file->file_name)));
  response.set("Content-Security-Policy", kUploadContentSecurityPolicy);
  // The URL names one file forever; the retention may delete it, not change it.
  response.set(field::cache_control, "private, max-age=604800, immutable");
  response.set(field::accept_ranges, "bytes");
  add_cors(response);
  // HEAD: the length of the GET's body, with none (RFC 9110 §9.3.2).
  response.content_length(file->size);
  const auto range = requested_range(request, file->size);
  if (range.kind == RangeChoice::Kind::unsatisfiable) {
    auto refused = answer(request, status::range_not_satisfiable);
    refused.set(field::content_range, fmt::format("bytes */{}", file->size));
    return refused;
  }
  if (range.kind == RangeChoice::Kind::partial) {
    const auto [first, last] = range.range;
    response.result(status::partial_content);
    response.set(field::content_range, fmt::format("bytes {}-{}/{}", first, last, file->size));
    body = body.substr(first, last - first + 1);
    response.content_length(body.size());
  }
  response.body() = std::move(body);
  return response;
}

} // namespace starling::xmpp::upload
