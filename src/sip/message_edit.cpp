// Via stamping and first-value edits on parsed messages.
#include "sip/message_edit.h"

#include <string>

#include "sip/comma_list.h"
#include "sip/detail/chars.h"
#include "sip/detail/scanner.h"
#include "sip/via.h"

namespace starling::sip {

namespace {

std::size_t index_of(const Message& message, HeaderId id) {
  const auto headers = message.headers();
  for (std::size_t i = 0; i < headers.size(); ++i) {
    if (headers[i].id == id) {
      return i;
    }
  }
  return headers.size();
}

// `first` with the received and rport parameters cut out, as text.
std::string without_received_and_rport(std::string_view first, const Via& via) {
  std::string out;
  out.reserve(first.size() + 48); // room for what stamp_top_via appends
  std::size_t copied = 0;
  for (const Param& p : via.params) {
    if (detail::iequals(p.name, "received") || detail::iequals(p.name, "rport")) {
      const auto begin = static_cast<std::size_t>(p.raw.data() - first.data());
      out.append(first.substr(copied, begin - copied));
      copied = begin + p.raw.size();
    }
  }
  out.append(first.substr(copied));
  if (const auto trimmed = detail::trim_lws(out); trimmed.size() != out.size()) {
    out = std::string(trimmed);
  }
  return out;
}

} // namespace

bool stamp_top_via(Message& request, std::string_view source_address, std::uint16_t source_port) {
  const HeaderField* top = request.find(HeaderId::via);
  if (top == nullptr) {
    return false;
  }
  const auto via = parse_via(CommaList{top->value}.front());
  if (!via) {
    return false;
  }
  stamp_top_via(request, *via, source_address, source_port);
  return true;
}

void stamp_top_via(Message& request, const Via& top, std::string_view source_address,
                   std::uint16_t source_port) {
  const bool add_received =
      top.has_rport || !detail::iequals(host_address(top.host), source_address);
  if (!add_received && top.received.empty()) {
    return; // nothing to record, nothing stale to replace
  }
  const std::size_t index = index_of(request, HeaderId::via);
  const std::string_view value = request.headers()[index].value;
  const std::string_view first = CommaList{value}.front();
  std::string stamped = without_received_and_rport(first, top);
  if (add_received) {
    // RFC 5118 §4.5: an IPv6 received value is written as a reference, in brackets.
    const bool ipv6 = source_address.find(':') != std::string_view::npos;
    stamped.append(ipv6 ? ";received=[" : ";received=").append(source_address);
    if (ipv6) {
      stamped.push_back(']');
    }
  }
  if (top.has_rport) {
    stamped.append(";rport=").append(std::to_string(source_port));
  }
  // The other values on the same line follow unchanged, comma and folds included.
  const auto first_end = static_cast<std::size_t>(first.data() - value.data()) + first.size();
  stamped.append(value.substr(first_end));
  request.set_header_value(index, stamped);
}

void prepend_value(Message& message, HeaderId id, std::string_view value) {
  message.insert_header(index_of(message, id), id, value);
}

bool remove_first_value(Message& message, HeaderId id) {
  const std::size_t index = index_of(message, id);
  if (index == message.headers().size()) {
    return false;
  }
  const std::string_view value = message.headers()[index].value;
  CommaList list{value};
  auto it = list.begin();
  ++it;
  if (it == list.end()) {
    message.erase_header(index);
    return true;
  }
  const auto rest = static_cast<std::size_t>((*it).data() - value.data());
  message.set_header_value(index, value.substr(rest));
  return true;
}

} // namespace starling::sip
