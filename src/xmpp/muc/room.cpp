// A group chat room's occupants, subject and history (XEP-0045 §7).
#include "xmpp/muc/room.h"

#include <algorithm>
#include <iterator>
#include <utility>
#include <variant>

#include "xmpp/im/archiving.h"
#include "xmpp/im/stanza_error.h"
#include "xmpp/sasl/scram_crypto.h"
#include "xmpp/xml/namespaces.h"
#include "xmpp/xml/serializer.h"

namespace starling::xmpp::muc {

namespace {

using enum im::StanzaErrorCondition;
using Reasons = std::map<std::string, std::string, std::less<>>;

Affiliation affiliation_in(const Affiliations& affiliations, std::string_view bare) {
  const auto found = affiliations.find(bare);
  return found == affiliations.end() ? Affiliation::none : found->second;
}

// §8.1: a subject with no body changes the subject.
bool changes_subject(const xml::Element& message) {
  return message.child(xml::kClientNamespace, "subject") != nullptr &&
         message.child(xml::kClientNamespace, "body") == nullptr;
}

// §7.2.6: whether an entering user's presence gives the room's password. Compared in
// constant time, so that how long a wrong guess takes tells nothing.
bool gives_password(const xml::Element& presence, std::string_view password) {
  const auto* x = presence.child(kMucNamespace, "x");
  const auto* given = x == nullptr ? nullptr : x->child(kMucNamespace, "password");
  return given != nullptr &&
         sasl::constant_time_equal(sasl::as_bytes(given->text()), sasl::as_bytes(password));
}

} // namespace

Room::Room(Jid jid, RoomRecord record, RoomStore& store, im::MessageArchive& archive,
           const OccupantIds& ids)
    : jid_(std::move(jid)), record_(std::move(record)), store_(store), archive_(archive),
      ids_(ids) {}

RoomRecord Room::founded(std::string name, const Jid& creator,
                         std::chrono::system_clock::time_point now) {
  RoomRecord record;
  record.name = std::move(name);
  record.created_by = creator.bare().to_string();
  record.created_at = now;
  record.affiliations.emplace(record.created_by, Affiliation::owner);
  return record;
}

bool Room::has_occupant(const Jid& real) const {
  return find_real(real) != occupants_.end();
}

bool Room::occupies(const Jid& real, std::string_view nick) const {
  const auto occupant = occupants_.find(nick);
  return occupant != occupants_.end() && occupant->second.real == real;
}

Affiliation Room::affiliation(const Jid& real) const {
  return affiliation_in(record_.affiliations, real.bare().to_string());
}

bool Room::is_owner(const Jid& real) const {
  return affiliation(real) == Affiliation::owner;
}

bool Room::may_read_archive(const Jid& real) const {
  return !record_.members_only || affiliation(real) >= Affiliation::member;
}

void Room::configure(RoomRecord record, const Deliver& deliver) {
  const bool closed_now = record.members_only && !record_.members_only;
  const bool unmoderated_now = record_.moderated && !record.moderated;
  const bool privacy_changed = record.semi_anonymous != record_.semi_anonymous;
  record_ = std::move(record);
  store_.save(record_);
  const auto code = !privacy_changed         ? StatusCode::configuration_changed
                    : record_.semi_anonymous ? StatusCode::now_semi_anonymous
                                             : StatusCode::now_non_anonymous;
  for (const auto& [nick, occupant] : occupants_) {
    deliver(occupant.real, configuration_changed(jid_, code));
  }
  if (unmoderated_now) {
    for (auto occupant = occupants_.begin(); occupant != occupants_.end(); ++occupant) {
      if (occupant->second.role == Role::visitor) {
        change_role(occupant, Role::participant, deliver);
      }
    }
  }
  if (!closed_now) {
    return;
  }
  for (auto occupant = occupants_.begin(); occupant != occupants_.end();) {
    const auto next = std::next(occupant);
    if (affiliation(occupant->second.real) < Affiliation::member) {
      remove(occupant, StatusCode::members_only_now, {}, deliver);
    }
    occupant = next;
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

Room::Occupants::const_iterator Room::find_real(const Jid& real) const {
  return std::ranges::find_if(occupants_,
                              [&](const auto& entry) { return entry.second.real == real; });
}

Role Room::role(const Jid& real) const {
  const auto occupant = find_real(real);
  return occupant != occupants_.end() ? occupant->second.role
                                      : role_of(affiliation(real), record_.moderated);
}

bool Room::sees_real_jids(const Jid& viewer) const {
  return !record_.semi_anonymous || role(viewer) == Role::moderator;
}

const Jid* Room::shown_to(const Jid& viewer, const Jid& real) const {
  return viewer == real || sees_real_jids(viewer) ? &real : nullptr;
}

OccupantItem Room::item_of(const Occupant& occupant, const Jid& viewer) const {
  return {.affiliation = affiliation(occupant.real),
          .role = occupant.role,
          .real = shown_to(viewer, occupant.real),
          .nick = {},
          .reason = {}};
}

xml::Element Room::presence_of(const Occupants::value_type& occupant, const Jid& viewer,
                               const StatusCodes& codes) const {
  const auto& [nick, entry] = occupant;
  return with_occupant_id(
      occupant_presence(entry.presence, occupant_jid(nick), item_of(entry, viewer), codes),
      entry.id);
}

void Room::send_others_presence(const Jid& viewer, const Deliver& deliver) const {
  for (const auto& occupant : occupants_) {
    if (occupant.second.real != viewer) {
      deliver(viewer, presence_of(occupant, viewer, {}));
    }
  }
}

void Room::broadcast_presence(const Occupants::value_type& occupant, const Deliver& deliver) {
  for (const auto& [nick, other] : occupants_) {
    const bool own = other.real == occupant.second.real;
    deliver(other.real,
            presence_of(occupant, other.real, own ? StatusCodes{StatusCode::self} : StatusCodes{}));
  }
}

void Room::change_role(Occupants::iterator occupant, Role role, const Deliver& deliver) {
  const Role was = std::exchange(occupant->second.role, role);
  broadcast_presence(*occupant, deliver);
  if (record_.semi_anonymous && role == Role::moderator && was != Role::moderator) {
    send_others_presence(occupant->second.real, deliver); // now with their real JIDs
  }
}

void Room::broadcast_unavailable(const Occupants::value_type& occupant, OccupantItem item,
                                 const StatusCodes& codes, bool tell_leaver,
                                 const Deliver& deliver) {
  const Jid from = occupant_jid(occupant.first);
  const Jid& real = occupant.second.real;
  const auto presence = [&](const StatusCodes& sent) {
    return with_occupant_id(unavailable_presence(from, item, sent), occupant.second.id);
  };
  for (const auto& [nick, other] : occupants_) {
    item.real = shown_to(other.real, real);
    if (other.real != real) {
      deliver(other.real, presence(codes));
    } else if (tell_leaver) {
      auto own = codes;
      own.push_back(StatusCode::self);
      deliver(other.real, presence(own));
    }
  }
}

void Room::on_presence(const Jid& from, std::string_view nick, const xml::Element& presence,
                       bool created, std::chrono::system_clock::time_point now,
                       const Deliver& deliver) {
  if (auto mine = find_real(from); mine != occupants_.end()) {
    if (mine->first != nick) {
      change_nick(mine, nick, presence, deliver);
      return;
    }
    mine->second.presence = presence; // §7.7: a new status, told to everyone
    broadcast_presence(*mine, deliver);
    return;
  }
  const auto standing = affiliation(from);
  if (standing == Affiliation::outcast) {
    deliver(from, im::make_error_reply(presence, forbidden)); // §7.2.8: banned
    return;
  }
  if (record_.members_only && standing < Affiliation::member) {
    deliver(from, im::make_error_reply(presence, registration_required)); // §7.2.7
    return;
  }
  if (!record_.password.empty() && !gives_password(presence, record_.password)) {
    deliver(from, im::make_error_reply(presence, not_authorized)); // §7.2.6
    return;
  }
  if (occupants_.contains(nick)) {
    deliver(from, im::make_error_reply(presence, conflict)); // §7.2.9
    return;
  }
  enter(from, nick, presence, created, now, deliver);
}

void Room::enter(const Jid& from, std::string_view nick, const xml::Element& presence, bool created,
                 std::chrono::system_clock::time_point now, const Deliver& deliver) {
  // §7.2.3: first who is there already, then the newcomer to everyone, itself last.
  send_others_presence(from, deliver);
  const auto& newcomer =
      *occupants_
           .emplace(nick, Occupant{.real = from,
                                   .presence = presence,
                                   .role = role_of(affiliation(from), record_.moderated),
                                   .id = ids_.of(jid_, from),
                                   .asked_for_voice_at = std::nullopt})
           .first;
  for (const auto& [other_nick, other] : occupants_) {
    if (other.real != from) {
      deliver(other.real, presence_of(newcomer, other.real, {}));
    }
  }
  StatusCodes codes;
  if (!record_.semi_anonymous) {
    codes.push_back(StatusCode::non_anonymous); // §7.2.3
  }
  codes.push_back(StatusCode::self);
  if (created) {
    // §10.1.1 (201): a new room is usable at once, as if its owner had accepted the default
    // configuration of an instant room (§10.1.2).
    codes.push_back(StatusCode::room_created);
  }
  deliver(from, presence_of(newcomer, from, codes));
  // §7.2.14 history, then §7.2.15 the subject, which tells the client that it is in.
  send_history(from, history_request(presence, now), deliver);
  deliver(from, subject_message(jid_, record_.subject));
}

void Room::send_history(const Jid& to, const HistoryRequest& request,
                        const Deliver& deliver) const {
  // The newest messages that fit every limit the client set.
  auto first = history_.end();
  std::size_t chars = 0;
  while (first != history_.begin()) {
    const auto& earlier = *std::prev(first);
    const auto count = static_cast<std::size_t>(history_.end() - first);
    if ((request.max_stanzas && count >= *request.max_stanzas) ||
        (request.since && earlier.said_at < *request.since)) {
      break;
    }
    if (request.max_chars) {
      // Measured here rather than when said: few clients set maxchars, every message is said.
      chars += xml::serialize(earlier.message).size();
      if (chars > *request.max_chars) {
        break;
      }
    }
    --first;
  }
  for (auto said = first; said != history_.end(); ++said) {
    deliver(to, said->message);
  }
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
  const OccupantItem item{.affiliation = affiliation(real),
                          .role = occupant->second.role,
                          .real = nullptr,
                          .nick = nick,
                          .reason = {}};
  broadcast_unavailable(*occupant, item, {StatusCode::nick_changed}, true, deliver);
  auto moved = occupants_.extract(occupant);
  moved.key() = std::string(nick);
  moved.mapped().presence = presence;
  broadcast_presence(*occupants_.insert(std::move(moved)).position, deliver);
}

void Room::leave(const Jid& real, bool tell_leaver, const Deliver& deliver) {
  const auto leaver = find_real(real);
  if (leaver == occupants_.end()) {
    return;
  }
  const OccupantItem item{.affiliation = affiliation(real),
                          .role = Role::none,
                          .real = nullptr,
                          .nick = {},
                          .reason = {}};
  broadcast_unavailable(*leaver, item, {}, tell_leaver, deliver); // §7.14
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
  if (const auto voice = parse_voice_form(message); voice && type != "groupchat") {
    on_voice_form(*sender, *voice, message, now, deliver);
    return;
  }
  if (type != "groupchat") {
    deliver(from, im::make_error_reply(message, bad_request));
    return;
  }
  const Role speaker = sender->second.role;
  if (speaker == Role::visitor || (changes_subject(message) && !record_.occupants_change_subject &&
                                   speaker != Role::moderator)) {
    deliver(from, im::make_error_reply(message, forbidden)); // §7.4: no voice; §8.1
    return;
  }
  send_groupchat(*sender, message, now, deliver);
}

void Room::send_groupchat(const Occupants::value_type& sender, const xml::Element& message,
                          std::chrono::system_clock::time_point now, const Deliver& deliver) {
  const Jid from = occupant_jid(sender.first);
  xml::Element addressed = with_occupant_id(message, sender.second.id);
  addressed.set_attribute("from", from.to_string());
  xml::Element stamped = im::archive_groupchat(archive_, jid_, from, addressed);
  const bool subject_change = changes_subject(message);
  if (subject_change) {
    record_.subject = message.child(xml::kClientNamespace, "subject")->text();
    store_.save(record_);
  }
  for (const auto& [nick, occupant] : occupants_) {
    deliver(occupant.real, stamped); // §7.4: the sender too, as its echo
  }
  if (!subject_change) {
    history_.push_back({.message = with_delay(std::move(stamped), jid_, now), .said_at = now});
    if (history_.size() > kMaxHistoryMessages) {
      history_.pop_front();
    }
  }
}

void Room::send_private(const Occupants::value_type& sender, const Jid& to,
                        const xml::Element& message, const Deliver& deliver) {
  xml::Element forwarded = with_occupant_id(message, sender.second.id);
  forwarded.set_attribute("from", occupant_jid(sender.first).to_string());
  forwarded.append(xml::Element(kMucUserNamespace, "x")); // §7.5: a private message in a room
  deliver(to, std::move(forwarded));
}

void Room::on_voice_form(Occupants::value_type& sender, const VoiceForm& form,
                         const xml::Element& message, std::chrono::system_clock::time_point now,
                         const Deliver& deliver) {
  if (!form.allow) {
    if (sender.second.role != Role::visitor) {
      return; // §7.13: only a visitor has anything to ask for
    }
    auto& asked_at = sender.second.asked_for_voice_at;
    if (asked_at && now - *asked_at < kVoiceRequestInterval) {
      deliver(sender.second.real, im::make_error_reply(message, resource_constraint));
      return;
    }
    asked_at = now;
    for (const auto& [nick, occupant] : occupants_) {
      if (occupant.role == Role::moderator) {
        deliver(occupant.real, voice_approval_form(jid_, sender.second.real, sender.first));
      }
    }
    return;
  }
  if (sender.second.role != Role::moderator) {
    deliver(sender.second.real, im::make_error_reply(message, forbidden)); // §8.6
    return;
  }
  const auto visitor = occupants_.find(form.nick);
  if (*form.allow && visitor != occupants_.end() && visitor->second.role == Role::visitor) {
    change_role(visitor, Role::participant, deliver);
  }
}

std::expected<Room::SeenOccupant, im::StanzaErrorCondition>
Room::find_occupant(const Jid& asker, std::string_view nick) const {
  const auto seeker = find_real(asker);
  if (seeker == occupants_.end()) {
    return std::unexpected(not_acceptable);
  }
  const auto target = occupants_.find(nick);
  if (target == occupants_.end()) {
    return std::unexpected(item_not_found);
  }
  const Jid& real = target->second.real;
  return SeenOccupant{.real = &real,
                      .address_shown = shown_to(asker, real) != nullptr,
                      .asker_nick = seeker->first};
}

std::expected<void, im::StanzaErrorCondition> Room::relay_iq(const Jid& from, std::string_view nick,
                                                             const xml::Element& iq,
                                                             const Deliver& deliver) const {
  const auto target = find_occupant(from, nick);
  if (!target) {
    return std::unexpected(target.error());
  }
  xml::Element relayed = iq;
  relayed.set_attribute("from", occupant_jid(target->asker_nick).to_string());
  deliver(*target->real, std::move(relayed));
  return {};
}

std::expected<void, im::StanzaErrorCondition> Room::admit_invitee(const Jid& inviter,
                                                                  const Jid& invitee) {
  if (!record_.members_only) {
    return {};
  }
  const auto invitee_standing = affiliation(invitee);
  if (invitee_standing == Affiliation::outcast ||
      (affiliation(inviter) < Affiliation::admin && !record_.occupants_invite)) {
    return std::unexpected(forbidden);
  }
  if (invitee_standing < Affiliation::member) {
    record_.affiliations.insert_or_assign(invitee.bare().to_string(), Affiliation::member);
    store_.save(record_);
  }
  return {};
}

std::expected<void, im::StanzaErrorCondition>
Room::check_role_changes(Role actor, const std::vector<AdminChange>& changes) const {
  for (const auto& change : changes) {
    const auto* role_change = std::get_if<RoleChange>(&change);
    if (role_change == nullptr) {
      continue;
    }
    if (actor != Role::moderator) {
      return std::unexpected(forbidden);
    }
    const auto target = occupants_.find(role_change->nick);
    if (target == occupants_.end()) {
      return std::unexpected(item_not_found);
    }
    if (role_change->role == target->second.role) {
      continue;
    }
    // §8.2, §8.3, §8.4: a moderator removes, silences or gives voice to participants and
    // visitors, never to admins or owners. Moderators are made by affiliation here (§9.6).
    if (role_change->role == Role::moderator ||
        affiliation(target->second.real) >= Affiliation::admin) {
      return std::unexpected(not_allowed);
    }
  }
  return {};
}

std::expected<Room::PlannedAffiliations, im::StanzaErrorCondition>
Room::plan_affiliations(Affiliation actor, const std::vector<AdminChange>& changes) const {
  PlannedAffiliations planned{.affiliations = record_.affiliations, .reasons = {}};
  for (const auto& change : changes) {
    const auto* affiliation_change = std::get_if<AffiliationChange>(&change);
    if (affiliation_change == nullptr) {
      continue;
    }
    if (actor < Affiliation::admin) {
      return std::unexpected(forbidden);
    }
    std::string target;
    if (affiliation_change->jid) {
      target = affiliation_change->jid->to_string();
    } else if (const auto occupant = occupants_.find(affiliation_change->nick);
               occupant != occupants_.end()) {
      target = occupant->second.real.bare().to_string();
    } else {
      return std::unexpected(item_not_found);
    }
    const auto wanted = affiliation_change->affiliation;
    // §9: admins manage members and outcasts; §10: admins and owners are the owners' to name.
    if (actor == Affiliation::admin &&
        (affiliation_in(record_.affiliations, target) >= Affiliation::admin ||
         wanted >= Affiliation::admin)) {
      return std::unexpected(not_allowed);
    }
    if (wanted == Affiliation::none) {
      planned.affiliations.erase(target);
    } else {
      planned.affiliations.insert_or_assign(target, wanted);
    }
    planned.reasons.insert_or_assign(std::move(target), affiliation_change->reason);
  }
  if (std::ranges::none_of(planned.affiliations,
                           [](const auto& entry) { return entry.second == Affiliation::owner; })) {
    return std::unexpected(conflict); // §10.7: a room keeps an owner
  }
  return planned;
}

std::expected<void, im::StanzaErrorCondition>
Room::administer(const Jid& actor, const std::vector<AdminChange>& changes,
                 const Deliver& deliver) {
  const auto standing = affiliation(actor);
  if (auto checked = check_role_changes(role(actor), changes); !checked) {
    return checked;
  }
  auto planned = plan_affiliations(standing, changes);
  if (!planned) {
    return std::unexpected(planned.error());
  }
  for (const auto& change : changes) {
    const auto* role_change = std::get_if<RoleChange>(&change);
    if (role_change == nullptr) {
      continue;
    }
    // An earlier change in the list may have removed the occupant.
    const auto occupant = occupants_.find(role_change->nick);
    if (occupant == occupants_.end() || occupant->second.role == role_change->role) {
      continue;
    }
    if (role_change->role == Role::none) {
      remove(occupant, StatusCode::kicked, role_change->reason, deliver); // §8.2
    } else {
      change_role(occupant, role_change->role, deliver); // §8.3, §8.4
    }
  }
  auto before = std::exchange(record_.affiliations, std::move(planned->affiliations));
  if (record_.affiliations != before) {
    store_.save(record_);
    apply_affiliations(before, planned->reasons, deliver);
  }
  return {};
}

void Room::apply_affiliations(const Affiliations& before, const Reasons& reasons,
                              const Deliver& deliver) {
  for (auto occupant = occupants_.begin(); occupant != occupants_.end();) {
    const auto next = std::next(occupant);
    const auto bare = occupant->second.real.bare().to_string();
    const auto now = affiliation_in(record_.affiliations, bare);
    if (now != affiliation_in(before, bare)) {
      const auto reason = reasons.find(bare);
      const std::string_view why =
          reason == reasons.end() ? std::string_view() : std::string_view(reason->second);
      if (now == Affiliation::outcast) {
        remove(occupant, StatusCode::banned, why, deliver); // §9.1
      } else if (record_.members_only && now < Affiliation::member) {
        remove(occupant, StatusCode::affiliation_lost, why, deliver); // §9.4
      } else {
        change_role(occupant, role_of(now, record_.moderated), deliver); // §9.3, §9.6, §10.3 …
      }
    }
    occupant = next;
  }
}

void Room::remove(Occupants::iterator occupant, StatusCode code, std::string_view reason,
                  const Deliver& deliver) {
  const OccupantItem item{.affiliation = affiliation(occupant->second.real),
                          .role = Role::none,
                          .real = nullptr,
                          .nick = {},
                          .reason = reason};
  broadcast_unavailable(*occupant, item, {code}, true, deliver);
  occupants_.erase(occupant);
}

std::expected<xml::Element, im::StanzaErrorCondition>
Room::admin_list(const Jid& actor, const AdminList& list) const {
  const auto standing = affiliation(actor);
  xml::Element query(kMucAdminNamespace, "query");
  if (const auto* wanted = std::get_if<Affiliation>(&list)) {
    // Who belongs to a non-anonymous room is no secret to its members (§9.5's member list,
    // which clients show); whom it banned, and who belongs to a semi-anonymous room, is its
    // admins' business (§9.2).
    const auto needed = *wanted == Affiliation::outcast || record_.semi_anonymous
                            ? Affiliation::admin
                            : Affiliation::member;
    if (standing < needed) {
      return std::unexpected(forbidden);
    }
    if (*wanted == Affiliation::none) {
      return std::unexpected(bad_request); // everyone else: not a list
    }
    for (const auto& [jid, affiliation] : record_.affiliations) {
      if (affiliation == *wanted) {
        query.append(xml::Element(kMucAdminNamespace, "item"))
            .set_attribute("affiliation", to_string(affiliation))
            .set_attribute("jid", jid);
      }
    }
    return query;
  }
  const auto wanted = std::get<Role>(list);
  if (role(actor) != Role::moderator) {
    return std::unexpected(forbidden); // §8.5, §9.8
  }
  for (const auto& [nick, occupant] : occupants_) {
    if (occupant.role == wanted) {
      query.append(xml::Element(kMucAdminNamespace, "item"))
          .set_attribute("affiliation", to_string(affiliation(occupant.real)))
          .set_attribute("jid", occupant.real.to_string())
          .set_attribute("nick", nick)
          .set_attribute("role", to_string(wanted));
    }
  }
  return query;
}

void Room::destroy(const xml::Element& destroy, const Deliver& deliver) {
  for (const auto& [nick, occupant] : occupants_) {
    deliver(occupant.real,
            with_occupant_id(room_destroyed_presence(occupant_jid(nick), destroy), occupant.id));
  }
  occupants_.clear();
}

} // namespace starling::xmpp::muc
