// The first roster: every colleague in the company directory, mutually subscribed.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "xmpp/im/roster_source.h"

namespace starling::xmpp::im {

// The shared group every colleague appears in.
inline constexpr std::string_view kColleaguesGroup = "Colleagues";

struct Colleague {
  std::string username; // the XMPP localpart
  std::string display_name;
};

// Each user's roster is everyone else in the directory as a shared item with subscription
// "both" in the group "Colleagues". Usernames that are not valid localparts are skipped.
class DirectoryRoster final : public RosterSource {
public:
  DirectoryRoster(std::string_view domain, const std::vector<Colleague>& colleagues);

  // The directory changed: the rosters are everyone in `colleagues` from now on.
  void set_colleagues(const std::vector<Colleague>& colleagues);

  [[nodiscard]] std::vector<RosterItem> roster(const Jid& user) const override;
  [[nodiscard]] bool has_account(std::string_view localpart) const override;

private:
  std::string domain_;
  // Canonical localpart → item, so lookups match however the client spelled the JID.
  std::map<std::string, RosterItem, std::less<>> items_;
};

} // namespace starling::xmpp::im
