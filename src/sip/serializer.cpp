// Serialization of a sip::Message from its line views.
#include "sip/serializer.h"

namespace starling::sip {

std::size_t serialized_size(const Message& message) {
  std::size_t size =
      message.start_line().size() + message.header_terminator().size() + message.body().size();
  for (const HeaderField& h : message.headers()) {
    size += h.raw.size();
  }
  return size;
}

void serialize_to(const Message& message, std::string& out) {
  out.reserve(out.size() + serialized_size(message));
  out.append(message.start_line());
  for (const HeaderField& h : message.headers()) {
    out.append(h.raw);
  }
  out.append(message.header_terminator());
  out.append(message.body());
}

std::string serialize(const Message& message) {
  std::string out;
  serialize_to(message, out);
  return out;
}

} // namespace starling::sip
