// XEP-0421 occupant ids: an HMAC of the room and the user's bare JID.
#include "xmpp/muc/occupant_id.h"

#include "core/base64.h"
#include "xmpp/sasl/scram_crypto.h"

namespace starling::xmpp::muc {

namespace {

// Separates this key from every other use of the server's secret.
constexpr std::string_view kKeyLabel = "starling: XEP-0421 occupant-id key";

} // namespace

// SCRAM's HMAC is RFC 2104's over SHA-256; nothing about it is particular to SCRAM.
OccupantIds::OccupantIds(std::span<const std::uint8_t> server_secret)
    : key_(sasl::scram_hmac(sasl::ScramHash::sha256, server_secret, kKeyLabel)) {}

std::string OccupantIds::of(const Jid& room, const Jid& real) const {
  // A NUL cannot be part of a JID, so no two pairs make the same input.
  const std::string input = room.bare().to_string() + '\0' + real.bare().to_string();
  return core::encode_base64(sasl::scram_hmac(sasl::ScramHash::sha256, key_, input));
}

xml::Element with_occupant_id(const xml::Element& stanza, std::string_view id) {
  auto out = stanza.without_elements(
      [](const xml::Element& child) { return child.is(kOccupantIdNamespace, "occupant-id"); });
  out.append(xml::Element(kOccupantIdNamespace, "occupant-id")).set_attribute("id", id);
  return out;
}

} // namespace starling::xmpp::muc
