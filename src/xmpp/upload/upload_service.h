// The HTTP File Upload service (XEP-0363) at upload.DOMAIN: a component of the router that
// answers service discovery and hands out slots; UploadHttp takes the files.
#pragma once

#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "xmpp/im/component.h"
#include "xmpp/im/sessions.h"
#include "xmpp/jid.h"
#include "xmpp/upload/uploads.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::upload {

// "upload." + the server's domain, where clients find the service (XEP-0363 §3).
std::string upload_domain(std::string_view server_domain);

// Runs on the router's thread. Only local users reach it (the router hands it their
// stanzas), so each of them may ask for slots, within the quota.
class UploadService final : public im::Component {
public:
  // `sessions` and `uploads` must outlive the service. The retention sweep's timer runs on
  // `router_thread`, the deleting on `workers`.
  UploadService(std::string domain, im::Sessions& sessions, Uploads& uploads,
                const boost::asio::any_io_executor& router_thread,
                boost::asio::any_io_executor workers);

  [[nodiscard]] const std::string& domain() const override { return domain_; }
  void on_stanza(const Jid& from, const xml::Element& stanza) override;
  void on_resource_gone(const Jid& /*full*/) override {}

  // Deletes the files past the retention now and then every hour, until stop().
  void start_retention();
  void stop();

private:
  void on_iq(const Jid& from, const xml::Element& iq);
  [[nodiscard]] xml::Element answer_request(const Jid& from, const xml::Element& iq,
                                            const xml::Element& request);
  void deliver(const Jid& to, const xml::Element& stanza);

  std::string domain_;
  im::Sessions& sessions_;
  Uploads& uploads_;
  boost::asio::steady_timer retention_timer_;
  boost::asio::any_io_executor workers_;
};

} // namespace starling::xmpp::upload
