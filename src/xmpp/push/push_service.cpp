// Enabling and disabling push notifications (XEP-0357 §5, §6) and sending them (§7).
#include "xmpp/push/push_service.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "xmpp/im/namespaces.h"
#include "xmpp/im/stanza_error.h"
#include "xmpp/muc/muc_stanzas.h"
#include "xmpp/push/push_namespaces.h"
#include "xmpp/xml/namespaces.h"

namespace starling::xmpp::push {

namespace {

using enum im::StanzaErrorCondition;

std::string key_of(std::string_view jid, std::string_view node) {
  return std::string(jid) + " " + std::string(node);
}

} // namespace

bool is_push_worthy(const xml::Element& message) {
  const auto* body = message.child(xml::kClientNamespace, "body");
  if (body != nullptr && !body->text().empty()) {
    return true;
  }
  return std::ranges::any_of(message.elements(), [](const xml::Element& child) {
    return child.is("eu.siacs.conversations.axolotl", "encrypted") || // OMEMO (XEP-0384 0.3)
           child.is("urn:xmpp:omemo:2", "encrypted") ||               // OMEMO 2
           child.is("urn:xmpp:jingle-message:0", "propose") ||        // XEP-0353 §3.1
           child.is("jabber:x:conference", "x") ||                    // XEP-0249 invitation
           (child.is(muc::kMucUserNamespace, "x") &&                  // XEP-0045 §7.8.2
            child.child(muc::kMucUserNamespace, "invite") != nullptr);
  });
}

void PushService::announce(im::ServerIq& server_iq) {
  server_iq.add_feature(im::ServerIq::FeatureOf::account, std::string(kPushNamespace));
}

void PushService::set_app_server(std::string jid, AppServer& app_server) {
  app_servers_.insert_or_assign(std::move(jid), &app_server);
}

std::vector<Registration> PushService::registrations(std::string_view user) const {
  std::vector<Registration> out;
  for (const auto& [key, enable] : data_.list(user, kRegistrationKind)) {
    Registration registration{.jid = std::string(enable->attribute("jid").value_or("")),
                              .node = std::string(enable->attribute("node").value_or("")),
                              .publish_options = std::nullopt};
    if (const auto* form = enable->child(im::kDataFormsNamespace, "x")) {
      registration.publish_options = *form;
    }
    out.push_back(std::move(registration));
  }
  return out;
}

bool PushService::on_request(im::Resource& sender, const std::optional<Jid>& to,
                             const xml::Element& iq) {
  const auto& request = *iq.elements().begin();
  if (request.ns() != kPushNamespace || (!to && im::own_address(iq) == im::OwnAddress::server)) {
    return false;
  }
  const Jid owner = sender.jid.bare();
  if ((to && *to != owner) || !accounts_.has_account(owner.local())) {
    sender.session->deliver(im::make_error_reply(iq, forbidden)); // only for oneself
    return true;
  }
  const bool set = iq.attribute("type") == "set";
  if (set && request.name() == "enable") {
    sender.session->deliver(enable(owner, iq, request));
  } else if (set && request.name() == "disable") {
    sender.session->deliver(disable(owner, iq, request));
  } else {
    sender.session->deliver(im::make_error_reply(iq, bad_request));
  }
  return true;
}

xml::Element PushService::enable(const Jid& owner, const xml::Element& iq,
                                 const xml::Element& request) {
  // §5: the app server's JID and the node it provisioned.
  const auto jid = Jid::parse(request.attribute("jid").value_or(""));
  const auto node = request.attribute("node").value_or("");
  if (!jid || node.empty() || node.size() > kMaxNameSize) {
    return im::make_error_reply(iq, bad_request);
  }
  const auto jid_text = jid->to_string();
  const auto key = key_of(jid_text, node);
  const auto& user = owner.local();
  if (data_.find(user, kRegistrationKind, key) == nullptr &&
      data_.list(user, kRegistrationKind).size() >= kMaxRegistrationsPerUser) {
    return im::make_error_reply(iq, not_allowed);
  }
  xml::Element kept(kPushNamespace, "enable");
  kept.set_attribute("jid", jid_text).set_attribute("node", node);
  if (const auto* form = request.child(im::kDataFormsNamespace, "x")) {
    kept.append(*form); // §5: the latest enable's options count
  }
  data_.put(user, kRegistrationKind, key, std::move(kept));
  return im::make_result(iq);
}

xml::Element PushService::disable(const Jid& owner, const xml::Element& iq,
                                  const xml::Element& request) {
  const auto jid = Jid::parse(request.attribute("jid").value_or(""));
  if (!jid) {
    return im::make_error_reply(iq, bad_request); // §6: the 'jid' is required
  }
  const auto node = request.attribute("node");
  const auto jid_text = jid->to_string();
  for (const auto& registration : registrations(owner.local())) {
    // §6: the one node, or every node of the app server when none is named.
    if (registration.jid == jid_text && (!node || *node == registration.node)) {
      remove(owner.local(), key_of(registration.jid, registration.node));
    }
  }
  return im::make_result(iq);
}

void PushService::remove(std::string_view user, std::string_view key) {
  data_.remove(user, kRegistrationKind, key);
}

void PushService::on_message_waiting(const Jid& user, const xml::Element& message) {
  if (!is_push_worthy(message)) {
    return;
  }
  const auto registered = registrations(user.local());
  if (registered.empty()) {
    return;
  }
  auto& summary = waiting_[user.local()];
  ++summary.message_count;
  const auto sender = Jid::parse(message.attribute("from").value_or(""));
  summary.last_message_sender = sender ? sender->bare().to_string() : std::string();
  summary.last_message_body.reset();
  if (const auto* body = message.child(xml::kClientNamespace, "body");
      policy_.include_body && body != nullptr) {
    summary.last_message_body = body->text();
  }
  for (const auto& registration : registered) {
    const auto special = app_servers_.find(registration.jid);
    auto& app_server = special == app_servers_.end() ? app_server_ : *special->second;
    app_server.notify(user, registration, summary,
                      [this, user = user.local(), key = key_of(registration.jid, registration.node),
                       jid = registration.jid] {
                        spdlog::info("xmpp: push app server {} refused a notification for {}; "
                                     "registration disabled",
                                     jid, user);
                        remove(user, key);
                      });
  }
}

void PushService::on_available(im::Resource& resource, const xml::Element& /*presence*/) {
  waiting_.erase(resource.jid.local());
}

} // namespace starling::xmpp::push
