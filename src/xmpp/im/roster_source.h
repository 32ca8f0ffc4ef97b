// Where the router gets a user's roster and learns which local accounts exist.
#pragma once

#include <string_view>
#include <vector>

#include "xmpp/im/roster_item.h"
#include "xmpp/jid.h"

namespace starling::xmpp::im {

// Implemented over the directory (and later the user-managed roster store). Called on the
// shard thread, so it answers from memory.
class RosterSource {
public:
  virtual ~RosterSource() = default;

  // The roster of a local user, by bare JID; empty for an unknown user.
  [[nodiscard]] virtual std::vector<RosterItem> roster(const Jid& user) const = 0;
  // Whether the localpart names an account of this server (RFC 6121 §8.5.1 vs §8.5.2).
  [[nodiscard]] virtual bool has_account(std::string_view localpart) const = 0;
};

} // namespace starling::xmpp::im
