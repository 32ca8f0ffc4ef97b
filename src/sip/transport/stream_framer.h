// Finds where one SIP message ends in the bytes received on a TCP or TLS connection
// (RFC 3261 §18.3): at the header terminator plus Content-Length octets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace starling::sip {

enum class FrameKind : std::uint8_t {
  need_more, // no complete unit yet: read more
  message,   // `length` octets form one message (parse it with Framing::stream)
  crlf,      // a CRLF between messages (RFC 3261 §7.5, a keep-alive pong): skip `length`
  ping,      // CRLFCRLF (RFC 5626 §3.5.1): skip `length` and answer with CRLF
  error,     // cannot be framed: answer with status/reason when possible, then close
};

// Reason phrases of the framing errors, worded as the parser words the same faults.
inline constexpr std::string_view kMissingContentLength = "Missing Content-Length";
inline constexpr std::string_view kMalformedContentLength = "Malformed Content-Length";
inline constexpr std::string_view kMessageTooLarge = "Message Too Large";

struct Frame {
  FrameKind kind = FrameKind::need_more;
  std::size_t length = 0;
  std::uint16_t status = 0; // error only
  std::string_view reason;  // error only, a static string for the reason phrase
};

// One per connection. It remembers how far it searched, so a peer that sends one octet at a
// time costs linear, not quadratic, work.
class StreamFramer {
public:
  explicit StreamFramer(std::size_t max_message_size) : max_message_size_(max_message_size) {}

  // A message larger than this (seen as soon as the header section or Content-Length shows
  // it) is an error, so a peer cannot make us buffer more. Applies from the next message.
  void set_max_message_size(std::size_t size) { max_message_size_ = size; }

  // The first unit at the start of `buffered`: the received octets not yet consumed. After
  // a unit other than need_more the caller drops its `length` octets before asking again;
  // after need_more it appends what it reads next.
  Frame next(std::string_view buffered);

private:
  Frame start_of_unit(std::string_view buffered);
  Frame finish(Frame frame);

  std::size_t max_message_size_;
  std::size_t searched_ = 0; // leading octets known to hold no header terminator
  std::size_t total_ = 0;    // the current message's length once its headers are in; 0: unknown
};

} // namespace starling::sip
