// Users' vCards (XEP-0054) for the parts of the server that show them on a user's behalf,
// such as a group chat room answering for its occupants.
#pragma once

#include <string_view>

#include "xmpp/xml/element.h"

namespace starling::xmpp::im {

inline constexpr std::string_view kVcardNamespace = "vcard-temp";

class VcardSource {
public:
  VcardSource() = default;
  VcardSource(const VcardSource&) = delete;
  VcardSource& operator=(const VcardSource&) = delete;
  virtual ~VcardSource() = default;

  // The local user's <vCard xmlns='vcard-temp'/>, empty when none was set.
  [[nodiscard]] virtual xml::Element vcard(std::string_view user) const = 0;
};

} // namespace starling::xmpp::im
