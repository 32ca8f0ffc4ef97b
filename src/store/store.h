// The storage interface every backend (SQLite now, PostgreSQL later) implements.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/records.h"
#include "store/store_error.h"

namespace starling::store {

// Which call legs list_call_legs returns: the newest first, at most `limit` of them.
struct CallLegQuery {
  bool active_only = false; // only legs not ended yet
  std::size_t limit = 50;
  // The filters below select whole calls: every leg of each call that matches all of them.
  std::string number; // the caller or callee contains it, ignoring ASCII case; empty: any
  UnixTime since = 0; // the call started at or after this; 0: any time
  UnixTime until = 0; // the call started before this; 0: any time
  // One of the call's legs has one of these as caller, callee or device; absent: any call.
  std::optional<std::vector<std::string>> parties;
};

// How far a write has got when it returns success.
enum class Durability {
  power_loss,    // on the disk
  process_crash, // handed to the operating system: survives kill -9, not a power loss
};

// Every call is one transaction: when it returns success, the change is on disk (only
// replace_bindings may be asked for less). Implementations are safe to call from several
// threads; callers keep calls off signalling shards because they block on disk.
class Store {
public:
  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  Store(Store&&) = delete;
  Store& operator=(Store&&) = delete;
  virtual ~Store() = default;

  virtual Result<User> add_user(const NewUser& user) = 0;
  virtual Result<std::optional<User>> find_user(std::string_view name) = 0;
  virtual Result<std::vector<User>> list_users() = 0;
  virtual Result<std::size_t> count_users(Role role) = 0;
  virtual Result<void> set_password(Id user, const PasswordSecrets& password) = 0;
  virtual Result<void> update_user(Id user, std::string_view display_name, Role role) = 0;
  // Also removes the user's devices, extensions, group memberships, API tokens, contacts and
  // offline messages.
  virtual Result<void> remove_user(Id user) = 0;

  virtual Result<Device> add_device(const NewDevice& device) = 0;
  virtual Result<std::optional<Device>> find_device(std::string_view auth_name) = 0;
  virtual Result<std::vector<Device>> list_devices() = 0;
  virtual Result<void> remove_device(Id device) = 0;
  virtual Result<void> set_device_description(Id device, std::string_view description) = 0;
  // New HA1 hashes (a new password), over `realm`.
  virtual Result<void> set_device_credentials(Id device, std::string_view realm,
                                              std::string_view ha1_md5,
                                              std::string_view ha1_sha256) = 0;

  virtual Result<Extension> add_extension(const Extension& extension) = 0;
  virtual Result<std::optional<Extension>> find_extension(std::string_view number) = 0;
  virtual Result<std::vector<Extension>> list_extensions() = 0;
  virtual Result<void> remove_extension(std::string_view number) = 0;

  virtual Result<Group> add_group(std::string_view name, std::string_view display_name) = 0;
  virtual Result<std::optional<Group>> find_group(std::string_view name) = 0;
  virtual Result<std::vector<Group>> list_groups() = 0;
  virtual Result<void> remove_group(Id group) = 0;
  virtual Result<void> set_group_display_name(Id group, std::string_view display_name) = 0;
  virtual Result<void> add_group_member(Id group, Id user) = 0;
  virtual Result<void> remove_group_member(Id group, Id user) = 0;

  virtual Result<ApiToken> add_api_token(const NewApiToken& token) = 0;
  virtual Result<std::optional<ApiToken>> find_api_token(std::string_view secret_hash) = 0;
  // Every user's tokens, or only those of `user`; oldest first.
  virtual Result<std::vector<ApiToken>> list_api_tokens(std::optional<Id> user) = 0;
  virtual Result<void> remove_api_token(Id token) = 0;
  virtual Result<void> set_api_token_used(Id token, UnixTime at) = 0;

  // Personal contacts. Each call names the owner, so that a user never reaches another's:
  // a contact of someone else is not_found. add_contact ignores the id and the times.
  virtual Result<Contact> add_contact(const Contact& contact) = 0;
  virtual Result<std::vector<Contact>> list_contacts(Id user) = 0; // by name
  virtual Result<std::optional<Contact>> find_contact(Id user, Id contact) = 0;
  // Replaces everything but the owner and created_at; updated_at becomes now.
  virtual Result<Contact> update_contact(const Contact& contact) = 0;
  virtual Result<void> remove_contact(Id user, Id contact) = 0;

  // Makes each listed AOR have exactly the given bindings, all in one transaction, so a
  // batch of registrations costs one disk sync, or none when process_crash is enough.
  virtual Result<void> replace_bindings(std::span<const AorBindings> changes,
                                        Durability durability) = 0;
  virtual Result<std::vector<Binding>> list_bindings() = 0;

  // Inserts or replaces each leg by (call_id, leg), all in one transaction, so a batch of
  // call state changes costs one disk sync.
  virtual Result<void> save_call_legs(std::span<const CallLeg> legs) = 0;
  // Newest first: by started_at, then call_id and leg, all descending.
  virtual Result<std::vector<CallLeg>> list_call_legs(const CallLegQuery& query) = 0;
  // Ends every leg still active, as the system, with the given cause: at start, for the legs
  // a crash or a stop left behind. Returns how many legs it ended.
  virtual Result<std::size_t> end_active_call_legs(UnixTime at, std::string_view cause) = 0;

  // Trunks with their numbers. update_trunk replaces everything but the id and created_at.
  virtual Result<Trunk> add_trunk(const Trunk& trunk) = 0;
  virtual Result<std::optional<Trunk>> find_trunk(std::string_view name) = 0;
  virtual Result<std::vector<Trunk>> list_trunks() = 0; // by name
  virtual Result<Trunk> update_trunk(const Trunk& trunk) = 0;
  virtual Result<void> remove_trunk(Id trunk) = 0;

  // Outbound routes in the order they are tried (position, then id).
  virtual Result<OutboundRoute> add_outbound_route(const OutboundRoute& route) = 0;
  virtual Result<std::vector<OutboundRoute>> list_outbound_routes() = 0;
  virtual Result<OutboundRoute> update_outbound_route(const OutboundRoute& route) = 0;
  virtual Result<void> remove_outbound_route(Id route) = 0;

  virtual Result<void> set_user_call_class(Id user, std::string_view call_class) = 0;

  // Registration states of trunks, kept by the running server for other processes to read.
  virtual Result<void> save_trunk_status(const TrunkStatus& status) = 0;
  virtual Result<std::vector<TrunkStatus>> list_trunk_status() = 0;

  // XMPP offline messages (RFC 6121 §8.5.2.2), written behind the server's in-memory queues
  // and read back once at start. They go with their user and do not move the revision.
  virtual Result<Id> add_offline_message(Id user, std::string_view stanza, UnixTime stored_at) = 0;
  virtual Result<std::vector<OfflineMessage>> list_offline_messages() = 0; // by id
  // Removes the user's messages with an id up to `up_to`, keeping any stored after the server
  // took the queue. Removing none is no error: the user, and so the messages, may be gone.
  virtual Result<void> remove_offline_messages(Id user, Id up_to) = 0;

  // XMPP message archives (XEP-0313), written behind the router: users' (user_id) and group
  // chat rooms' (room). A user's goes with the user; none moves the revision. An `after` or
  // `before` that names no message of the queried archive is not_found.
  virtual Result<Id> add_archived_message(const ArchivedMessage& message) = 0; // id ignored
  virtual Result<ArchivePage> query_archive(const ArchiveQuery& query) = 0;
  // Retention: deletes every archived message stored before `cutoff`; how many it deleted.
  virtual Result<std::size_t> remove_archived_messages_before(UnixTime cutoff) = 0;

  // XMPP group chat rooms (XEP-0045), written behind the server's rooms in memory. Saving
  // inserts or replaces by name, affiliations included; removing takes the room's
  // affiliations and archive with it. Rooms are not directory and do not move the revision.
  virtual Result<void> save_xmpp_room(const XmppRoom& room) = 0;
  virtual Result<std::vector<XmppRoom>> list_xmpp_rooms() = 0; // by name
  virtual Result<void> remove_xmpp_room(std::string_view name) = 0;

  // What XMPP users keep on the server, written behind the server's copy in memory and read
  // back once at start. Entries go with their user and do not move the revision. Putting
  // inserts or replaces by (user, kind, key); a user that is gone is not_found. Removing
  // an entry that is not there is no error.
  virtual Result<void> put_xmpp_user_item(const XmppUserItem& item) = 0;
  virtual Result<void> remove_xmpp_user_item(std::string_view user, std::string_view kind,
                                             std::string_view key) = 0;
  virtual Result<std::vector<XmppUserItem>> list_xmpp_user_items() = 0; // by user, kind, key

  // A number that moves whenever the directory (users, devices, extensions, groups,
  // trunks, routes) changes, through this connection or any other (e.g. `starling device add`), so
  // a cache of them knows when to reload without reading them all.
  virtual Result<std::uint64_t> revision() = 0;
};

} // namespace starling::store
