// SCRAM secrets and password checks for XMPP logins, from the users in the store.
#include "xmpp/server/store_credentials.h"

#include <string>

#include <spdlog/spdlog.h>

#include "directory/names.h"
#include "directory/password_hash.h"
#include "directory/scram_secret.h"

namespace starling::xmpp::server {

namespace {

// Starling's user names are lowercase ASCII (directory::check_name), so PRECIS
// UsernameCaseMapped (RFC 8265 §3.3) comes down to ASCII lowercasing; a name with anything
// else in it names nobody.
std::optional<std::string> user_name_of(std::string_view username) {
  std::string name(username);
  for (char& c : name) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  if (directory::check_name("user", name)) {
    return std::nullopt;
  }
  return name;
}

} // namespace

std::expected<std::optional<store::User>, sasl::LookupError>
StoreCredentials::find(std::string_view username) const {
  const auto name = user_name_of(username);
  if (!name) {
    return std::nullopt;
  }
  auto user = store_.find_user(*name);
  if (!user) {
    spdlog::error("xmpp: cannot read user {} from the store: {}", *name, user.error().message);
    return std::unexpected(sasl::LookupError::unavailable);
  }
  return std::move(*user);
}

std::expected<std::optional<sasl::ScramCredentials>, sasl::LookupError>
StoreCredentials::scram(std::string_view username, sasl::ScramHash hash) const {
  auto user = find(username);
  if (!user) {
    return std::unexpected(user.error());
  }
  if (!*user) {
    return std::nullopt;
  }
  const auto& password = (*user)->password;
  const auto secret = directory::decode_scram_secret(
      hash == sasl::ScramHash::sha1 ? password.scram_sha1 : password.scram_sha256);
  if (!secret) {
    return std::nullopt; // set before SCRAM secrets were kept: PLAIN still works
  }
  return sasl::scram_credentials(*secret);
}

std::expected<bool, sasl::LookupError>
StoreCredentials::check_password(std::string_view username, std::string_view password) const {
  auto user = find(username);
  if (!user) {
    return std::unexpected(user.error());
  }
  return *user && directory::verify_password((*user)->password.hash, password);
}

} // namespace starling::xmpp::server
