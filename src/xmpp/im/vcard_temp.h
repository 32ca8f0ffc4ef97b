// vcard-temp (XEP-0054): each user's vCard, set by the user and read by every local user,
// kept in im::UserData.
#pragma once

#include <optional>
#include <string_view>

#include "xmpp/im/iq_handler.h"
#include "xmpp/im/roster_source.h"
#include "xmpp/im/server_iq.h"
#include "xmpp/im/user_data.h"
#include "xmpp/im/vcard_source.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::im {

// UserData kind; one entry per user, key "".
inline constexpr std::string_view kVcardKind = "vcard";

class VcardTemp final : public IqHandler, public VcardSource {
public:
  // Both must outlive this object.
  VcardTemp(const RosterSource& accounts, UserData& data) : accounts_(accounts), data_(data) {}

  // Adds vcard-temp to the server's disco#info (XEP-0054 §3).
  static void announce(ServerIq& server_iq);

  [[nodiscard]] xml::Element vcard(std::string_view user) const override;
  void set_vcard(std::string_view user, const xml::Element& vcard);

  bool on_request(Resource& sender, const std::optional<Jid>& to, const xml::Element& iq) override;

private:
  const RosterSource& accounts_;
  UserData& data_;
};

} // namespace starling::xmpp::im
