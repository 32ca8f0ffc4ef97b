// Where persistent rooms (XEP-0045 §10.1.3) are kept across restarts.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "xmpp/muc/affiliation.h"

namespace starling::xmpp::muc {

// §5.2: users' affiliations with a room by bare JID; users not listed are "none".
using Affiliations = std::map<std::string, Affiliation, std::less<>>;

// What outlives a restart of a room; its occupants and history do not.
struct RoomRecord {
  std::string name; // the room's localpart
  std::string subject;
  std::string created_by; // the creator's bare JID; the room's owner
  std::chrono::system_clock::time_point created_at;
  std::string title; // what its owner named it (§10.2); empty: the localpart is its name
  std::string description;
  // §10.2: what its owner chose; the defaults make an open, public room.
  bool members_only = false;            // muc#roomconfig_membersonly: only members enter (§7.2.7)
  bool is_public = true;                // muc#roomconfig_publicroom: listed by the service (§6.3)
  bool occupants_change_subject = true; // muc#roomconfig_changesubject, else moderators only
  // muc#roomconfig_allowinvites: in a members-only room, an occupant's invitation makes the
  // invitee a member; otherwise only admins' and owners' do.
  bool occupants_invite = true;
  // muc#roomconfig_whois "moderators": only moderators see occupants' real JIDs (§4.2), as in
  // a public channel; "anyone" (false) shows them to every occupant.
  bool semi_anonymous = false;
  // muc#roomconfig_moderatedroom: only occupants with voice speak (§4.2); newcomers who are
  // not members visit until a moderator gives them voice.
  bool moderated = false;
  // muc#roomconfig_roomsecret: what everyone must give to enter (§7.2.6); empty: no password.
  // Kept as given, as the owner's form shows it: a secret the owner shares, not a login.
  std::string password;
  Affiliations affiliations; // the creator starts as the owner
};

// Implemented by the owner over the store, written behind: save() must not block.
class RoomStore {
public:
  RoomStore() = default;
  RoomStore(const RoomStore&) = delete;
  RoomStore& operator=(const RoomStore&) = delete;
  virtual ~RoomStore() = default;

  // A new room, or one whose subject, configuration or affiliations changed.
  virtual void save(const RoomRecord& room) = 0;
  // §10.9: the room was destroyed; its affiliations and archive go with it.
  virtual void remove(std::string_view name) = 0;
};

} // namespace starling::xmpp::muc
