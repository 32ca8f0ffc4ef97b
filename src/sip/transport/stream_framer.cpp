// Stream framing by header terminator and Content-Length (RFC 3261 §18.3, §7.5).
#include "sip/transport/stream_framer.h"

#include <charconv>
#include <optional>

namespace starling::sip {

namespace {

constexpr std::string_view kCrlf = "\r\n";
constexpr std::string_view kTerminator = "\r\n\r\n";

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) {
      return false;
    }
  }
  return true;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

Frame unit(FrameKind kind, std::size_t length = 0) {
  Frame frame;
  frame.kind = kind;
  frame.length = length;
  return frame;
}

Frame error(std::uint16_t status, std::string_view reason) {
  Frame frame = unit(FrameKind::error);
  frame.status = status;
  frame.reason = reason;
  return frame;
}

struct ContentLength {
  bool present = false;
  bool valid = true;
  std::uint64_t value = 0;
};

// Content-Length or its compact form "l" (RFC 3261 §7.3.3) among the header lines. Folded
// continuation lines never start a header, so they are skipped. Two different values make
// the length ambiguous: that is a request-smuggling shape and is refused.
ContentLength find_content_length(std::string_view headers) {
  ContentLength found;
  std::size_t pos = headers.find(kCrlf); // skip the start line
  while (pos != std::string_view::npos && pos + 2 < headers.size()) {
    pos += 2;
    const std::size_t end = headers.find(kCrlf, pos);
    const std::string_view line = headers.substr(pos, end - pos);
    pos = end;
    const std::size_t colon = line.find(':');
    if (line.empty() || line.front() == ' ' || line.front() == '\t' ||
        colon == std::string_view::npos) {
      continue;
    }
    const std::string_view name = trim(line.substr(0, colon));
    if (!iequals(name, "Content-Length") && !iequals(name, "l")) {
      continue;
    }
    const std::string_view text = trim(line.substr(colon + 1));
    std::uint64_t value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size() ||
        (found.present && found.value != value)) {
      found.valid = false;
    }
    found.present = true;
    found.value = value;
  }
  return found;
}

} // namespace

Frame StreamFramer::finish(Frame frame) {
  searched_ = 0;
  total_ = 0;
  return frame;
}

// CRLFs before a message: a keep-alive ping, or a lone CRLF (RFC 3261 §7.5 lets them precede a
// message; a pong is one). Nothing else here means the start of a message.
Frame StreamFramer::start_of_unit(std::string_view buffered) {
  if (buffered.starts_with(kTerminator)) {
    return unit(FrameKind::ping, kTerminator.size());
  }
  if (kTerminator.starts_with(buffered)) {
    return Frame{}; // maybe the first half of a ping: the next octets say which
  }
  if (buffered.starts_with(kCrlf)) {
    return unit(FrameKind::crlf, kCrlf.size());
  }
  return unit(FrameKind::message);
}

Frame StreamFramer::next(std::string_view buffered) {
  if (total_ != 0) {
    return buffered.size() < total_ ? Frame{} : finish(unit(FrameKind::message, total_));
  }
  if (searched_ == 0) {
    const Frame start = start_of_unit(buffered);
    if (start.kind != FrameKind::message) {
      return start;
    }
  }
  // A terminator may straddle what was searched and what arrived since.
  const std::size_t from =
      searched_ < kTerminator.size() ? 0 : searched_ - (kTerminator.size() - 1);
  const std::size_t terminator = buffered.find(kTerminator, from);
  if (terminator == std::string_view::npos) {
    if (buffered.size() >= max_message_size_) {
      return finish(error(513, kMessageTooLarge));
    }
    searched_ = buffered.size();
    return Frame{};
  }
  const std::size_t header_size = terminator + kTerminator.size();
  const ContentLength length = find_content_length(buffered.substr(0, header_size));
  if (!length.present) {
    return finish(error(400, kMissingContentLength)); // mandatory on streams, §18.3
  }
  if (!length.valid) {
    return finish(error(400, kMalformedContentLength));
  }
  if (length.value > max_message_size_ || header_size + length.value > max_message_size_) {
    return finish(error(513, kMessageTooLarge));
  }
  total_ = header_size + static_cast<std::size_t>(length.value);
  return buffered.size() < total_ ? Frame{} : finish(unit(FrameKind::message, total_));
}

} // namespace starling::sip
