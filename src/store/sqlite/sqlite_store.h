// The embedded default backend: one SQLite database file in WAL mode.
#pragma once

#include <filesystem>
#include <mutex>
#include <string>

#include "store/sqlite/database.h"
#include "store/store.h"

namespace starling::store::sqlite {

class SqliteStore final : public Store {
public:
  // Opens and migrates; throws SqliteFailure when it cannot (open_store converts that).
  explicit SqliteStore(const std::filesystem::path& file);

  Result<User> add_user(const NewUser& user) override;
  Result<std::optional<User>> find_user(std::string_view name) override;
  Result<std::vector<User>> list_users() override;
  Result<std::size_t> count_users(Role role) override;
  Result<void> set_password(Id user, const PasswordSecrets& password) override;
  Result<void> update_user(Id user, std::string_view display_name, Role role) override;
  Result<void> remove_user(Id user) override;

  Result<Device> add_device(const NewDevice& device) override;
  Result<std::optional<Device>> find_device(std::string_view auth_name) override;
  Result<std::vector<Device>> list_devices() override;
  Result<void> remove_device(Id device) override;
  Result<void> set_device_description(Id device, std::string_view description) override;
  Result<void> set_device_credentials(Id device, std::string_view realm, std::string_view ha1_md5,
                                      std::string_view ha1_sha256) override;

  Result<Extension> add_extension(const Extension& extension) override;
  Result<std::optional<Extension>> find_extension(std::string_view number) override;
  Result<std::vector<Extension>> list_extensions() override;
  Result<void> remove_extension(std::string_view number) override;

  Result<Group> add_group(std::string_view name, std::string_view display_name) override;
  Result<std::optional<Group>> find_group(std::string_view name) override;
  Result<std::vector<Group>> list_groups() override;
  Result<void> remove_group(Id group) override;
  Result<void> set_group_display_name(Id group, std::string_view display_name) override;
  Result<void> add_group_member(Id group, Id user) override;
  Result<void> remove_group_member(Id group, Id user) override;

  Result<ApiToken> add_api_token(const NewApiToken& token) override;
  Result<std::optional<ApiToken>> find_api_token(std::string_view secret_hash) override;
  Result<std::vector<ApiToken>> list_api_tokens(std::optional<Id> user) override;
  Result<void> remove_api_token(Id token) override;
  Result<void> set_api_token_used(Id token, UnixTime at) override;

  Result<Contact> add_contact(const Contact& contact) override;
  Result<std::vector<Contact>> list_contacts(Id user) override;
  Result<std::optional<Contact>> find_contact(Id user, Id contact) override;
  Result<Contact> update_contact(const Contact& contact) override;
  Result<void> remove_contact(Id user, Id contact) override;

  Result<void> replace_bindings(std::span<const AorBindings> changes,
                                Durability durability) override;
  Result<std::vector<Binding>> list_bindings() override;
  Result<void> save_call_legs(std::span<const CallLeg> legs) override;
  Result<std::vector<CallLeg>> list_call_legs(const CallLegQuery& query) override;
  Result<std::size_t> end_active_call_legs(UnixTime at, std::string_view cause) override;
  Result<Trunk> add_trunk(const Trunk& trunk) override;
  Result<std::optional<Trunk>> find_trunk(std::string_view name) override;
  Result<std::vector<Trunk>> list_trunks() override;
  Result<Trunk> update_trunk(const Trunk& trunk) override;
  Result<void> remove_trunk(Id trunk) override;
  Result<OutboundRoute> add_outbound_route(const OutboundRoute& route) override;
  Result<std::vector<OutboundRoute>> list_outbound_routes() override;
  Result<OutboundRoute> update_outbound_route(const OutboundRoute& route) override;
  Result<void> remove_outbound_route(Id route) override;
  Result<void> set_user_call_class(Id user, std::string_view call_class) override;
  Result<void> save_trunk_status(const TrunkStatus& status) override;
  Result<std::vector<TrunkStatus>> list_trunk_status() override;
  Result<Id> add_offline_message(Id user, std::string_view stanza, UnixTime stored_at) override;
  Result<std::vector<OfflineMessage>> list_offline_messages() override;
  Result<void> remove_offline_messages(Id user, Id up_to) override;
  Result<Id> add_archived_message(const ArchivedMessage& message) override;
  Result<ArchivePage> query_archive(const ArchiveQuery& query) override;
  Result<std::size_t> remove_archived_messages_before(UnixTime cutoff) override;
  Result<void> save_xmpp_room(const XmppRoom& room) override;
  Result<std::vector<XmppRoom>> list_xmpp_rooms() override;
  Result<void> remove_xmpp_room(std::string_view name) override;
  Result<void> put_xmpp_user_item(const XmppUserItem& item) override;
  Result<void> remove_xmpp_user_item(std::string_view user, std::string_view kind,
                                     std::string_view key) override;
  Result<std::vector<XmppUserItem>> list_xmpp_user_items() override;
  Result<std::uint64_t> revision() override;

private:
  // Runs `body` under the connection lock, its commits as durable as asked, and turns an
  // SqliteFailure into a StoreError; a constraint violation becomes a conflict described by
  // `conflict`.
  template <typename Body>
  auto guarded(Body&& body, std::string_view conflict = "",
               Durability durability = Durability::power_loss)
      -> Result<decltype(std::forward<Body>(body)())>;

  Group read_group(Statement& row);
  // The contact of `user` with this id, numbers included; throws not_found when none is.
  Contact read_contact(Id user, Id contact);
  void write_contact_numbers(const Contact& contact);

  std::mutex mutex_;
  Database db_;
};

} // namespace starling::store::sqlite
