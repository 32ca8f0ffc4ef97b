// Message framing: start line, header lines and body of a received SIP message.
#include "sip/parser.h"

#include <algorithm>
#include <optional>

#include "sip/detail/chars.h"
#include "sip/detail/header_lines.h"
#include "sip/limits.h"
#include "sip/scalars.h"

namespace starling::sip {

namespace {

// SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT; "SIP" is case-insensitive (RFC 3261 §7.1).
bool is_sip_version(std::string_view v) {
  if (v.size() < 7 || !detail::iequals(v.substr(0, 4), "SIP/")) {
    return false;
  }
  const std::size_t dot = v.find('.', 4);
  if (dot == std::string_view::npos || dot == 4 || dot + 1 == v.size()) {
    return false;
  }
  for (std::size_t i = 4; i < v.size(); ++i) {
    if (i != dot && !detail::is_digit(v[i])) {
      return false;
    }
  }
  return true;
}

bool is_response_start(std::string_view bytes) {
  return bytes.size() >= 4 && detail::iequals(bytes.substr(0, 4), "SIP/");
}

// Request-URI characters: anything visible; the URI parser checks the details.
bool is_uri_char(char c) {
  return c > ' ' && c != '\x7f';
}

ParseError error(std::string_view reason, std::size_t offset, std::string_view bytes,
                 std::uint16_t status = 400) {
  return ParseError{status, reason, offset, can_reply_to(bytes)};
}

} // namespace

class MessageParser {
public:
  MessageParser(std::string_view bytes, Framing framing) : input_(bytes), framing_(framing) {}
  std::expected<Message, ParseError> run();

private:
  std::optional<ParseError> parse_start_line();
  std::optional<ParseError> parse_request_line(std::string_view line);
  std::optional<ParseError> parse_status_line(std::string_view line);
  std::optional<ParseError> parse_headers();
  std::optional<ParseError> parse_body();
  ParseError fail(std::string_view reason, std::size_t offset) const {
    return error(reason, skipped_ + offset, input_);
  }

  std::string_view input_;
  Framing framing_;
  std::size_t skipped_ = 0; // leading CRLFs
  std::string_view bytes_;  // the Message's own copy
  std::size_t pos_ = 0;
  std::optional<std::uint64_t> content_length_;
  Message message_;
};

std::expected<Message, ParseError> MessageParser::run() {
  if (input_.size() > kMaxMessageSize) {
    return std::unexpected(error("Message Too Large", 0, input_, 513));
  }
  // RFC 3261 §7.5: CRLFs before the start line (keep-alives on streams) are ignored.
  while (detail::at_crlf(input_, skipped_)) {
    skipped_ += 2;
  }
  const std::string_view rest = input_.substr(skipped_);
  if (rest.empty()) {
    return std::unexpected(error("Empty message", 0, input_));
  }
  message_.buffer_.assign(rest.begin(), rest.end());
  bytes_ = std::string_view{message_.buffer_.data(), message_.buffer_.size()};
  for (auto step : {&MessageParser::parse_start_line, &MessageParser::parse_headers,
                    &MessageParser::parse_body}) {
    if (auto failure = (this->*step)()) {
      return std::unexpected(*failure);
    }
  }
  message_.wire_ = bytes_.substr(0, pos_);
  return std::move(message_);
}

std::optional<ParseError> MessageParser::parse_start_line() {
  const std::size_t eol = bytes_.find("\r\n");
  if (eol == std::string_view::npos || eol > kMaxLineLength) {
    return fail("Malformed start line", 0);
  }
  const std::string_view line = bytes_.substr(0, eol);
  message_.start_line_ = bytes_.substr(0, eol + 2);
  pos_ = eol + 2;
  if (line.find_first_of(std::string_view{"\0\r\n", 3}) != std::string_view::npos) {
    return fail("Malformed start line", 0);
  }
  message_.is_request_ = !is_response_start(line);
  return message_.is_request_ ? parse_request_line(line) : parse_status_line(line);
}

// Exactly one SP between the elements and none at the end (RFC 4475 lwsstart, trws,
// lwsruri): anything else is not a Request-Line.
std::optional<ParseError> MessageParser::parse_request_line(std::string_view line) {
  const std::size_t sp1 = line.find(' ');
  const std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
    return fail("Malformed Request-Line", 0);
  }
  const std::string_view method = line.substr(0, sp1);
  const std::string_view uri = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = line.substr(sp2 + 1);
  if (!detail::is_token(method)) {
    return fail("Malformed method", 0);
  }
  if (uri.empty() || !std::ranges::all_of(uri, is_uri_char)) {
    return fail("Malformed Request-URI", sp1 + 1);
  }
  if (!is_sip_version(version)) {
    return fail("Malformed SIP-Version", sp2 + 1);
  }
  message_.request_line_ = RequestLine{method, method_from_name(method), uri, version};
  return std::nullopt;
}

std::optional<ParseError> MessageParser::parse_status_line(std::string_view line) {
  const std::size_t sp1 = line.find(' ');
  const std::string_view version = line.substr(0, sp1);
  if (sp1 == std::string_view::npos || !is_sip_version(version)) {
    return fail("Malformed Status-Line", 0);
  }
  // Status-Code = 3DIGIT (RFC 3261 §25.1); RFC 4475 bigcode sends 4294967301.
  const std::string_view code = line.substr(sp1 + 1, 3);
  const std::size_t after = sp1 + 4;
  if (code.size() != 3 || !std::ranges::all_of(code, detail::is_digit) || code[0] < '1' ||
      code[0] > '6' || (after < line.size() && line[after] != ' ')) {
    return fail("Malformed Status-Code", sp1 + 1);
  }
  const auto value =
      static_cast<std::uint16_t>((code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0'));
  // An empty Reason-Phrase is valid (RFC 4475 noreason); tolerate a missing SP before it.
  const std::string_view reason = after < line.size() ? line.substr(after + 1) : std::string_view{};
  message_.status_line_ = StatusLine{version, value, reason};
  return std::nullopt;
}

std::optional<ParseError> MessageParser::parse_headers() {
  // One field per line of the header section, counted with find (memchr): a compare per
  // byte of the whole message was a tenth of parsing it.
  std::size_t lines = 0;
  for (std::size_t lf = bytes_.find('\n', pos_);
       lf != std::string_view::npos && lines < kMaxHeaderCount && !detail::at_crlf(bytes_, lf + 1);
       lf = bytes_.find('\n', lf + 1)) {
    ++lines;
  }
  message_.headers_.reserve(lines + 1);
  while (!detail::at_crlf(bytes_, pos_)) {
    if (pos_ >= bytes_.size()) {
      // A datagram that ends after its last header line lacks only the empty line
      // (RFC 4475 baddn); accept it with an empty body. A stream needs more bytes.
      if (framing_ == Framing::stream) {
        return fail("Incomplete message", pos_);
      }
      message_.terminator_ = bytes_.substr(pos_, 0);
      return std::nullopt;
    }
    if (message_.headers_.size() >= kMaxHeaderCount) {
      return fail("Too many header fields", pos_);
    }
    const std::size_t line_start = pos_;
    auto field = detail::read_header_line(bytes_, pos_);
    if (!field) {
      return fail(field.error(), line_start);
    }
    if (field->id == HeaderId::content_length) {
      // RFC 4475 mcl01: two values leave no way to know where the body ends.
      if (content_length_) {
        return fail("Multiple Content-Length headers", line_start);
      }
      const auto length = parse_content_length(field->value);
      if (!length) {
        return fail("Malformed Content-Length", line_start);
      }
      content_length_ = *length;
    }
    message_.headers_.push_back(*field);
  }
  message_.terminator_ = bytes_.substr(pos_, 2);
  pos_ += 2;
  return std::nullopt;
}

std::optional<ParseError> MessageParser::parse_body() {
  const std::size_t available = bytes_.size() - pos_;
  if (!content_length_) {
    if (framing_ == Framing::stream) {
      return fail("Missing Content-Length", pos_); // RFC 3261 §18.3: MUST on streams
    }
    message_.body_ = bytes_.substr(pos_);
    pos_ = bytes_.size();
    return std::nullopt;
  }
  if (*content_length_ > available) {
    return fail(framing_ == Framing::datagram ? "Content-Length larger than datagram"
                                              : "Incomplete message",
                pos_);
  }
  // RFC 3261 §18.3: octets beyond Content-Length in a datagram are discarded (RFC 4475 dblreq).
  const auto length = static_cast<std::size_t>(*content_length_);
  message_.body_ = bytes_.substr(pos_, length);
  pos_ += length;
  return std::nullopt;
}

std::expected<Message, ParseError> parse_message(std::string_view bytes, Framing framing) {
  return MessageParser{bytes, framing}.run();
}

bool can_reply_to(std::string_view bytes) {
  std::size_t pos = 0;
  while (detail::at_crlf(bytes, pos)) {
    pos += 2;
  }
  if (is_response_start(bytes.substr(pos))) {
    return false;
  }
  const std::size_t eol = bytes.find("\r\n", pos);
  if (eol == std::string_view::npos) {
    return false;
  }
  pos = eol + 2;
  for (std::size_t n = 0; n < kMaxHeaderCount && !detail::at_crlf(bytes, pos); ++n) {
    auto field = detail::read_header_line(bytes, pos);
    if (!field) {
      // Skip a broken line: the Via that a reply needs may still follow it.
      const std::size_t next = bytes.find("\r\n", pos);
      if (next == std::string_view::npos) {
        return false;
      }
      pos = next + 2;
      continue;
    }
    if (field->id == HeaderId::via && !field->value.empty()) {
      return true;
    }
  }
  return false;
}

} // namespace starling::sip
