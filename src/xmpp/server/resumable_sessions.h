// Sessions whose connection was lost while XEP-0198 allows resuming them: they stay bound
// in the router until the client resumes them or the resumption timeout ends them.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "xmpp/c2s/stream_management.h"
#include "xmpp/im/offline_store.h"
#include "xmpp/im/router.h"
#include "xmpp/jid.h"
#include "xmpp/server/session_handle.h"
#include "xmpp/server/xmpp_metrics.h"

namespace starling::xmpp::server {

// A resource without a connection, waiting to be resumed (XEP-0198 §5).
struct DetachedSession {
  std::shared_ptr<SessionHandle> handle;
  c2s::StreamManagement management;
};

// Runs on the router's thread; `router`, `offline` and `metrics` must outlive it.
class ResumableSessions {
public:
  ResumableSessions(boost::asio::any_io_executor executor, im::Router& router,
                    im::OfflineStore& offline, XmppMetrics& metrics);

  // Keeps the session for its resumption timeout, keyed by its stream management id. The
  // messages it was sent but did not acknowledge count as waiting (push notifications).
  void detach(DetachedSession session);
  // The session `previd` names, taken out, if it is there and belongs to `user` (a bare JID):
  // another user who learnt the id cannot take the session over.
  [[nodiscard]] std::optional<DetachedSession> resume(std::string_view previd, const Jid& user);
  // RFC 6120 §7.7.2.2: a new stream bound this full JID; the detached one with it ends.
  void end_bound_to(const Jid& full);
  // The service stops: every detached session ends.
  void end_all();

private:
  struct Entry {
    DetachedSession session;
    std::unique_ptr<boost::asio::steady_timer> expiry;
  };
  using Entries = std::map<std::string, Entry, std::less<>>;

  void end(Entries::iterator entry);

  boost::asio::any_io_executor executor_;
  im::Router& router_;
  im::OfflineStore& offline_;
  XmppMetrics& metrics_;
  Entries detached_;
};

// Ends a bound session in the router; XEP-0198 §4: the chat and normal messages it was sent
// but the client did not acknowledge (or never got) wait offline instead of being lost.
void end_session_saving_messages(im::Router& router, im::OfflineStore& offline,
                                 SessionHandle& handle, std::deque<xml::Element> undelivered);

} // namespace starling::xmpp::server
