// What the digest verifier needs to know about a user: the stored HA1 values for a realm.
#pragma once

#include <optional>
#include <string_view>

#include "sip/auth/hex_digest.h"

namespace starling::sip {

// HA1 = H(username ":" realm ":" password) (RFC 7616 §3.4.2), as lowercase hex. Storing HA1
// instead of the password keeps the password out of the SIP module; an empty value means
// the store has no HA1 for that algorithm (an account created before SHA-256 was offered).
struct StoredCredentials {
  HexDigest ha1_md5;    // 32 hex digits
  HexDigest ha1_sha256; // 64 hex digits
};

// Implemented by the directory module (the SIP module knows nothing about users). It is
// called on the signalling thread, so implementations answer from memory or a cache and
// never block on the database.
class CredentialStore {
public:
  CredentialStore() = default;
  CredentialStore(const CredentialStore&) = delete;
  CredentialStore& operator=(const CredentialStore&) = delete;
  CredentialStore(CredentialStore&&) = delete;
  CredentialStore& operator=(CredentialStore&&) = delete;
  virtual ~CredentialStore() = default;

  // Nothing when (username, realm) is not a known account.
  [[nodiscard]] virtual std::optional<StoredCredentials> find(std::string_view username,
                                                              std::string_view realm) const = 0;
};

} // namespace starling::sip
