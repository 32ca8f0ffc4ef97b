// The group chat service (XEP-0045) at conference.DOMAIN: rooms that Starling's users
// create by entering them, kept in the store across restarts.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "xmpp/im/component.h"
#include "xmpp/im/message_archive.h"
#include "xmpp/im/sessions.h"
#include "xmpp/im/user_delivery.h"
#include "xmpp/im/vcard_source.h"
#include "xmpp/jid.h"
#include "xmpp/muc/occupant_id.h"
#include "xmpp/muc/room.h"
#include "xmpp/muc/room_store.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::muc {

// "conference." + the server's domain: where its users find group chat.
std::string muc_domain(std::string_view server_domain);

// Runs on the router's thread as its component for `domain`. Only local users reach it
// (the router hands it their stanzas), so any of them may create a room (§10.1).
class MucService final : public im::Component {
public:
  // `sessions` and `users` deliver to local users, `vcards` answers for occupants' vCards;
  // they, `store`, `archive` and `clock` must outlive the service. `server_secret` stays the
  // same across restarts, and so do the occupant ids made from it (XEP-0421).
  MucService(std::string domain, im::Sessions& sessions, im::UserDelivery& users, RoomStore& store,
             im::MessageArchive& archive, const im::VcardSource& vcards, const core::Clock& clock,
             std::span<const std::uint8_t> server_secret);

  // The rooms the store kept; call before the first stanza.
  void restore(std::span<const RoomRecord> records);

  [[nodiscard]] const std::string& domain() const override { return domain_; }
  void on_stanza(const Jid& from, const xml::Element& stanza) override;
  void on_resource_gone(const Jid& full) override;

  [[nodiscard]] const Rooms& rooms() const { return rooms_; }

private:
  void on_presence(const Jid& from, const Jid& to, const xml::Element& presence);
  void on_message(const Jid& from, const Jid& to, const xml::Element& message);
  // A request to the service or a room.
  void on_iq(const Jid& from, const Jid& to, const xml::Element& iq);
  // An iq to room/nick: a ping of one's own occupant JID (XEP-0410), a vCard request, or a
  // request or answer passed between occupants.
  void relay_to_occupant(const Jid& from, const Jid& to, const xml::Element& iq);
  // XEP-0054 for an occupant, answered from its user's vCard as Prosody and ejabberd do
  // (clients do not answer for their own vCard). Where the room hides who the occupant is
  // from `from`, only the photo (XEP-0153 avatars), which names nobody.
  void answer_vcard(const Jid& from, const Room& room, std::string_view nick,
                    const xml::Element& iq);
  // §10.2: an owner's request for the configuration form, or its submission; §10.9: the
  // owner destroys the room.
  void configure(const Jid& from, Rooms::iterator room, const xml::Element& iq,
                 const xml::Element& query);
  // §8–§10: a muc#admin list request or changes to roles and affiliations.
  void administer(const Jid& from, Room& room, const xml::Element& iq, const xml::Element& query);
  // XEP-0313 §5: a page of the room's archive, answered when the archive has it.
  void query_archive(const Jid& from, const Room& room, const xml::Element& iq);
  // §7.8.2: a mediated invitation, passed on from the room to each invitee the room admits;
  // the inviter gets an error reply to `request` for the others.
  void send_invitations(Room& room, const Jid& from, const xml::Element& invitations,
                        const xml::Element& request);
  // To a local full JID, if it is bound: every occupant and requester is one. Messages for a
  // user (invitations) go through UserDelivery instead.
  void deliver(const Jid& to, xml::Element stanza);
  Rooms::iterator add_room(const RoomRecord& record);

  std::string domain_;
  im::Sessions& sessions_;
  im::UserDelivery& users_;
  RoomStore& store_;
  im::MessageArchive& archive_;
  const im::VcardSource& vcards_;
  const core::Clock& clock_;
  OccupantIds occupant_ids_;
  Deliver deliver_;
  Rooms rooms_;
};

} // namespace starling::xmpp::muc
