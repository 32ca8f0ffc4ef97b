// One group chat room (XEP-0045): its occupants, subject and recent history, and what it
// sends when people enter, talk and leave.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <expected>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "xmpp/im/message_archive.h"
#include "xmpp/im/stanza_error.h"
#include "xmpp/jid.h"
#include "xmpp/muc/admin_request.h"
#include "xmpp/muc/affiliation.h"
#include "xmpp/muc/muc_stanzas.h"
#include "xmpp/muc/occupant_id.h"
#include "xmpp/muc/room_store.h"
#include "xmpp/muc/voice_request.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::muc {

// §7.2.14 leaves the amount of history to the service; 20 is what most services keep.
inline constexpr std::size_t kMaxHistoryMessages = 20;
// §7.13: a visitor asks for voice at most this often; each request reaches every moderator.
inline constexpr std::chrono::seconds kVoiceRequestInterval{60};

// Sends one stanza to a real full JID (sets 'to').
using Deliver = std::function<void(const Jid& to, xml::Element stanza)>;

// A persistent room (§4.2): owners and admins moderate, everyone else takes part.
// Non-anonymous (everyone sees real JIDs), unmoderated, open, public, without a password and
// letting anyone change the subject unless its owner configured it otherwise (RoomRecord): a
// semi-anonymous room shows real JIDs to its moderators only; in a moderated room, those who
// are not members visit until a moderator gives them voice; a password-protected room takes
// its password from everyone who enters. The creator owns it.
class Room {
public:
  // `jid` is the room's bare JID, `store` where its record is saved, `archive` where what is
  // said goes (XEP-0313 §5), `ids` what marks each occupant's presences and messages
  // (XEP-0421). All three must outlive the room.
  Room(Jid jid, RoomRecord record, RoomStore& store, im::MessageArchive& archive,
       const OccupantIds& ids);

  // §10.1.1: the record of a room that `creator` (a full JID) makes now.
  [[nodiscard]] static RoomRecord founded(std::string name, const Jid& creator,
                                          std::chrono::system_clock::time_point now);

  [[nodiscard]] const Jid& jid() const { return jid_; }
  [[nodiscard]] const RoomRecord& record() const { return record_; }
  [[nodiscard]] bool has_occupant(const Jid& real) const;
  // Whether `real` is in the room as `nick`.
  [[nodiscard]] bool occupies(const Jid& real, std::string_view nick) const;
  [[nodiscard]] Affiliation affiliation(const Jid& real) const;
  [[nodiscard]] bool is_owner(const Jid& real) const;
  // XEP-0313 §5: a members-only room's archive is its members'.
  [[nodiscard]] bool may_read_archive(const Jid& real) const;
  // The owner's new configuration (§10.2), saved; occupants are told with status 104 (172 or
  // 173 when who sees real JIDs changed). When the room became members-only, those who are
  // not members leave (322); when it is no longer moderated, visitors get voice.
  void configure(RoomRecord record, const Deliver& deliver);

  // Available presence from `from` (a full JID) to room/nick: enters (§7.2), or, for an
  // occupant, changes its presence (§7.7) or its nick (§7.6). `created` when the room was
  // made for this join.
  void on_presence(const Jid& from, std::string_view nick, const xml::Element& presence,
                   bool created, std::chrono::system_clock::time_point now, const Deliver& deliver);
  // §7.14: the occupant with this real JID leaves; told itself unless its stream is gone.
  void leave(const Jid& real, bool tell_leaver, const Deliver& deliver);
  // A message from `from` to the room (`to` bare: §7.4, §8.1, §7.13 and §8.6's voice forms)
  // or to room/nick (§7.5).
  void on_message(const Jid& from, const Jid& to, const xml::Element& message,
                  std::chrono::system_clock::time_point now, const Deliver& deliver);

  // The occupant with `nick` as the occupant `asker` (a real JID) may know it.
  struct SeenOccupant {
    const Jid* real;             // never null
    bool address_shown;          // whether the room shows `asker` the real JID (§7.2.4)
    std::string_view asker_nick; // the asker's own nick, which it is known by here
  };
  // not-acceptable when `asker` is not in the room, item-not-found when nobody has the nick.
  [[nodiscard]] std::expected<SeenOccupant, im::StanzaErrorCondition>
  find_occupant(const Jid& asker, std::string_view nick) const;

  // An iq from the occupant `from` (a real JID) to room/nick, request or answer, goes to
  // that occupant's real JID from the sender's occupant JID, so that neither learns the
  // other's address; not-acceptable when `from` is not in the room, item-not-found when
  // nobody has the nick.
  std::expected<void, im::StanzaErrorCondition> relay_iq(const Jid& from, std::string_view nick,
                                                         const xml::Element& iq,
                                                         const Deliver& deliver) const;

  // §7.8.2: may `inviter` invite `invitee`? In a members-only room the invitation makes the
  // invitee a member, so it takes an admin, or an occupant when occupants may invite.
  std::expected<void, im::StanzaErrorCondition> admit_invitee(const Jid& inviter,
                                                              const Jid& invitee);
  // §8, §9, §10: `actor` changes roles (kick, voice) and affiliations (ban, membership,
  // admins, owners); all or nothing. Occupants see the changes; the removed leave with a
  // status.
  std::expected<void, im::StanzaErrorCondition>
  administer(const Jid& actor, const std::vector<AdminChange>& changes, const Deliver& deliver);
  // §8.5, §9.2, §9.5, §10.5, §10.8: the muc#admin <query/> with the items of one list.
  std::expected<xml::Element, im::StanzaErrorCondition> admin_list(const Jid& actor,
                                                                   const AdminList& list) const;
  // §10.9: everyone leaves with the owner's <destroy/>; the caller then drops the room.
  void destroy(const xml::Element& destroy, const Deliver& deliver);

private:
  struct Occupant {
    Jid real;              // full
    xml::Element presence; // the user's last presence to the room, as sent
    Role role = Role::none;
    std::string id; // XEP-0421, in everything the room sends from the occupant
    std::optional<std::chrono::system_clock::time_point> asked_for_voice_at; // §7.13
  };
  using Occupants = std::map<std::string, Occupant, std::less<>>; // by nick

  [[nodiscard]] Jid occupant_jid(std::string_view nick) const;
  [[nodiscard]] Occupants::iterator find_real(const Jid& real);
  [[nodiscard]] Occupants::const_iterator find_real(const Jid& real) const;
  // An occupant's role; for anyone else, the one they would enter with.
  [[nodiscard]] Role role(const Jid& real) const;
  // An occupant's role changed (§8.3, §8.4, §9): everyone sees it, and a new moderator of a
  // semi-anonymous room learns who is there.
  void change_role(Occupants::iterator occupant, Role role, const Deliver& deliver);
  // §7.2.3, §7.2.4: whether the occupant `viewer` (a real JID) sees others' real JIDs.
  [[nodiscard]] bool sees_real_jids(const Jid& viewer) const;
  // An occupant's real JID as `viewer` is shown it: always its own, others' where it may.
  [[nodiscard]] const Jid* shown_to(const Jid& viewer, const Jid& real) const;
  // The occupant as `viewer` sees it.
  [[nodiscard]] OccupantItem item_of(const Occupant& occupant, const Jid& viewer) const;
  // The planned affiliations after `changes`, checked against what `actor` may do.
  struct PlannedAffiliations {
    Affiliations affiliations;
    std::map<std::string, std::string, std::less<>> reasons; // by bare JID
  };
  std::expected<PlannedAffiliations, im::StanzaErrorCondition>
  plan_affiliations(Affiliation actor, const std::vector<AdminChange>& changes) const;
  std::expected<void, im::StanzaErrorCondition>
  check_role_changes(Role actor, const std::vector<AdminChange>& changes) const;
  // Tells everyone that the occupant left with `code` (and `reason`), then forgets it.
  void remove(Occupants::iterator occupant, StatusCode code, std::string_view reason,
              const Deliver& deliver);
  // After affiliations changed: who may no longer stay leaves, the others' new standing is
  // told to everyone.
  void apply_affiliations(const Affiliations& before,
                          const std::map<std::string, std::string, std::less<>>& reasons,
                          const Deliver& deliver);
  // `viewer` gets the presence of every other occupant, as it may see them.
  void send_others_presence(const Jid& viewer, const Deliver& deliver) const;
  // Everyone gets `occupant`'s presence as it stands; its own client with 110.
  void broadcast_presence(const Occupants::value_type& occupant, const Deliver& deliver);
  // Everyone gets `occupant`'s unavailable presence with `item` and `codes`; its own client
  // with 110 too, unless its stream is gone.
  void broadcast_unavailable(const Occupants::value_type& occupant, OccupantItem item,
                             const StatusCodes& codes, bool tell_leaver, const Deliver& deliver);
  void enter(const Jid& from, std::string_view nick, const xml::Element& presence, bool created,
             std::chrono::system_clock::time_point now, const Deliver& deliver);
  // §7.2.14: what a newcomer gets of the history, oldest first.
  void send_history(const Jid& to, const HistoryRequest& request, const Deliver& deliver) const;
  void change_nick(Occupants::iterator occupant, std::string_view nick,
                   const xml::Element& presence, const Deliver& deliver);
  [[nodiscard]] xml::Element presence_of(const Occupants::value_type& occupant, const Jid& viewer,
                                         const StatusCodes& codes) const;
  void send_groupchat(const Occupants::value_type& sender, const xml::Element& message,
                      std::chrono::system_clock::time_point now, const Deliver& deliver);
  void send_private(const Occupants::value_type& sender, const Jid& to, const xml::Element& message,
                    const Deliver& deliver);
  // §7.13: a visitor's request for voice goes to the moderators, unless it asked less than
  // kVoiceRequestInterval ago (resource-constraint); §8.6: a moderator's approval gives it.
  void on_voice_form(Occupants::value_type& sender, const VoiceForm& form,
                     const xml::Element& message, std::chrono::system_clock::time_point now,
                     const Deliver& deliver);

  Jid jid_;
  RoomRecord record_;
  RoomStore& store_;
  im::MessageArchive& archive_;
  const OccupantIds& ids_;
  Occupants occupants_;
  struct SaidBefore {
    xml::Element message; // from room/nick, with <delay/>
    std::chrono::system_clock::time_point said_at;
  };
  std::deque<SaidBefore> history_; // oldest first
};

using Rooms = std::map<std::string, Room, std::less<>>; // by name (localpart)

} // namespace starling::xmpp::muc
