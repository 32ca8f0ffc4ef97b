// sip::Message: one SIP request or response, owning its bytes, with views of its parts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "sip/detail/text_arena.h"
#include "sip/header_names.h"
#include "sip/method.h"

namespace starling::sip {

struct HeaderField {
  HeaderId id = HeaderId::unknown;
  std::string_view name;  // as received: "v", "ViA", "X-Custom"
  std::string_view value; // LWS around it removed; inner folds (CRLF WSP) kept as LWS
  std::string_view raw;   // the whole line with its folds and final CRLF, written back as is
};

// Request-Line = Method SP Request-URI SP SIP-Version CRLF (RFC 3261 §7.1)
struct RequestLine {
  std::string_view method;
  Method method_id = Method::unknown;
  std::string_view request_uri; // unparsed; see parse_uri()
  std::string_view version;
};

// Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF (RFC 3261 §7.2)
struct StatusLine {
  std::string_view version;
  std::uint16_t status_code = 0;
  std::string_view reason;
};

class MessageParser;

// The views point into a buffer the Message owns on the heap (a vector's move hands its
// storage over, unlike a std::string's small-string buffer), so moving a Message keeps
// them valid. Edits store new text beside the received bytes; unchanged parts are
// serialized from the received bytes, byte for byte.
class Message {
public:
  Message(Message&&) noexcept = default;
  Message& operator=(Message&&) noexcept = default;
  Message(const Message&) = delete;
  Message& operator=(const Message&) = delete;
  ~Message() = default;

  [[nodiscard]] bool is_request() const { return is_request_; }
  [[nodiscard]] bool is_response() const { return !is_request_; }
  [[nodiscard]] const RequestLine& request_line() const { return request_line_; }
  [[nodiscard]] const StatusLine& status_line() const { return status_line_; }
  [[nodiscard]] Method method() const { return request_line_.method_id; }
  [[nodiscard]] std::string_view version() const {
    return is_request_ ? request_line_.version : status_line_.version;
  }
  [[nodiscard]] std::uint16_t status_code() const { return status_line_.status_code; }
  [[nodiscard]] std::string_view start_line() const { return start_line_; } // with CRLF

  [[nodiscard]] std::span<const HeaderField> headers() const { return headers_; }
  [[nodiscard]] const HeaderField* find(HeaderId id) const;
  // Case-insensitive lookup by name, for headers without an id.
  [[nodiscard]] const HeaderField* find(std::string_view name) const;
  [[nodiscard]] std::size_t count(HeaderId id) const;
  // Value of the first header with that id; empty when absent.
  [[nodiscard]] std::string_view value(HeaderId id) const;

  [[nodiscard]] std::string_view header_terminator() const { return terminator_; }
  [[nodiscard]] std::string_view body() const { return body_; }
  // The received octets this message was parsed from (start line to end of body).
  [[nodiscard]] std::string_view wire_bytes() const { return wire_; }
  [[nodiscard]] bool is_modified() const { return modified_; }

  // Edits. Indexes are positions in headers(); names are written in long form.
  void insert_header(std::size_t index, HeaderId id, std::string_view value);
  void insert_header(std::size_t index, std::string_view name, std::string_view value);
  void erase_header(std::size_t index);
  void set_header_value(std::size_t index, std::string_view value);
  void set_request_uri(std::string_view uri);
  // Replaces the body and writes a matching Content-Length.
  void set_body(std::string_view body);

private:
  friend class MessageParser;
  Message() = default;
  std::string_view line_for(std::string_view name, std::string_view value);

  std::vector<char> buffer_;
  std::string_view wire_;
  bool is_request_ = true;
  RequestLine request_line_;
  StatusLine status_line_;
  std::string_view start_line_;
  std::vector<HeaderField> headers_;
  std::string_view terminator_;
  std::string_view body_;
  bool modified_ = false;
  detail::TextArena arena_;
};

} // namespace starling::sip
