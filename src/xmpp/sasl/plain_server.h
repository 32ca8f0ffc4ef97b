// The server side of PLAIN (RFC 4616): offered only inside TLS.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <span>
#include <string_view>

#include "xmpp/sasl/credential_lookup.h"
#include "xmpp/sasl/mechanism.h"

namespace starling::xmpp::sasl {

// RFC 4616 §2 asks servers to take at least 255 octets per field; an XMPP localpart may be
// 1023 (RFC 7622 §3.3.1) and a bare JID authzid 2047, so these are the limits here.
inline constexpr std::size_t kMaxPlainIdentityLength = 2047;
inline constexpr std::size_t kMaxPlainPasswordLength = 1023;

// message = [authzid] UTF8NUL authcid UTF8NUL passwd. Views borrow from the message.
struct PlainMessage {
  std::string_view authzid; // empty when absent
  std::string_view authcid;
  std::string_view password;
};

// Refuses (malformed-request) anything but exactly two NULs, an empty authcid or password,
// a field over its limit, and text that is not UTF-8 (RFC 4616 §2).
[[nodiscard]] std::expected<PlainMessage, Failure>
parse_plain(std::span<const std::uint8_t> message);

class PlainServer final : public Mechanism {
public:
  // `lookup` must outlive this object.
  PlainServer(const CredentialLookup& lookup, std::string domain);

  [[nodiscard]] std::string_view name() const override { return "PLAIN"; }
  [[nodiscard]] Step step(std::span<const std::uint8_t> response) override;

private:
  const CredentialLookup& lookup_;
  std::string domain_;
  bool done_ = false;
};

} // namespace starling::xmpp::sasl
