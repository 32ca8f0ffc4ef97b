// The HTTP half of XEP-0363 (§6): PUT stores a slot's file once, GET and HEAD serve it. The
// web server routes /upload/ here (app/ wires it), so it speaks Beast's messages directly.
#pragma once

#include <cstddef>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "xmpp/upload/uploads.h"

namespace starling::xmpp::upload {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;
using HttpRequestHeader = boost::beast::http::request_header<>;

// Files are served from the web UI's origin, so nothing uploaded may run there: only
// pictures, sound, video and plain text are shown in the browser ("inline"), everything
// else is served as application/octet-stream to download ("attachment"); and every answer
// carries a sandboxing Content-Security-Policy with no scripts.
inline constexpr std::string_view kUploadContentSecurityPolicy =
    "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox";

class UploadHttp {
public:
  // `uploads` must outlive it. Thread-safe: the web server calls it from its threads.
  explicit UploadHttp(Uploads& uploads) : uploads_(uploads) {}

  // The largest body the server should read for this request: a PUT to an unused slot
  // with the slot's Content-Length may carry the whole file; anything else keeps the
  // server's limit, so only slot holders can send large bodies.
  [[nodiscard]] std::size_t body_limit(const HttpRequestHeader& header,
                                       std::size_t server_limit) const;

  [[nodiscard]] HttpResponse handle(const HttpRequest& request) const;

private:
  [[nodiscard]] HttpResponse put(const HttpRequest& request, std::string_view slot_id,
                                 std::string_view file_name) const;
  [[nodiscard]] HttpResponse get(const HttpRequest& request, std::string_view slot_id,
                                 std::string_view file_name) const;

  Uploads& uploads_;
};

} // namespace starling::xmpp::upload
