// The web server's route to XMPP file uploads (XEP-0363): /upload/ on the HTTPS port goes
// to the upload service's HTTP half.
#pragma once

#include "http/handler.h"
#include "xmpp/upload/upload_http.h"

namespace starling::app {

class XmppUploadRoute final : public http::Handler {
public:
  // `uploads` must outlive the route.
  explicit XmppUploadRoute(xmpp::upload::Uploads& uploads) : http_(uploads) {}

  http::Response handle(const http::Request& request,
                        const http::RequestContext& /*context*/) override {
    return http_.handle(request);
  }
  [[nodiscard]] std::size_t body_limit(const http::RequestHeader& header,
                                       std::size_t server_limit) const override {
    return http_.body_limit(header, server_limit);
  }

private:
  xmpp::upload::UploadHttp http_;
};

} // namespace starling::app
