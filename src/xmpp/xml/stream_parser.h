// Push parser for an XMPP client stream (RFC 6120 §4) in restricted XML (§11.1), on expat:
// bytes in, in chunks of any size; stream header, top-level elements, close or error out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "xmpp/xml/element.h"
#include "xmpp/xml/limits.h"
#include "xmpp/xml/namespaces.h"
#include "xmpp/xml/stream_error.h"
#include "xmpp/xml/stream_header.h"

namespace starling::xmpp::xml {

struct ParserSettings {
  // Bytes of one top-level element; raise it after SASL success (set_max_element_size).
  std::size_t max_element_size = kMaxElementSizeBeforeAuth;
  std::size_t max_depth = kMaxDepth;
  std::size_t max_attributes = kMaxAttributes;
  // The default namespace a stream header may declare (RFC 6120 §4.8.2, §4.9.3.10).
  std::string content_namespace{kClientNamespace};
};

// Why the stream cannot go on: the condition to send in <stream:error/>, a static
// description for the log, and the stream offset (bytes since the last reset) where found.
struct ParseError {
  StreamErrorCondition condition = StreamErrorCondition::not_well_formed;
  std::string_view reason;
  std::uint64_t offset = 0;

  bool operator==(const ParseError&) const = default;
};

// The peer's </stream:stream> (RFC 6120 §4.4).
struct StreamClosed {
  bool operator==(const StreamClosed&) const = default;
};

// A stream header, a top-level element (stanza or nonza), the stream's end, or an error.
// After StreamClosed or a ParseError no more events come until reset().
using Event = std::variant<StreamHeader, Element, StreamClosed, ParseError>;

// Usage: feed() what was read, then take events with next() until it returns nothing.
// Whitespace between top-level elements (keep-alives, RFC 6120 §4.6.1) is skipped. The
// parser holds at most max_element_size bytes plus one chunk, whatever the peer sends, and
// almost nothing while the stream is idle between elements.
class StreamParser {
public:
  explicit StreamParser(ParserSettings settings = {});
  ~StreamParser();
  StreamParser(StreamParser&&) noexcept;
  StreamParser& operator=(StreamParser&&) noexcept;

  // Queues bytes; ignored after the stream closed or failed.
  void feed(std::string_view bytes);
  // The next event, or nothing until more bytes are fed. Parsing stops after each event,
  // so the caller can reset() between two elements that arrived in one chunk.
  std::optional<Event> next();

  // Stream restart after STARTTLS or SASL success (RFC 6120 §4.3.3, §5.4.3.3, §6.4.6): a
  // fresh expat parser that expects a new stream header. Nothing is carried over, not even
  // bytes fed but not parsed: after <starttls/> those are plaintext a man in the middle
  // could have injected. After SASL success a caller that allows pipelining re-feeds
  // unparsed() itself.
  void reset();
  // Bytes fed after the last event that no event accounts for yet.
  std::string_view unparsed() const;

  // Applies to the element being read and the ones after it; survives reset().
  void set_max_element_size(std::size_t bytes);
  const ParserSettings& settings() const;
  // Whether the parser rests between elements without its expat parser (its memory given
  // back), as it does whenever next() ran out of bytes there; feed() builds a new one.
  [[nodiscard]] bool idle() const;

private:
  struct State;
  std::unique_ptr<State> state_; // on the heap: expat keeps a pointer to it
};

} // namespace starling::xmpp::xml
