// The SASL mechanisms' view of Starling's users: their SCRAM secrets and password hashes
// from the store.
#pragma once

#include <expected>
#include <optional>
#include <string_view>

#include "store/records.h"
#include "store/store.h"
#include "xmpp/sasl/credential_lookup.h"

namespace starling::xmpp::server {

// Reads the store on every call, so it runs where blocking is fine: the SASL steps are
// deferred to the service's worker threads.
class StoreCredentials final : public sasl::CredentialLookup {
public:
  explicit StoreCredentials(store::Store& store) : store_(store) {}

  [[nodiscard]] std::expected<std::optional<sasl::ScramCredentials>, sasl::LookupError>
  scram(std::string_view username, sasl::ScramHash hash) const override;
  [[nodiscard]] std::expected<bool, sasl::LookupError>
  check_password(std::string_view username, std::string_view password) const override;

private:
  // The user a SASL authcid names; nothing when no user has that name.
  [[nodiscard]] std::expected<std::optional<store::User>, sasl::LookupError>
  find(std::string_view username) const;

  store::Store& store_;
};

} // namespace starling::xmpp::server
