// libFuzzer target: the XMPP stream parser fed in chunks, with stream restarts after <auth/>
// and <starttls/>; every element and header must serialise and parse back equal, and the
// events must not depend on how the bytes were chunked.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "xmpp/xml/namespaces.h"
#include "xmpp/xml/serializer.h"
#include "xmpp/xml/stream_error.h"
#include "xmpp/xml/stream_header.h"
#include "xmpp/xml/stream_parser.h"

namespace {

using namespace starling::xmpp::xml;

void check(bool condition) {
  if (!condition) {
    std::abort();
  }
}

std::vector<Event> parse_whole(std::string_view bytes, ParserSettings settings) {
  StreamParser parser(std::move(settings));
  parser.feed(bytes);
  std::vector<Event> events;
  while (auto event = parser.next()) {
    events.push_back(std::move(*event));
  }
  return events;
}

// A serialised element parses back to an equal element.
void round_trip(const Element& element) {
  const std::string bytes = open_stream({}) + serialize(element);
  const auto events = parse_whole(bytes, {.max_element_size = bytes.size()});
  check(events.size() == 2);
  check(std::holds_alternative<StreamHeader>(events[0]));
  const auto* again = std::get_if<Element>(&events[1]);
  check(again != nullptr && *again == element);
}

void round_trip(const StreamHeader& header) {
  const std::string bytes = open_stream(header);
  const auto events = parse_whole(bytes, {.max_element_size = bytes.size()});
  check(events.size() == 1);
  const auto* again = std::get_if<StreamHeader>(&events[0]);
  check(again != nullptr);
  StreamHeader expected = header;
  expected.content_namespace = kClientNamespace; // open_stream always declares one
  check(*again == expected);
}

// The client's last element before a stream restart (RFC 6120 §5.4.3.3, §6.4.6).
bool ends_negotiation_step(const Element& element) {
  return element.is(kTlsNamespace, "starttls") || element.is(kSaslNamespace, "auth");
}

// Feeds `bytes` in chunks of `chunk` bytes (all at once if 0), restarting the stream the
// way the server does; returns the events without the error, and whether one came.
std::vector<Event> run(std::string_view bytes, std::size_t chunk, bool& failed) {
  StreamParser parser;
  std::vector<Event> events;
  failed = false;
  std::size_t at = 0;
  do {
    const std::size_t length = chunk == 0 ? bytes.size() : std::min(chunk, bytes.size() - at);
    parser.feed(bytes.substr(at, length));
    at += length;
    while (auto event = parser.next()) {
      if (const auto* error = std::get_if<ParseError>(&*event)) {
        check(!error->reason.empty());
        failed = true;
        continue;
      }
      check(!failed); // nothing after an error
      if (const auto* element = std::get_if<Element>(&*event); element != nullptr) {
        round_trip(*element);
        if (ends_negotiation_step(*element)) {
          // Pipelined bytes go to the new stream (after SASL success a client may send its
          // new header at once); the stream is trusted more after authentication.
          const std::string rest(parser.unparsed());
          parser.reset();
          parser.set_max_element_size(kMaxElementSizeAuthenticated);
          parser.feed(rest);
        }
      } else if (const auto* header = std::get_if<StreamHeader>(&*event)) {
        round_trip(*header);
      }
      events.push_back(std::move(*event));
    }
  } while (at < bytes.size());
  return events;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  // The first byte chooses the chunk size, 1 to 128 bytes; the rest is the stream.
  const std::size_t chunk = (data[0] & 0x7FU) + 1U;
  const std::string_view bytes{reinterpret_cast<const char*>(data) + 1, size - 1};
  bool failed_in_chunks = false;
  bool failed_whole = false;
  const auto in_chunks = run(bytes, chunk, failed_in_chunks);
  const auto whole = run(bytes, 0, failed_whole);
  check(in_chunks == whole);
  if (failed_in_chunks || failed_whole) {
    const auto condition = static_cast<StreamErrorCondition>(data[0] % 25);
    round_trip(build_stream_error(condition, "fuzz <text> & more"));
  }
  return 0;
}
