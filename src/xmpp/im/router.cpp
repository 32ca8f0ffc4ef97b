// Routes stanzas between local users (RFC 6120 §8, §10; RFC 6121 §8).
#include "xmpp/im/router.h"

#include <algorithm>
#include <array>
#include <ranges>
#include <string_view>
#include <utility>

#include "xmpp/im/archiving.h"
#include "xmpp/im/mam_query.h"
#include "xmpp/im/namespaces.h"
#include "xmpp/im/stanza_error.h"
#include "xmpp/xml/namespaces.h"

namespace starling::xmpp::im {

namespace {

using enum StanzaErrorCondition;

// RFC 6121 §4.7.1: the presence types a client may send ("probe" is the servers' own).
constexpr std::array<std::string_view, 7> kPresenceTypes = {
    "unavailable", "subscribe", "subscribed", "unsubscribe", "unsubscribed", "probe", "error"};

std::string canonical_domain(std::string_view domain) {
  auto jid = Jid::parse(domain);
  return jid && jid->local().empty() && jid->is_bare() ? jid->domain() : std::string(domain);
}

} // namespace

Router::Router(std::string_view domain, Roster& roster, OfflineStore& offline,
               MessageArchive& archive)
    : domain_(canonical_domain(domain)), archive_(archive),
      user_delivery_(domain_, sessions_, roster, offline), presence_(sessions_, roster, offline),
      subscriptions_(domain_, roster, sessions_, presence_, roster_pushes_),
      roster_iq_(roster, roster_pushes_, subscriptions_), server_iq_(domain_) {
  add_iq_handler(roster_iq_);
}

void Router::on_session_bound(Session& session, const Jid& full) {
  sessions_.bind(session, full);
}

void Router::on_session_closed(Session& session, const Jid& full) {
  if (auto removed = sessions_.unbind(session, full)) {
    presence_.on_closed(*removed);
    tell_components_gone(full);
    tell_observers_gone(full);
  }
}

void Router::add_component(Component& component) {
  components_.push_back(&component);
  server_iq_.add_item(component.domain());
}

void Router::tell_components_gone(const Jid& full) {
  for (auto* component : components_) {
    component->on_resource_gone(full);
  }
}

void Router::tell_observers_gone(const Jid& full) {
  for (auto* observer : observers_) {
    observer->on_unavailable(full);
  }
}

void Router::set_phone_call(const Jid& user, std::optional<std::string_view> call_state) {
  auto phone = user.bare().with_resource(kPhoneResource);
  if (!phone) {
    return;
  }
  presence_.set_phone_call(user.bare(), call_state);
  if (!call_state) {
    on_session_closed(phone_session_, *phone); // unavailable from the phone resource
    return;
  }
  Resource* resource = sessions_.find(*phone);
  if (resource == nullptr) {
    resource = &sessions_.bind(phone_session_, *phone);
  }
  auto presence = phone_resource_presence(*call_state);
  presence.set_attribute("from", phone->to_string());
  presence_.on_broadcast(*resource, presence);
}

void Router::on_stanza(Session& session, const Jid& from, const xml::Element& stanza) {
  Resource* sender = sessions_.find(from);
  if (sender == nullptr || sender->session != &session || stanza.ns() != xml::kClientNamespace) {
    return;
  }
  // RFC 6120 §8.1.2.1: 'from' is the full JID the stream bound, whatever the client wrote.
  xml::Element stamped = stanza;
  stamped.set_attribute("from", from.to_string());
  if (stopped_by_filter(*sender, stamped)) {
    return;
  }
  if (stanza.name() == "message") {
    on_message(*sender, stamped);
  } else if (stanza.name() == "presence") {
    on_presence(*sender, stamped);
  } else if (stanza.name() == "iq") {
    on_iq(*sender, stamped);
  }
}

void Router::reply(Resource& sender, const xml::Element& stanza) {
  sender.session->deliver(stanza);
}

Router::Destination Router::destination(Resource& sender, const xml::Element& stanza) {
  const auto to_text = stanza.attribute("to");
  if (!to_text) {
    return {};
  }
  auto to = Jid::parse(*to_text);
  if (!to) {
    // RFC 6120 §8.3.3.8; the error comes from the server, the 'to' being no address.
    if (!is_error(stanza)) {
      reply(sender, make_error_reply(stanza, jid_malformed, domain_));
    }
    return {.to = std::nullopt, .answered = true};
  }
  for (auto* component : components_) {
    if (to->domain() == component->domain()) {
      component->on_stanza(sender.jid, stanza);
      return {.to = std::nullopt, .answered = true};
    }
  }
  if (to->domain() != domain_) {
    // RFC 6120 §8.3.3.15: there is no server-to-server connection to reach other domains.
    if (!is_error(stanza)) {
      reply(sender, make_error_reply(stanza, remote_server_not_found));
    }
    return {.to = std::nullopt, .answered = true};
  }
  return {.to = std::move(*to)};
}

void Router::on_message(Resource& sender, const xml::Element& message) {
  auto dest = destination(sender, message);
  if (dest.answered) {
    return;
  }
  // RFC 6120 §10.3.1: a message with no 'to' is for the sender's own bare JID.
  const Jid to = dest.to ? std::move(*dest.to) : sender.jid.bare();
  const auto type = message_type(message);
  if (!user_delivery_.is_local_user(to)) {
    // RFC 6121 §8.5.1 (and RFC 6120 §10.3 for the server itself): no one to take it.
    if (type != "error" && type != "headline") {
      reply(sender, make_error_reply(message, service_unavailable));
    }
    return;
  }
  const auto routed = archive_exchange(archive_, sender.jid, to, message); // XEP-0313
  if (is_private(routed)) {
    deliver_message_to_user(sender, to, without_private(routed)); // XEP-0280 §9: no copies
    return;
  }
  const auto delivered = deliver_message_to_user(sender, to, routed);
  carbons_.copy(sender, to, routed, delivered);
}

std::vector<Resource*> Router::deliver_message_to_user(Resource& sender, const Jid& to,
                                                       const xml::Element& message) {
  auto outcome = user_delivery_.deliver(to, message);
  if (outcome.refused) {
    reply(sender, make_error_reply(message, service_unavailable));
  }
  return std::move(outcome.delivered);
}

void Router::on_presence(Resource& sender, const xml::Element& presence) {
  if (auto type = presence.attribute("type");
      type && std::ranges::find(kPresenceTypes, *type) == kPresenceTypes.end()) {
    reply(sender, make_error_reply(presence, bad_request)); // RFC 6120 §8.2.2
    return;
  }
  if (const auto type = parse_subscription_type(presence.attribute("type").value_or(""))) {
    if (const auto contact = subscription_contact(presence)) {
      subscriptions_.on_outbound(sender.jid.bare(), *contact, *type, presence);
      return;
    }
  }
  auto dest = destination(sender, presence);
  if (dest.answered) {
    return;
  }
  if (!dest.to) {
    presence_.on_broadcast(sender, presence);
    const auto type = presence.attribute("type");
    if (type == "unavailable") {
      tell_components_gone(sender.jid); // RFC 6121 §4.6.3: directed presence ends too
      tell_observers_gone(sender.jid);
    } else if (!type) {
      for (auto* observer : observers_) {
        observer->on_available(sender, presence);
      }
    }
  } else if (!dest.to->local().empty()) {
    presence_.on_directed(sender, *dest.to, presence);
  }
  // Presence to the server itself carries nothing the server acts on.
}

std::optional<Jid> Router::subscription_contact(const xml::Element& presence) const {
  auto to = Jid::parse(presence.attribute("to").value_or(""));
  if (!to || to->local().empty() ||
      std::ranges::any_of(components_, [&](const Component* component) {
        return to->domain() == component->domain();
      })) {
    return std::nullopt;
  }
  return to->bare();
}

void Router::query_archive(Resource& sender, const xml::Element& iq) {
  auto request = parse_archive_query(iq);
  if (!request) {
    reply(sender, make_error_reply(iq, request.error()));
    return;
  }
  // The sender may be gone when the answer comes: it is looked up again by its full JID.
  archive_.query(sender.jid.bare(), request->filter,
                 [this, requester = sender.jid, iq,
                  query_id = std::move(request->query_id)](const ArchiveAnswer& answer) {
                   if (Resource* resource = sessions_.find(requester)) {
                     for (const auto& stanza :
                          archive_query_answer(requester, iq, query_id, answer)) {
                       resource->session->deliver(stanza);
                     }
                   }
                 });
}

void Router::on_iq(Resource& sender, const xml::Element& iq) {
  const auto type = iq.attribute("type");
  const bool request = type == "get" || type == "set";
  const bool response = type == "result" || type == "error";
  if (!request && !response) {
    reply(sender, make_error_reply(iq, bad_request)); // RFC 6120 §8.2.3: no or unknown type
    return;
  }
  if (request) {
    // RFC 6120 §8.2.3: a request has an id and exactly one payload element.
    if (!iq.attribute("id") || std::ranges::distance(iq.elements()) != 1) {
      reply(sender, make_error_reply(iq, bad_request));
      return;
    }
  }
  auto dest = destination(sender, iq);
  if (dest.answered) {
    return;
  }
  // RFC 6120 §10.3.3 and RFC 6121 §8.5.2.1.3: no 'to', the domain or the sender's own bare
  // JID — the server answers (on the account's behalf for the bare JID).
  const bool to_server = !dest.to || dest.to->local().empty() || *dest.to == sender.jid.bare();
  if (to_server) {
    if (is_archive_query(iq) && (!dest.to || !dest.to->local().empty())) {
      query_archive(sender, iq); // the user's own archive (XEP-0313 §4); no domain archive
      return;
    }
    if (request && handled_by_extension(sender, std::nullopt, iq)) {
      return;
    }
    if (request) {
      auto carbons_answer = switch_carbons(sender, iq);
      reply(sender, carbons_answer ? *carbons_answer : server_iq_.answer(sender.jid, iq));
      return;
    }
    // RFC 6120 §8.2.3: results and errors to the server end there, with the feature that
    // asked if there is one.
    for (auto* handler : iq_handlers_) {
      if (handler->on_response(sender, iq)) {
        break;
      }
    }
    return;
  }
  const Jid& to = *dest.to;
  // §8.5.3.1: to an online full JID, forwarded. Everything else — no account, another
  // user's bare JID (no per-account services yet), a resource not online — is a request
  // nobody will answer (§8.5.1, §8.5.2.1.3, §8.5.3.2.1).
  if (Resource* target = to.is_bare() ? nullptr : sessions_.find(to)) {
    target->session->deliver(iq);
  } else if (request && to.is_bare() && handled_by_extension(sender, to, iq)) {
    return; // e.g. a colleague's vCard, answered on the account's behalf
  } else if (request) {
    reply(sender, make_error_reply(iq, service_unavailable));
  } else if (to.is_bare()) {
    // An answer to a request the server sent on the account's behalf (XEP-0357's
    // notifications come from the user's bare JID).
    for (auto* handler : iq_handlers_) {
      if (handler->on_response(sender, iq)) {
        break;
      }
    }
  }
}

bool Router::stopped_by_filter(Resource& sender, const xml::Element& stanza) {
  const auto to_text = stanza.attribute("to");
  if (!to_text) {
    return false;
  }
  const auto to = Jid::parse(*to_text);
  // The server and the user's own account are never blocked; a malformed 'to' is answered
  // by destination().
  if (!to || (to->local().empty() && to->is_bare() && to->domain() == domain_) ||
      to->bare() == sender.jid.bare()) {
    return false;
  }
  return std::ranges::any_of(delivery_filters_, [&](DeliveryFilter* filter) {
    return filter->stops(sender, *to, stanza);
  });
}

bool Router::allows_delivery(const xml::Element& stanza, const Jid& recipient) const {
  return std::ranges::all_of(delivery_filters_, [&](const DeliveryFilter* filter) {
    return filter->allows(stanza, recipient);
  });
}

bool Router::handled_by_extension(Resource& sender, const std::optional<Jid>& to,
                                  const xml::Element& iq) {
  return std::ranges::any_of(
      iq_handlers_, [&](IqHandler* handler) { return handler->on_request(sender, to, iq); });
}

} // namespace starling::xmpp::im
