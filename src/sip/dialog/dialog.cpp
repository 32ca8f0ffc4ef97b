// Dialog state (RFC 3261 §12) and the requests sent within a dialog.
#include "sip/dialog/dialog.h"

#include <algorithm>

#include <fmt/format.h>

#include "sip/comma_list.h"
#include "sip/name_addr.h"

namespace starling::sip {
namespace {

std::vector<std::string> record_routes(const Message& message) {
  std::vector<std::string> routes;
  for (const auto& header : message.headers()) {
    if (header.id != HeaderId::record_route) {
      continue;
    }
    for (const auto value : CommaList(header.value)) {
      routes.emplace_back(value);
    }
  }
  return routes;
}

std::string contact_uri(const Message& message) {
  const CommaList contacts(message.value(HeaderId::contact));
  if (contacts.begin() == contacts.end()) {
    return {};
  }
  const auto contact = parse_contact(*contacts.begin());
  if (!contact || contact->wildcard) {
    return {};
  }
  return std::string(contact->address.uri.text);
}

// Request-URI and Route (RFC 3261 §12.2.1.1): with a loose-routing first hop, the remote
// target and the whole route set. Strict routers (RFC 2543) are not supported: every SIP
// element deployed today record-routes with ;lr.
RequestBuilder start_request(const Dialog& dialog, std::string_view method) {
  RequestBuilder request(method, dialog.remote_target);
  for (const auto& route : dialog.route_set) {
    request.add_header("Route", route);
  }
  return request;
}

void add_dialog_headers(RequestBuilder& request, const Dialog& dialog, std::uint32_t cseq,
                        std::string_view method) {
  request.add_header("From", fmt::format("{};tag={}", dialog.local_uri, dialog.local_tag))
      .add_header("To", dialog.remote_tag.empty()
                            ? dialog.remote_uri
                            : fmt::format("{};tag={}", dialog.remote_uri, dialog.remote_tag))
      .add_header("Call-ID", dialog.call_id)
      .add_header("CSeq", fmt::format("{} {}", cseq, method));
}

} // namespace

std::string without_tag(const NameAddr& address) {
  if (address.display_name.empty()) {
    return fmt::format("<{}>", address.uri.text);
  }
  return address.display_name_quoted
             ? fmt::format("\"{}\" <{}>", address.display_name, address.uri.text)
             : fmt::format("{} <{}>", address.display_name, address.uri.text);
}

Dialog dialog_as_uas(const Message& request, const ValidatedRequest& parsed,
                     std::string_view local_tag) {
  Dialog dialog;
  dialog.call_id = std::string(parsed.call_id);
  dialog.local_tag = std::string(local_tag);
  dialog.remote_tag = std::string(parsed.from.tag());
  dialog.local_uri = without_tag(parsed.to);
  dialog.remote_uri = without_tag(parsed.from);
  dialog.remote_target = contact_uri(request);
  dialog.route_set = record_routes(request);
  dialog.remote_cseq = parsed.cseq.number;
  // RFC 3261 §12.1.1: our first request picks its own CSeq; starting at 1 is as good as any.
  dialog.local_cseq = 0;
  return dialog;
}

std::optional<Dialog> dialog_as_uac(const Message& response, const ValidatedResponse& parsed,
                                    std::uint32_t cseq) {
  if (parsed.to.tag().empty()) {
    return std::nullopt;
  }
  Dialog dialog;
  dialog.call_id = std::string(parsed.call_id);
  dialog.local_tag = std::string(parsed.from.tag());
  dialog.remote_tag = std::string(parsed.to.tag());
  dialog.local_uri = without_tag(parsed.from);
  dialog.remote_uri = without_tag(parsed.to);
  dialog.remote_target = contact_uri(response);
  auto routes = record_routes(response);
  std::ranges::reverse(routes); // RFC 3261 §12.1.2: the UAC's route set is reversed
  dialog.route_set = std::move(routes);
  dialog.local_cseq = cseq;
  return dialog;
}

void refresh_remote_target(Dialog& dialog, const Message& message) {
  if (auto target = contact_uri(message); !target.empty()) {
    dialog.remote_target = std::move(target);
  }
}

RequestBuilder dialog_request(Dialog& dialog, std::string_view method) {
  auto request = start_request(dialog, method);
  add_dialog_headers(request, dialog, ++dialog.local_cseq, method);
  return request;
}

RequestBuilder dialog_ack(const Dialog& dialog, std::uint32_t invite_cseq) {
  auto request = start_request(dialog, "ACK");
  add_dialog_headers(request, dialog, invite_cseq, "ACK");
  return request;
}

bool accept_remote_cseq(Dialog& dialog, std::uint32_t cseq) {
  if (dialog.remote_cseq && cseq < *dialog.remote_cseq) {
    return false;
  }
  dialog.remote_cseq = cseq;
  return true;
}

} // namespace starling::sip
