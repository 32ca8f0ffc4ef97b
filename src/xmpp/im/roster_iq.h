// The roster's iq requests (RFC 6121 §2): get, set (add or update an item) and remove, each
// change pushed to the user's interested resources.
#pragma once

#include "xmpp/im/iq_handler.h"
#include "xmpp/im/roster.h"
#include "xmpp/im/roster_push.h"
#include "xmpp/im/subscriptions.h"

namespace starling::xmpp::im {

class RosterIq final : public IqHandler {
public:
  // All must outlive the handler.
  RosterIq(Roster& roster, RosterPushes& pushes, Subscriptions& subscriptions)
      : roster_(roster), pushes_(pushes), subscriptions_(subscriptions) {}

  bool on_request(Resource& sender, const std::optional<Jid>& to, const xml::Element& iq) override;

private:
  [[nodiscard]] xml::Element answer_get(Resource& sender, const xml::Element& iq,
                                        const xml::Element& query) const;
  [[nodiscard]] xml::Element answer_set(const Jid& user, const xml::Element& iq,
                                        const xml::Element& query);

  Roster& roster_;
  RosterPushes& pushes_;
  Subscriptions& subscriptions_;
};

} // namespace starling::xmpp::im
