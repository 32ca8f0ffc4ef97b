// Option tags and body type of a message.
#include "sip/message_queries.h"

#include "sip/comma_list.h"

namespace starling::sip {

bool has_option_tag(const Message& message, HeaderId id, std::string_view tag) {
  for (const auto& header : message.headers()) {
    if (header.id != id) {
      continue;
    }
    for (const auto value : CommaList(header.value)) {
      if (value == tag) {
        return true;
      }
    }
  }
  return false;
}

bool carries_sdp(const Message& message) {
  const auto type = message.value(HeaderId::content_type);
  return !message.body().empty() &&
         (type.empty() || type.substr(0, type.find(';')) == "application/sdp");
}

} // namespace starling::sip
