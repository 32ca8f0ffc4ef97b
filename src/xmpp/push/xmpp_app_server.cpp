// Push notifications published over XMPP (XEP-0357 §7).
#include "xmpp/push/xmpp_app_server.h"

#include <charconv>

#include <spdlog/spdlog.h>

#include "xmpp/im/data_form.h"
#include "xmpp/im/namespaces.h"
#include "xmpp/pep/pubsub_namespaces.h"
#include "xmpp/push/push_namespaces.h"
#include "xmpp/xml/namespaces.h"

namespace starling::xmpp::push {

namespace {

constexpr std::string_view kIdPrefix = "push-";

} // namespace

xml::Element notification_request(const Jid& user, const Registration& registration,
                                  const Summary& summary, std::string_view id) {
  xml::Element iq(xml::kClientNamespace, "iq");
  iq.set_attribute("type", "set")
      .set_attribute("from", user.to_string())
      .set_attribute("to", registration.jid)
      .set_attribute("id", id);
  auto& pubsub = iq.append(xml::Element(pep::kPubsubNamespace, "pubsub"));
  auto& publish = pubsub.append(xml::Element(pep::kPubsubNamespace, "publish"));
  publish.set_attribute("node", registration.node);
  auto& form = publish.append(xml::Element(pep::kPubsubNamespace, "item"))
                   .append(xml::Element(kPushNamespace, "notification"))
                   .append(xml::Element(im::kDataFormsNamespace, "x"));
  form.set_attribute("type", "submit");
  form.append(im::form_field("FORM_TYPE", kSummaryFormType, "hidden"));
  form.append(im::form_field("message-count", std::to_string(summary.message_count)));
  if (!summary.last_message_sender.empty()) {
    form.append(im::form_field("last-message-sender", summary.last_message_sender));
  }
  if (summary.last_message_body) {
    form.append(im::form_field("last-message-body", *summary.last_message_body));
  }
  if (registration.publish_options) {
    // §7: what the client gave when enabling goes along, e.g. the app server's secret.
    pubsub.append(xml::Element(pep::kPubsubNamespace, "publish-options"))
        .append(*registration.publish_options);
  }
  return iq;
}

void XmppAppServer::notify(const Jid& user, const Registration& registration,
                           const Summary& summary, std::function<void()> refused) {
  const auto app_server = Jid::parse(registration.jid);
  im::Resource* target =
      app_server && !app_server->is_bare() ? sessions_.find(*app_server) : nullptr;
  if (target == nullptr) {
    if (last_unreachable_ != registration.jid) {
      spdlog::info("xmpp: push app server {} of {} is not connected to this server; "
                   "notification not sent",
                   registration.jid, user.to_string());
      last_unreachable_ = registration.jid;
    }
    return;
  }
  const auto number = next_id_++;
  target->session->deliver(notification_request(user, registration, summary,
                                                std::string(kIdPrefix) + std::to_string(number)));
  if (pending_.size() >= kMaxPending) {
    pending_.erase(pending_.begin());
  }
  pending_.emplace(number, Pending{*app_server, std::move(refused)});
}

bool XmppAppServer::on_response(im::Resource& sender, const xml::Element& iq) {
  const auto id = iq.attribute("id").value_or("");
  std::uint64_t number = 0;
  if (!id.starts_with(kIdPrefix) ||
      std::from_chars(id.data() + kIdPrefix.size(), id.data() + id.size(), number).ec !=
          std::errc{}) {
    return false;
  }
  const auto found = pending_.find(number);
  if (found == pending_.end() || found->second.app_server != sender.jid) {
    return false;
  }
  auto pending = std::move(found->second);
  pending_.erase(found);
  if (iq.attribute("type") == "error") {
    pending.refused(); // §7.1: the registration counts as disabled
  }
  return true;
}

} // namespace starling::xmpp::push
