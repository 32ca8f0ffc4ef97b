// One group chat room (XEP-0045): its occupants, subject and recent history, and what it
// sends when people enter, talk and leave.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>

#include "xmpp/im/message_archive.h"
#include "xmpp/jid.h"
#include "xmpp/muc/muc_stanzas.h"
#include "xmpp/muc/room_store.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::muc {

// §7.2.14 leaves the amount of history to the service; 20 is what most services keep.
inline constexpr std::size_t kMaxHistoryMessages = 20;

// Sends one stanza to a real full JID (sets 'to').
using Deliver = std::function<void(const Jid& to, xml::Element stanza)>;

// A persistent, open, non-anonymous, unmoderated room (§4.2): any user may enter, everyone
// sees real JIDs, and any occupant may change the subject (muc#roomconfig_changesubject).
// The creator is its owner and enters as moderator; everyone else is a participant.
class Room {
public:
  // `jid` is the room's bare JID, `store` where subject changes are saved, `archive` where
  // what is said goes (XEP-0313 §5).
  Room(Jid jid, RoomRecord record, RoomStore& store, im::MessageArchive& archive);

  [[nodiscard]] const Jid& jid() const { return jid_; }
  [[nodiscard]] const RoomRecord& record() const { return record_; }
  [[nodiscard]] bool has_occupant(const Jid& real) const;
  // §5.2: the user who made the room owns it, whichever of their resources asks.
  [[nodiscard]] bool is_owner(const Jid& real) const;
  // The owner's new configuration (§10.2), saved; occupants are told with status 104.
  void configure(RoomRecord record, const Deliver& deliver);

  // Available presence from `from` (a full JID) to room/nick: enters (§7.2), or, for an
  // occupant, changes its presence (§7.7) or its nick (§7.6). `created` when the room was
  // made for this join.
  void on_presence(const Jid& from, std::string_view nick, const xml::Element& presence,
                   bool created, const Deliver& deliver);
  // §7.14: the occupant with this real JID leaves; told itself unless its stream is gone.
  void leave(const Jid& real, bool tell_leaver, const Deliver& deliver);
  // A message from `from` to the room (`to` bare: §7.4, §8.1) or to room/nick (§7.5).
  void on_message(const Jid& from, const Jid& to, const xml::Element& message,
                  std::chrono::system_clock::time_point now, const Deliver& deliver);

private:
  struct Occupant {
    Jid real;              // full
    xml::Element presence; // the user's last presence to the room, as sent
  };
  using Occupants = std::map<std::string, Occupant, std::less<>>; // by nick

  [[nodiscard]] Jid occupant_jid(std::string_view nick) const;
  [[nodiscard]] Occupants::iterator find_real(const Jid& real);
  [[nodiscard]] std::string_view affiliation(const Jid& real) const;
  [[nodiscard]] std::string_view role(const Jid& real) const;
  void enter(const Jid& from, std::string_view nick, const xml::Element& presence, bool created,
             const Deliver& deliver);
  void change_nick(Occupants::iterator occupant, std::string_view nick,
                   const xml::Element& presence, const Deliver& deliver);
  [[nodiscard]] xml::Element presence_of(const Occupants::value_type& occupant,
                                         std::initializer_list<StatusCode> codes) const;
  void send_groupchat(const Occupants::value_type& sender, const xml::Element& message,
                      std::chrono::system_clock::time_point now, const Deliver& deliver);
  void send_private(const Occupants::value_type& sender, const Jid& to, const xml::Element& message,
                    const Deliver& deliver);

  Jid jid_;
  RoomRecord record_;
  RoomStore& store_;
  im::MessageArchive& archive_;
  Occupants occupants_;
  std::deque<xml::Element> history_; // oldest first, from room/nick, with <delay/>
};

using Rooms = std::map<std::string, Room, std::less<>>; // by name (localpart)

} // namespace starling::xmpp::muc
