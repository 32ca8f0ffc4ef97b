// libFuzzer target: SIP message parsing, validation, value parsers and serialization.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sip/comma_list.h"
#include "sip/digest.h"
#include "sip/error_response.h"
#include "sip/message_edit.h"
#include "sip/name_addr.h"
#include "sip/parser.h"
#include "sip/scalars.h"
#include "sip/serializer.h"
#include "sip/validation.h"
#include "sip/via.h"

namespace {

using namespace starling::sip;

// Reading every byte of a view lets ASan catch a view that points outside its buffer.
std::size_t touch(std::string_view s) {
  std::size_t sum = 0;
  for (char c : s) {
    sum += static_cast<unsigned char>(c);
  }
  return sum;
}

void check(bool condition) {
  if (!condition) {
    std::abort();
  }
}

void parse_values(const HeaderField& h) {
  if (is_list_header(h.id)) {
    for (std::string_view v : CommaList{h.value}) {
      touch(v);
      if (h.id == HeaderId::via) {
        (void)parse_via(v);
      } else if (h.id == HeaderId::contact) {
        if (auto c = parse_contact(v)) {
          (void)c->expires();
          (void)c->q();
          for (const Param& p : c->address.params) {
            touch(p.raw);
          }
        }
      } else {
        (void)parse_name_addr(v);
      }
    }
  }
  switch (h.id) {
  case HeaderId::from:
  case HeaderId::to:
    (void)parse_name_addr(h.value);
    break;
  case HeaderId::cseq:
    (void)parse_cseq(h.value);
    break;
  case HeaderId::authorization:
  case HeaderId::proxy_authorization:
    (void)parse_digest_credentials(h.value);
    break;
  case HeaderId::www_authenticate:
  case HeaderId::proxy_authenticate:
    (void)parse_digest_challenge(h.value);
    break;
  default:
    break;
  }
}

void round_trip(const Message& m, Framing framing) {
  const std::string out = serialize(m);
  check(out == m.wire_bytes());
  auto again = parse_message(out, framing);
  check(again.has_value());
  check(again->headers().size() == m.headers().size());
  check(again->body() == m.body());
}

void edit(Message& m) {
  const std::string before = serialize(m);
  (void)stamp_top_via(m, "192.0.2.1", 5060);
  prepend_value(m, HeaderId::via, "SIP/2.0/UDP 192.0.2.9;branch=z9hG4bKfuzz");
  (void)remove_first_value(m, HeaderId::via);
  (void)remove_first_value(m, HeaderId::route);
  const std::string after = serialize(m);
  check(parse_message(after).has_value() || !parse_message(before).has_value());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes{reinterpret_cast<const char*>(data), size};
  for (Framing framing : {Framing::datagram, Framing::stream}) {
    auto message = parse_message(bytes, framing);
    if (!message) {
      if (auto reply = build_error_response(bytes, message.error(), "fuzz")) {
        // The reply copies only lines that read as header lines, so it must parse itself.
        check(parse_message(*reply).has_value());
      }
      continue;
    }
    touch(message->start_line());
    touch(message->body());
    for (const HeaderField& h : message->headers()) {
      touch(h.name);
      touch(h.value);
      parse_values(h);
    }
    round_trip(*message, framing);
    if (message->is_request()) {
      auto request = validate_request(*message);
      if (!request) {
        touch(build_error_response(*message, request.error(), "fuzz"));
      }
    } else {
      (void)validate_response(*message);
    }
    edit(*message);
  }
  return 0;
}
