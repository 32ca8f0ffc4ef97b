// A user's roster (RFC 6121 §2): the shared items every colleague gets from the directory,
// and the user's personal contacts with their subscription states, which the user manages
// and the server keeps in UserData.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "xmpp/im/roster_item.h"
#include "xmpp/im/roster_source.h"
#include "xmpp/im/subscription_state.h"
#include "xmpp/im/user_data.h"
#include "xmpp/jid.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::im {

// UserData kinds, keyed by the contact's bare JID: the <item/> of each personal contact, and
// the <presence type='subscribe'/> of each request waiting for the user's answer (§3.1.3).
inline constexpr std::string_view kRosterKind = "roster";
inline constexpr std::string_view kPendingInKind = "roster-pending-in";

// Used on the router's thread. A contact that is also a shared item shows as the shared
// item: the directory's subscription is "both" and cannot change, so a personal item of the
// same JID (added before the colleague joined) stays in the store unseen.
class Roster final : public RosterSource {
public:
  // Both must outlive the roster.
  Roster(const RosterSource& shared, UserData& data) : shared_(shared), data_(data) {}

  // Shared items, then personal ones, as a roster get returns them (§2.1.3).
  [[nodiscard]] std::vector<RosterItem> roster(const Jid& user) const override;
  [[nodiscard]] bool has_account(std::string_view localpart) const override;

  [[nodiscard]] std::optional<RosterItem> find(const Jid& user, const Jid& contact) const;

  // A personal item added or changed by a roster set (§2.3): its name and groups; its
  // subscription and ask stay as they were (none for a new item).
  RosterItem set_item(const Jid& user, const Jid& contact, std::string name,
                      std::vector<std::string> groups);
  // Removes a personal item and any pending request from the contact (§2.5).
  void remove_item(const Jid& user, const Jid& contact);

  // The subscription between the user and a contact (Appendix A), shared items included.
  [[nodiscard]] SubscriptionState state(const Jid& user, const Jid& contact) const;
  // Stores a new state of a personal contact: the item, made if the state needs one
  // (§3.1.2, §3.1.5). The item to push when it changed, else nullopt.
  std::optional<RosterItem> set_state(const Jid& user, const Jid& contact, SubscriptionState next);

  // Inbound requests waiting for the user's answer, redelivered at each login (§3.1.3).
  void add_pending_in(const Jid& user, const Jid& contact, const xml::Element& request);
  [[nodiscard]] std::vector<xml::Element> pending_in(const Jid& user) const;

private:
  [[nodiscard]] std::optional<RosterItem> personal_item(const Jid& user, const Jid& contact) const;
  [[nodiscard]] std::optional<RosterItem> shared_item(const Jid& user, const Jid& contact) const;
  void store(const Jid& user, const RosterItem& item);

  const RosterSource& shared_;
  UserData& data_;
};

} // namespace starling::xmpp::im
