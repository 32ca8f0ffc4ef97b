// Answers disco and slot requests at upload.DOMAIN, and deletes expired files hourly.
#include "xmpp/upload/upload_service.h"

#include <chrono>
#include <utility>

#include <boost/asio/post.hpp>

#include "xmpp/im/data_form.h"
#include "xmpp/im/namespaces.h"
#include "xmpp/im/server_iq.h"
#include "xmpp/im/stanza_error.h"
#include "xmpp/upload/file_name.h"
#include "xmpp/upload/slot_request.h"

namespace starling::xmpp::upload {

namespace {

using enum im::StanzaErrorCondition;
using im::kDataFormsNamespace;
using im::kDiscoInfoNamespace;
using im::kDiscoItemsNamespace;

// Retention is counted in days; an hour late is close enough and costs one folder scan
// of nothing.
constexpr auto kSweepInterval = std::chrono::hours(1);

const xml::Element* payload(const xml::Element& iq) {
  auto elements = iq.elements();
  return elements.begin() == elements.end() ? nullptr : &*elements.begin();
}

// XEP-0363 §3: identity store/file, the feature, and max-file-size in an XEP-0128 form.
xml::Element disco_info(const xml::Element& iq, std::uint64_t max_file_size) {
  auto result = im::make_result(iq);
  auto& query = result.append(xml::Element(kDiscoInfoNamespace, "query"));
  query.append(xml::Element(kDiscoInfoNamespace, "identity"))
      .set_attribute("category", "store")
      .set_attribute("type", "file")
      .set_attribute("name", "HTTP File Upload");
  for (const auto feature : {kDiscoInfoNamespace, kUploadNamespace}) {
    query.append(xml::Element(kDiscoInfoNamespace, "feature")).set_attribute("var", feature);
  }
  auto& form = query.append(xml::Element(kDataFormsNamespace, "x"));
  form.set_attribute("type", "result");
  form.append(im::form_field("FORM_TYPE", kUploadNamespace, "hidden"));
  form.append(im::form_field("max-file-size", std::to_string(max_file_size)));
  return result;
}

} // namespace

std::string upload_domain(std::string_view server_domain) {
  // Canonical, as the router compares domains (the configured one may be in upper case).
  const auto server = Jid::parse(server_domain);
  return "upload." + (server ? server->domain() : std::string(server_domain));
}

UploadService::UploadService(std::string domain, im::Sessions& sessions, Uploads& uploads,
                             const boost::asio::any_io_executor& router_thread,
                             boost::asio::any_io_executor workers)
    : domain_(std::move(domain)), sessions_(sessions), uploads_(uploads),
      retention_timer_(router_thread), workers_(std::move(workers)) {}

void UploadService::deliver(const Jid& to, const xml::Element& stanza) {
  if (auto* resource = sessions_.find(to)) {
    resource->session->deliver(stanza);
  }
}

void UploadService::on_stanza(const Jid& from, const xml::Element& stanza) {
  if (im::is_error(stanza)) {
    return; // RFC 6120 §8.3.1
  }
  if (stanza.name() == "iq") {
    on_iq(from, stanza);
  } else if (stanza.name() == "message") {
    deliver(from, im::make_error_reply(stanza, service_unavailable)); // nobody reads them
  }
}

void UploadService::on_iq(const Jid& from, const xml::Element& iq) {
  const auto type = iq.attribute("type");
  if (type != "get" && type != "set") {
    return; // results and errors answer nothing of ours
  }
  const auto to = Jid::parse(iq.attribute("to").value_or(""));
  const auto* query = payload(iq);
  const bool get = type == "get";
  if (!to || !to->local().empty() || !to->is_bare()) {
    deliver(from, im::make_error_reply(iq, item_not_found)); // the service has no entities
  } else if (get && query != nullptr && query->is(kUploadNamespace, "request")) {
    deliver(from, answer_request(from, iq, *query));
  } else if (get && query != nullptr && query->is(kDiscoInfoNamespace, "query")) {
    deliver(from, query->attribute("node") ? im::make_error_reply(iq, item_not_found)
                                           : disco_info(iq, uploads_.max_file_size()));
  } else if (get && query != nullptr && query->is(kDiscoItemsNamespace, "query")) {
    auto result = im::make_result(iq);
    result.append(xml::Element(kDiscoItemsNamespace, "query"));
    deliver(from, result);
  } else {
    deliver(from, im::make_error_reply(iq, service_unavailable)); // RFC 6120 §8.4
  }
}

xml::Element UploadService::answer_request(const Jid& from, const xml::Element& iq,
                                           const xml::Element& request) {
  auto parsed = parse_slot_request(request);
  if (!parsed) {
    return error_with_text(iq, parsed.error(),
                           "The request needs a filename, a size in bytes and, if any, a valid "
                           "content-type");
  }
  const auto file_name = sanitize_file_name(parsed->file_name);
  if (!file_name) {
    return error_with_text(iq, not_acceptable, "This file name cannot be used");
  }
  auto slot =
      uploads_.grant(from.bare().to_string(), *file_name, parsed->size, parsed->content_type);
  if (!slot) {
    return slot.error().reason == SlotRefusal::Reason::file_too_large
               ? file_too_large(iq, slot.error().max_file_size)
               : quota_reached(iq, slot.error().retry);
  }
  return slot_result(iq, slot->put_url, slot->get_url);
}

void UploadService::start_retention() {
  if (uploads_.settings().retention.count() == 0) {
    return;
  }
  boost::asio::post(workers_, [&uploads = uploads_] { uploads.sweep(); });
  retention_timer_.expires_after(kSweepInterval);
  retention_timer_.async_wait([this](const boost::system::error_code& error) {
    if (!error) {
      start_retention();
    }
  });
}

void UploadService::stop() {
  retention_timer_.cancel();
}

} // namespace starling::xmpp::upload
