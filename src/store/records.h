// The rows Starling keeps: users, devices (SIP accounts), extensions, groups, bindings, calls,
// API tokens, personal contacts, trunks, routes and XMPP offline messages.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace starling::store {

using Id = std::int64_t;
using UnixTime = std::int64_t; // seconds since 1970-01-01 UTC

enum class Role { admin, user };

// What Starling keeps of a login password: never the password itself.
struct PasswordSecrets {
  std::string hash; // argon2id, in libsodium's encoded form
  // SCRAM keys (RFC 5802) in RFC 5803 form, for XMPP logins; empty for a password set before
  // Starling kept them.
  std::string scram_sha1{};
  std::string scram_sha256{};
};

struct User {
  Id id = 0;
  std::string name; // login name, unique
  std::string display_name;
  Role role = Role::user;
  PasswordSecrets password;
  UnixTime created_at = 0;
  // The widest class of numbers the user may call through trunks: "internal", "local",
  // "national" or "international". Emergency numbers are always allowed.
  std::string call_class = "national";
};

struct NewUser {
  std::string name;
  std::string display_name;
  Role role = Role::user;
  PasswordSecrets password;
  std::string call_class = "national";
};

// A SIP account of a user: one phone, softphone or app. The password itself is never
// stored, only the digest HA1 hashes for each algorithm (RFC 7616 §3.4.2).
struct Device {
  Id id = 0;
  Id user_id = 0;
  std::string user_name;
  std::string auth_name; // SIP digest username, unique
  std::string realm;     // the realm the HA1 hashes were computed over
  std::string ha1_md5;
  std::string ha1_sha256;
  std::string description;
  UnixTime created_at = 0;
};

struct NewDevice {
  Id user_id = 0;
  std::string auth_name;
  std::string realm;
  std::string ha1_md5;
  std::string ha1_sha256;
  std::string description;
};

struct Group {
  Id id = 0;
  std::string name;
  std::string display_name;
  std::vector<std::string> member_names;
};

// A credential for scripts and other programs (docs/api.md). Only a SHA-256 of the secret is
// kept: the token is shown once, when it is made.
struct ApiToken {
  Id id = 0;
  Id user_id = 0;
  std::string user_name;
  std::string name;
  std::string secret_hash;         // hex SHA-256 of the whole token
  std::vector<std::string> scopes; // "directory:read" ...
  UnixTime created_at = 0;
  UnixTime last_used_at = 0; // 0: never used
};

struct NewApiToken {
  Id user_id = 0;
  std::string name;
  std::string secret_hash;
  std::vector<std::string> scopes;
};

// One number of a personal contact: {"mobile", "+41 79 123 45 67"}.
struct ContactNumber {
  std::string type; // "work", "home", "mobile", "fax", "pager" or "other"
  std::string number;
};

// An entry of a user's personal address book; only its owner sees it.
struct Contact {
  Id id = 0;
  Id user_id = 0;
  std::string name;
  std::string company;
  std::vector<ContactNumber> numbers; // in the order the user gave them
  std::string email;
  std::string notes;
  UnixTime created_at = 0;
  UnixTime updated_at = 0;
};

// A dialable number that leads to exactly one user or one group.
struct Extension {
  std::string number;
  std::optional<Id> user_id;
  std::optional<Id> group_id;
  std::string target_name; // the user's or group's name, filled in when read
};

// One registered contact of an address-of-record (RFC 3261 §10.3), kept so that a
// restart keeps every phone reachable.
struct Binding {
  // Strings first, then numbers from the widest down: no padding, as a registrar keeps one
  // of these for every phone.
  std::string aor;
  std::string contact; // the Contact URI as the phone registered it
  std::string call_id;
  std::string transport; // "udp", "tcp" or "tls"
  // Where its packets come from (RFC 3581): behind NAT, the only address that reaches it.
  std::string source_address;
  std::string local_address; // the address and port of ours it registered through
  std::string path;          // Path header values in order, comma-separated (RFC 3327)
  std::string instance_id;   // +sip.instance (RFC 5626)
  std::string user_agent;
  UnixTime expires_at = 0;
  std::uint32_t cseq = 0;
  std::uint16_t q = 1000; // preference in thousandths (q=0.5 is 500)
  std::uint16_t source_port = 0;
  std::uint16_t local_port = 0;

  friend bool operator==(const Binding&, const Binding&) = default;
};

// The complete set of bindings an address-of-record has after a change.
struct AorBindings {
  std::string aor;
  std::vector<Binding> bindings;
};

// One leg of a call: the caller's leg (a) or one callee device's leg (b1, b2, ...). A call
// record (CDR) is the set of legs sharing a call_id; the duration is derived, ended_at -
// answered_at when answered.
struct CallLeg {
  std::string call_id; // Starling's id for the whole call (shared by all its legs)
  std::string leg;     // "a", "b1", "b2" ...
  std::string caller;  // as dialled/identified: user or device name, number
  std::string callee;
  std::string device; // the device (auth name) or contact this leg talks to; may be empty
  UnixTime started_at = 0;
  UnixTime answered_at = 0; // 0: never answered
  UnixTime ended_at = 0;    // 0: still active
  std::string state;        // "ringing", "connected", "held", "ended"
  // e.g. "normal", "busy", "no_answer", "cancelled", "answered_elsewhere", "declined",
  // "rejected", "unavailable", "not_found", "timeout", "session_expired", "media_timeout",
  // "server_stopped" (docs/calls.md); empty while active
  std::string hangup_cause;
  std::string hangup_side; // "caller", "callee", "system"; empty while active
};

enum class TrunkKind {
  registration, // Starling registers at the provider with a user name and password
  ip,           // the provider sends from known addresses, nothing registers
};

// A number (or range "+4930123400-+4930123499", or pattern "+49301234XX") a trunk delivers,
// and the dial plan target (an extension number) its calls go to.
struct TrunkNumber {
  std::string did;
  std::string target;
};

// A connection to a SIP provider (docs/trunks.md).
struct Trunk {
  Id id = 0;
  std::string name;
  TrunkKind kind = TrunkKind::registration;
  std::string domain;         // the provider's SIP domain, "host" or "host:port"
  std::string outbound_proxy; // where requests go instead of the domain; empty: the domain
  std::string transport = "udp";
  std::string username;      // the account at the provider; also the From user by default
  std::string auth_username; // for digest authentication; empty: username
  std::string password;
  std::string from_user; // the From user of outgoing calls; empty: username
  std::uint32_t expires = 600;
  std::vector<std::string> allowed_addresses; // addresses or networks calls may come from
  std::vector<std::string> codecs;            // preferred order, e.g. {"PCMA", "PCMU"}
  std::string caller_id_format = "e164";      // "e164", "national", "international", "digits"
  std::string identity = "pai";               // "pai", "ppi" or "none" (RFC 3325)
  std::uint32_t channels = 0;                 // concurrent calls; 0: no limit
  std::string unknown_did;                    // target for numbers not in `numbers`; empty: 404
  bool enabled = true;
  std::vector<TrunkNumber> numbers;
  UnixTime created_at = 0;
};

// One rule of outbound routing: numbers matching `pattern` lose `strip` leading characters,
// get `prepend` (or are sent in E.164 when `e164`), and go out through the first of `trunks`
// that takes the call.
struct OutboundRoute {
  Id id = 0;
  std::int64_t position = 0; // rules are tried in ascending position
  std::string name;
  std::string pattern;
  std::uint32_t strip = 0;
  std::string prepend;
  bool e164 = false;
  std::vector<std::string> trunks;
};

// A trunk's registration as the running server last saw it, for `starling trunks`.
struct TrunkStatus {
  std::string trunk;
  std::string state;  // "unregistered", "registering", "registered", "failing", "ip"
  std::string reason; // why it is failing, or empty
  UnixTime changed_at = 0;
  UnixTime expires_at = 0; // when the registration runs out; 0: not registered
};

// An XMPP message kept for a user with no available resource (RFC 6121 §8.5.2.2) until one
// comes online.
struct OfflineMessage {
  Id id = 0; // ascending in arrival order
  Id user_id = 0;
  std::string stanza; // the serialized <message/> element
  UnixTime stored_at = 0;
};

// An XMPP message in one archive (XEP-0313): a one-to-one message in the sender's or the
// recipient's, or a group chat message in its room's (§5).
struct ArchivedMessage {
  Id id = 0;                // ascending in archiving order
  std::string archive_id{}; // the XEP-0359 stanza-id clients see, unique across archives
  Id user_id = 0;           // whose archive, or 0 for a room's
  std::string room{};       // the room's name (localpart) for a room's archive
  // The other party: a bare JID in a user's archive, the sender's room/nick in a room's.
  std::string with_jid{};
  std::string stanza{}; // the serialized <message/> element
  UnixTime stored_at = 0;
};

// A page of one user's or one room's archive (XEP-0313 §4.1 filters, XEP-0059 paging).
struct ArchiveQuery {
  Id user = 0;
  std::string room{};              // set for a room's archive instead of a user's
  std::string with{};              // only messages with this JID (as with_jid); empty: any
  std::optional<UnixTime> start{}; // only messages stored at or after
  std::optional<UnixTime> end{};   // only messages stored at or before
  // Only messages after, or before, the one with this archive id. An empty `before` asks for
  // the last page (XEP-0059 §2.5).
  std::optional<std::string> after{};
  std::optional<std::string> before{};
  std::size_t limit = 50;
};

struct ArchivePage {
  std::vector<ArchivedMessage> messages{}; // oldest first
  // The page reaches the end it was taken towards: the newest match when paging forwards,
  // the oldest when paging backwards (with `before`).
  bool complete = false;
  std::size_t count = 0; // how many messages match the filters, whatever the paging
};

// A persistent XMPP group chat room (XEP-0045 §10.1.3); who is in it is not kept.
struct XmppRoom {
  std::string name; // the room's localpart, unique: "lobby" of lobby@conference.DOMAIN
  std::string subject;
  std::string created_by; // the creator's bare JID
  UnixTime created_at = 0;
  std::string title; // the name its owner gave it (muc#roomconfig_roomname); may be empty
  std::string description;
  bool members_only = false;
  bool is_public = true;
  bool occupants_change_subject = true;
  bool occupants_invite = true;
  bool semi_anonymous = false; // only moderators see real JIDs (muc#roomconfig_whois)
  bool moderated = false;      // only occupants with voice speak
  std::string password{};      // what entering takes (muc#roomconfig_roomsecret); empty: none
  // Bare JID to "owner", "admin", "member" or "outcast" (XEP-0045 §5.2).
  std::vector<std::pair<std::string, std::string>> affiliations{};
};

// One entry of what an XMPP user keeps on the server (contacts, PEP items, vCard ...).
struct XmppUserItem {
  std::string user;  // the user's name
  std::string kind;  // e.g. "vcard", "blocklist"
  std::string key;   // within the kind; "" for a kind with one entry per user
  std::string value; // a serialized XML element
  UnixTime updated_at = 0;
};

} // namespace starling::store
