// Detached XEP-0198 sessions, each with the timer that ends it.
#include "xmpp/server/resumable_sessions.h"

#include <spdlog/spdlog.h>

#include "xmpp/xml/namespaces.h"

namespace starling::xmpp::server {

namespace {

// RFC 6121 §8.5.2.2: only chat and normal messages are stored offline; the rest (groupchat,
// headline, errors, presence, iq) are meaningless later.
bool is_storable_message(const xml::Element& stanza) {
  if (!stanza.is(xml::kClientNamespace, "message")) {
    return false;
  }
  const auto type = stanza.attribute("type").value_or("normal");
  return type == "chat" || type == "normal";
}

} // namespace

void end_session_saving_messages(im::Router& router, im::OfflineStore& offline,
                                 SessionHandle& handle, std::deque<xml::Element> undelivered) {
  router.on_session_closed(handle, handle.jid());
  for (auto& stanza : handle.take_queued()) {
    undelivered.push_back(std::move(stanza));
  }
  for (auto& stanza : undelivered) {
    if (is_storable_message(stanza)) {
      offline.store(handle.jid().bare(), std::move(stanza));
    }
  }
}

ResumableSessions::ResumableSessions(boost::asio::any_io_executor executor, im::Router& router,
                                     im::OfflineStore& offline, XmppMetrics& metrics)
    : executor_(std::move(executor)), router_(router), offline_(offline), metrics_(metrics) {}

void ResumableSessions::detach(DetachedSession session) {
  // The phone may never have got what it did not acknowledge: wake it (XEP-0357) as for
  // messages that come while it is away.
  for (const auto& stanza : session.management.unacked()) {
    router_.user_delivery().on_unacknowledged(session.handle->jid().bare(), stanza);
  }
  const auto timeout = session.management.resumption_timeout();
  auto id = session.management.id();
  auto expiry = std::make_unique<boost::asio::steady_timer>(executor_, timeout);
  // Resuming or ending the session destroys the timer, which calls this with an error: the
  // registry is not touched then, so it may be gone.
  expiry->async_wait([this, id](const boost::system::error_code& error) {
    if (error) {
      return;
    }
    if (auto entry = detached_.find(id); entry != detached_.end()) {
      spdlog::info("xmpp: {} was not resumed in time; session ended",
                   entry->second.session.handle->jid().to_string());
      end(entry);
    }
  });
  detached_.insert_or_assign(std::move(id), Entry{std::move(session), std::move(expiry)});
}

std::optional<DetachedSession> ResumableSessions::resume(std::string_view previd, const Jid& user) {
  auto entry = detached_.find(previd);
  if (entry == detached_.end() || entry->second.session.handle->jid().bare() != user) {
    return std::nullopt;
  }
  auto session = std::move(entry->second.session);
  detached_.erase(entry);
  return session;
}

void ResumableSessions::end_bound_to(const Jid& full) {
  for (auto entry = detached_.begin(); entry != detached_.end(); ++entry) {
    if (entry->second.session.handle->jid() == full) {
      end(entry);
      return;
    }
  }
}

void ResumableSessions::end_all() {
  while (!detached_.empty()) {
    end(detached_.begin());
  }
}

void ResumableSessions::end(Entries::iterator entry) {
  auto session = std::move(entry->second.session);
  detached_.erase(entry);
  metrics_.sessions.add(-1);
  end_session_saving_messages(router_, offline_, *session.handle,
                              session.management.take_unacked());
}

} // namespace starling::xmpp::server
