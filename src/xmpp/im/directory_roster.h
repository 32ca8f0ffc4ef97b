// The first roster: every colleague in the company directory, mutually subscribed.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "xmpp/im/roster_push.h"
#include "xmpp/im/roster_source.h"

namespace starling::xmpp::im {

// The shared group every colleague appears in.
inline constexpr std::string_view kColleaguesGroup = "Colleagues";

struct Colleague {
  std::string username; // the XMPP localpart
  std::string display_name;
};

// What a change of the directory did to the shared items.
struct DirectoryChange {
  std::vector<RosterItem> changed; // colleagues added or renamed
  std::vector<Jid> removed;
};

// Each user's roster is everyone else in the directory as a shared item with subscription
// "both" in the group "Colleagues". Usernames that are not valid localparts are skipped.
class DirectoryRoster final : public RosterSource {
public:
  DirectoryRoster(std::string_view domain, const std::vector<Colleague>& colleagues);

  // The directory changed: the rosters are everyone in `colleagues` from now on.
  DirectoryChange set_colleagues(const std::vector<Colleague>& colleagues);
  // RFC 6121 §2.1.6: every member's interested resources are pushed the items that changed.
  void push(const DirectoryChange& change, RosterPushes& pushes) const;
  // Off: the directory only says which accounts exist, and users build their rosters
  // themselves, with subscriptions (a site too large for everyone to see everyone).
  void share_colleagues(bool share) { share_ = share; }

  [[nodiscard]] std::vector<RosterItem> roster(const Jid& user) const override;
  [[nodiscard]] bool has_account(std::string_view localpart) const override;

private:
  std::string domain_;
  bool share_ = true;
  // Canonical localpart → item, so lookups match however the client spelled the JID.
  std::map<std::string, RosterItem, std::less<>> items_;
};

} // namespace starling::xmpp::im
