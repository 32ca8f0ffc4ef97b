// What users keep on the server besides their messages: contacts, PEP items, vCards,
// blocklists, push registrations. Each entry is a small XML element addressed by the
// user's localpart, a kind ("vcard", "blocklist", "pep:urn:xmpp:bookmarks:1", ...) and a
// key within that kind ("" when a kind holds one entry per user).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "xmpp/xml/element.h"

namespace starling::xmpp::im {

// Used on the router's thread only. Reads come from memory; the server's implementation
// writes each change behind to the store, so it survives a restart, and drops a user's
// entries with the user.
class UserData {
public:
  UserData() = default;
  UserData(const UserData&) = delete;
  UserData& operator=(const UserData&) = delete;
  virtual ~UserData() = default;

  // The entry, or nullptr. The pointer is valid until the next put() or remove().
  [[nodiscard]] virtual const xml::Element* find(std::string_view user, std::string_view kind,
                                                 std::string_view key) const = 0;
  // The user's entries of one kind as (key, element), ordered by key.
  [[nodiscard]] virtual std::vector<std::pair<std::string, const xml::Element*>>
  list(std::string_view user, std::string_view kind) const = 0;

  // Adds or replaces the entry.
  virtual void put(std::string_view user, std::string_view kind, std::string_view key,
                   xml::Element value) = 0;
  // Removes the entry if there is one.
  virtual void remove(std::string_view user, std::string_view kind, std::string_view key) = 0;
};

} // namespace starling::xmpp::im
