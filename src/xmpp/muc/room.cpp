// A group chat room's occupants, subject and history (XEP-0045 §7).
#include "xmpp/muc/room.h"

#include <algorithm>
#include <utility>

#include "xmpp/im/archiving.h"
#include "xmpp/im/stanza_error.h"
#include "xmpp/xml/namespaces.h"

namespace starling::xmpp::muc {

namespace {

using enum im::StanzaErrorCondition;

} // namespace

Room::Room(Jid jid, RoomRecord record, RoomStore& store, im::MessageArchive& archive)
    : jid_(std::move(jid)), record_(std::move(record)), store_(store), archive_(archive) {}

bool Room::has_occupant(const Jid& real) const {
  return std::ranges::any_of(occupants_,
                             [&](const auto& entry) { return entry.second.real == real; });
}

bool Room::is_owner(const Jid& real) const {
  return affiliation(real) == "owner";
}

void Room::configure(RoomRecord record, const Deliver& deliver) {
  record_ = std::move(record);
  store_.save(record_);
  for (const auto& [nick, occupant] : occupants_) {
    deliver(occupant.real, configuration_changed(jid_));
  }
}

Jid Room::occupant_jid(std::string_view nick) const {
  // The nick came in a valid JID's resourcepart, so this room JID takes it.
  return *jid_.with_resource(nick);
}

Room::Occupants::iterator Room::find_real(const Jid& real) {
  return std::ranges::find_if(occupants_,
                              [&](const auto& entry) { return entry.second.real == real; });
}

std::string_view Room::affiliation(const Jid& real) const {
  return real.bare().to_string() == record_.created_by ? "owner" : "none";
}

std::string_view Room::role(const Jid& real) const {
  return affiliation(real) == "owner" ? "moderator" : "participant"; // §5.1.2
}

xml::Element Room::presence_of(const Occupants::value_type& occupant,
                               std::initializer_list<StatusCode> codes) const {
  const auto& [nick, entry] = occupant;
  return occupant_presence(
      entry.presence, occupant_jid(nick),
      {.affiliation = affiliation(entry.real), .role = role(entry.real), .real = entry.real},
      codes);
}

void Room::on_presence(const Jid& from, std::string_view nick, const xml::Element& presence,
                       bool created, const Deliver& deliver) {
  if (auto mine = find_real(from); mine != occupants_.end()) {
    if (mine->first != nick) {
      change_nick(mine, nick, presence, deliver);
      return;
    }
    mine->second.presence = presence; // §7.7: a new status, told to everyone
    for (const auto& [other_nick, other] : occupants_) {
      deliver(other.real,
              other.real == from ? presence_of(*mine, {StatusCode::self}) : presence_of(*mine, {}));
    }
    return;
  }
  if (occupants_.contains(nick)) {
    deliver(from, im::make_error_reply(presence, conflict)); // §7.2.9
    return;
  }
  enter(from, nick, presence, created, deliver);
}

void Room::enter(const Jid& from, std::string_view nick, const xml::Element& presence, bool created,
                 const Deliver& deliver) {
  // §7.2.3: first who is there already, then the newcomer to everyone, itself last.
  for (const auto& occupant : occupants_) {
    deliver(from, presence_of(occupant, {}));
  }
  const auto& newcomer = *occupants_.emplace(nick, Occupant{from, presence}).first;
  for (const auto& [other_nick, other] : occupants_) {
    if (other.real != from) {
      deliver(other.real, presence_of(newcomer, {}));
    }
  }
  // §10.1.1 (201): a new room is usable at once, as if its owner had accepted the default
  // configuration of an instant room (§10.1.2).
  deliver(from, created ? presence_of(newcomer, {StatusCode::non_anonymous, StatusCode::self,
                                                 StatusCode::room_created})
                        : presence_of(newcomer, {StatusCode::non_anonymous, StatusCode::self}));
  // §7.2.14 history, then §7.2.15 the subject, which tells the client that it is in.
  const auto wanted = std::min(history_limit(presence).value_or(history_.size()), history_.size());
  for (auto message = history_.end() - static_cast<std::ptrdiff_t>(wanted);
       message != history_.end(); ++message) {
    deliver(from, *message);
  }
  deliver(from, subject_message(jid_, record_.subject));
}

void Room::change_nick(Occupants::iterator occupant, std::string_view nick,
                       const xml::Element& presence, const Deliver& deliver) {
  const Jid real = occupant->second.real;
  if (occupants_.contains(nick)) {
    deliver(real, im::make_error_reply(presence, conflict)); // §7.6.3
    return;
  }
  // §7.6.2: the old nick goes unavailable with 303 and the new nick, then the occupant
  // comes back under the new one; its own client gets 110 on both.
  const Jid old_jid = occupant_jid(occupant->first);
  const OccupantItem item{
      .affiliation = affiliation(real), .role = role(real), .real = real, .nick = nick};
  for (const auto& [other_nick, other] : occupants_) {
    deliver(other.real,
            other.real == real
                ? unavailable_presence(old_jid, item, {StatusCode::nick_changed, StatusCode::self})
                : unavailable_presence(old_jid, item, {StatusCode::nick_changed}));
  }
  auto moved = occupants_.extract(occupant);
  moved.key() = std::string(nick);
  moved.mapped().presence = presence;
  const auto renamed = occupants_.insert(std::move(moved)).position;
  for (const auto& [other_nick, other] : occupants_) {
    deliver(other.real, other.real == real ? presence_of(*renamed, {StatusCode::self})
                                           : presence_of(*renamed, {}));
  }
}

void Room::leave(const Jid& real, bool tell_leaver, const Deliver& deliver) {
  const auto leaver = find_real(real);
  if (leaver == occupants_.end()) {
    return;
  }
  const auto occupant = occupant_jid(leaver->first);
  const OccupantItem item{.affiliation = affiliation(real), .role = "none", .real = real};
  for (const auto& [nick, other] : occupants_) {
    if (other.real != real) {
      deliver(other.real, unavailable_presence(occupant, item, {}));
    } else if (tell_leaver) {
      deliver(other.real, unavailable_presence(occupant, item, {StatusCode::self})); // §7.14
    }
  }
  occupants_.erase(leaver);
}

void Room::on_message(const Jid& from, const Jid& to, const xml::Element& message,
                      std::chrono::system_clock::time_point now, const Deliver& deliver) {
  const auto type = message.attribute("type").value_or("normal");
  if (type == "error") {
    return; // an occupant's client refused something; nothing to answer
  }
  const auto sender = find_real(from);
  if (sender == occupants_.end()) {
    deliver(from, im::make_error_reply(message, not_acceptable)); // §7.4, §7.5
    return;
  }
  if (!to.is_bare()) {
    const auto target = occupants_.find(to.resource());
    if (type == "groupchat") {
      deliver(from, im::make_error_reply(message, bad_request)); // §7.5
    } else if (target == occupants_.end()) {
      deliver(from, im::make_error_reply(message, item_not_found)); // §7.5
    } else {
      send_private(*sender, target->second.real, message, deliver);
    }
    return;
  }
  if (type != "groupchat") {
    deliver(from, im::make_error_reply(message, bad_request));
    return;
  }
  send_groupchat(*sender, message, now, deliver);
}

void Room::send_groupchat(const Occupants::value_type& sender, const xml::Element& message,
                          std::chrono::system_clock::time_point now, const Deliver& deliver) {
  const Jid from = occupant_jid(sender.first);
  xml::Element addressed = message;
  addressed.set_attribute("from", from.to_string());
  xml::Element stamped = im::archive_groupchat(archive_, jid_, from, addressed);
  // §8.1: a subject with no body changes the subject; any occupant may (see the class).
  const auto* subject = message.child(xml::kClientNamespace, "subject");
  const bool subject_change =
      subject != nullptr && message.child(xml::kClientNamespace, "body") == nullptr;
  if (subject_change) {
    record_.subject = subject->text();
    store_.save(record_);
  }
  for (const auto& [nick, occupant] : occupants_) {
    deliver(occupant.real, stamped); // §7.4: the sender too, as its echo
  }
  if (!subject_change) {
    history_.push_back(with_delay(std::move(stamped), jid_, now));
    if (history_.size() > kMaxHistoryMessages) {
      history_.pop_front();
    }
  }
}

void Room::send_private(const Occupants::value_type& sender, const Jid& to,
                        const xml::Element& message, const Deliver& deliver) {
  xml::Element forwarded = message;
  forwarded.set_attribute("from", occupant_jid(sender.first).to_string());
  forwarded.append(xml::Element(kMucUserNamespace, "x")); // §7.5: a private message in a room
  deliver(to, std::move(forwarded));
}

} // namespace starling::xmpp::muc
