// Parsing of session descriptions (RFC 8866), as tolerant as the phones that send them need.
#include "media/sdp.h"

#include <array>
#include <utility>

#include "core/trim.h"

namespace starling::media {

namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) {
      return false;
    }
  }
  return true;
}

std::string_view trim(std::string_view text) {
  return core::trim(text, is_blank);
}

// Fields are separated by a single space (RFC 8866 §5); some stacks put two, or a tab.
class Fields {
public:
  explicit Fields(std::string_view text) : rest_{text} {}

  std::string_view next() {
    std::size_t start = 0;
    while (start < rest_.size() && is_blank(rest_[start])) {
      ++start;
    }
    std::size_t end = start;
    while (end < rest_.size() && !is_blank(rest_[end])) {
      ++end;
    }
    const std::string_view field = rest_.substr(start, end - start);
    rest_.remove_prefix(end);
    return field;
  }

  [[nodiscard]] std::string_view rest() const { return trim(rest_); }

private:
  std::string_view rest_;
};

// Removes the last field of `text` and returns it; o= is read from the end because some
// phones put spaces into the username.
std::string_view take_last_field(std::string_view& text) {
  text = trim(text);
  std::size_t start = text.size();
  while (start > 0 && !is_blank(text[start - 1])) {
    --start;
  }
  const std::string_view field = text.substr(start);
  text = text.substr(0, start);
  return field;
}

std::expected<std::uint16_t, std::string_view> parse_port(std::string_view digits) {
  if (digits.empty()) {
    return std::unexpected("missing port");
  }
  std::uint32_t port = 0;
  for (const char c : digits) {
    if (!is_digit(c)) {
      return std::unexpected("malformed port");
    }
    port = port * 10 + static_cast<std::uint32_t>(c - '0');
    if (port > 65535) {
      return std::unexpected("port out of range");
    }
  }
  return static_cast<std::uint16_t>(port);
}

// Addresses are IPv4 or IPv6 literals or, as RFC 8866 §5.7 allows, domain names; anything
// else would only reach the relay's resolver as garbage.
bool is_address_text(std::string_view address, bool ipv6) {
  if (address.empty()) {
    return false;
  }
  for (const char c : address) {
    const bool ok = is_alpha(c) || is_digit(c) || c == '.' || c == '-' || (ipv6 && c == ':');
    if (!ok) {
      return false;
    }
  }
  return true;
}

// m=<media> <port>[/<number of ports>] <proto> <fmt> ... (RFC 8866 §5.14)
std::optional<std::string_view> parse_media_line(std::string_view value, SdpMedia& media) {
  Fields fields{value};
  media.type = fields.next();
  const std::string_view port_field = fields.next();
  media.protocol = fields.next();
  if (media.type.empty() || port_field.empty() || media.protocol.empty()) {
    return "malformed m= line";
  }
  const std::size_t slash = port_field.find('/');
  const auto port = parse_port(port_field.substr(0, slash));
  if (!port) {
    return port.error();
  }
  media.port = *port;
  if (slash != std::string_view::npos) {
    const auto count = parse_port(port_field.substr(slash + 1));
    if (!count || *count == 0) {
      return "malformed number of ports";
    }
    media.port_count = *count;
  }
  for (std::string_view format = fields.next(); !format.empty(); format = fields.next()) {
    if (media.formats.size() == kMaxFormatsPerMedia) {
      return "too many formats in m= line";
    }
    media.formats.push_back(format);
  }
  // RFC 8866 requires a format; answers that reject a stream sometimes leave it out.
  if (media.formats.empty() && media.port != 0) {
    return "m= line without formats";
  }
  return std::nullopt;
}

struct MediaState {
  bool has_connection = false;
  std::optional<MediaDirection> direction;
  std::string_view line_text;
};

struct ParseState {
  SessionDescription sdp;
  bool has_session_connection = false;
  std::array<MediaState, kMaxMediaDescriptions> media{};
};

std::optional<std::string_view> apply_media(ParseState& state, std::string_view line,
                                            std::size_t number) {
  if (state.sdp.media.size() == kMaxMediaDescriptions) {
    return "too many m= lines";
  }
  SdpMedia& media = state.sdp.media.emplace_back();
  media.line = number;
  state.media[state.sdp.media.size() - 1].line_text = line;
  return parse_media_line(line.substr(2), media);
}

// RFC 8866 allows one c= per level (several only for multicast); the first one counts.
std::optional<std::string_view> apply_connection(ParseState& state, std::string_view value) {
  const auto connection = parse_connection(value);
  if (!connection) {
    return connection.error();
  }
  if (state.sdp.media.empty()) {
    if (!state.has_session_connection) {
      state.has_session_connection = true;
      state.sdp.connection_address = connection->address;
      state.sdp.ipv6 = connection->ipv6;
    }
    return std::nullopt;
  }
  MediaState& media_state = state.media[state.sdp.media.size() - 1];
  if (!media_state.has_connection) {
    media_state.has_connection = true;
    state.sdp.media.back().connection_address = connection->address;
    state.sdp.media.back().ipv6 = connection->ipv6;
  }
  return std::nullopt;
}

std::optional<std::string_view> apply_attribute(ParseState& state, std::string_view value) {
  const SdpAttribute attribute = split_attribute(value);
  const auto direction = direction_from_name(attribute.name);
  if (state.sdp.media.empty()) {
    state.sdp.attributes.push_back(attribute);
    if (direction && !state.sdp.direction) {
      state.sdp.direction = direction;
    }
    return std::nullopt;
  }
  SdpMedia& media = state.sdp.media.back();
  media.attributes.push_back(attribute);
  MediaState& media_state = state.media[state.sdp.media.size() - 1];
  if (direction && !media_state.direction) {
    media_state.direction = direction;
  } else if (attribute.is("rtcp") && !media.rtcp_port) {
    // RFC 3605 §2.1: a=rtcp is a media-level attribute; at session level it means nothing.
    const auto rtcp = parse_rtcp(attribute.value);
    if (!rtcp) {
      return rtcp.error();
    }
    media.rtcp_port = rtcp->port;
    media.rtcp_address = rtcp->address;
  }
  return std::nullopt;
}

std::optional<std::string_view> apply_line(ParseState& state, std::string_view line,
                                           std::size_t number) {
  const std::string_view value = line.substr(2);
  const bool session_level = state.sdp.media.empty();
  switch (line[0]) {
  case 'm':
    return apply_media(state, line, number);
  case 'c':
    return apply_connection(state, value);
  case 'a':
    return apply_attribute(state, value);
  case 'o':
    if (session_level && !state.sdp.origin) {
      const auto origin = parse_origin(value);
      if (!origin) {
        return origin.error();
      }
      state.sdp.origin = *origin;
    }
    return std::nullopt;
  case 's':
    if (session_level && state.sdp.session_name.empty()) {
      state.sdp.session_name = value;
    }
    return std::nullopt;
  default: // unknown types are ignored (RFC 8866 §5)
    return std::nullopt;
  }
}

std::optional<std::string_view> check_line(std::string_view line) {
  // Another parser would end the line at a bare CR and read what follows as a line of its
  // own, one this parser never checked (a second c= would take media past the relay).
  if (line.find('\r') != std::string_view::npos || line.find('\0') != std::string_view::npos) {
    return "CR or NUL inside a line";
  }
  if (line.size() < 2 || line[1] != '=' || !is_alpha(line[0])) {
    return "malformed line";
  }
  return std::nullopt;
}

// Fills in what a media description inherits from the session (RFC 8866 §5.7, RFC 3264 §5.1).
std::optional<SdpError> resolve_media(ParseState& state) {
  for (std::size_t i = 0; i < state.sdp.media.size(); ++i) {
    SdpMedia& media = state.sdp.media[i];
    const MediaState& media_state = state.media[i];
    if (!media_state.has_connection) {
      media.connection_address = state.sdp.connection_address;
      media.ipv6 = state.sdp.ipv6;
    }
    media.direction =
        media_state.direction.value_or(state.sdp.direction.value_or(MediaDirection::sendrecv));
    if (media.port != 0 && media.connection_address.empty()) {
      return SdpError{"missing connection address for media", media.line, media_state.line_text};
    }
  }
  return std::nullopt;
}

} // namespace

std::string_view direction_name(MediaDirection direction) {
  switch (direction) {
  case MediaDirection::sendrecv:
    return "sendrecv";
  case MediaDirection::sendonly:
    return "sendonly";
  case MediaDirection::recvonly:
    return "recvonly";
  case MediaDirection::inactive:
    return "inactive";
  }
  return "sendrecv";
}

std::optional<MediaDirection> direction_from_name(std::string_view attribute_name) {
  static constexpr std::array kDirections = {MediaDirection::sendrecv, MediaDirection::sendonly,
                                             MediaDirection::recvonly, MediaDirection::inactive};
  for (const MediaDirection direction : kDirections) {
    if (iequals(attribute_name, direction_name(direction))) {
      return direction;
    }
  }
  return std::nullopt;
}

std::string describe(const SdpError& error) {
  // Enough of the line to recognise it in a log, not a whole hostile line.
  constexpr std::size_t kShownLength = 80;
  std::string text;
  if (error.line != 0) {
    text = "line " + std::to_string(error.line) + ": ";
  }
  text += error.reason;
  if (!error.text.empty()) {
    text += " (";
    text += error.text.substr(0, kShownLength);
    text += error.text.size() > kShownLength ? "...)" : ")";
  }
  return text;
}

bool SdpMedia::is_hold() const {
  return direction == MediaDirection::sendonly || direction == MediaDirection::inactive ||
         is_unspecified_address(connection_address);
}

bool SdpAttribute::is(std::string_view attribute_name) const {
  return iequals(name, attribute_name);
}

std::optional<std::string_view> SdpMedia::attribute(std::string_view name) const {
  for (const SdpAttribute& a : attributes) {
    if (a.is(name)) {
      return a.value;
    }
  }
  return std::nullopt;
}

bool SessionDescription::is_hold() const {
  bool any_active = false;
  for (const SdpMedia& m : media) {
    if (m.rejected()) {
      continue;
    }
    if (!m.is_hold()) {
      return false;
    }
    any_active = true;
  }
  return any_active;
}

bool is_unspecified_address(std::string_view address) {
  if (address == "::") {
    return true;
  }
  bool has_zero = false;
  for (const char c : address) {
    if (c == '0') {
      has_zero = true;
    } else if (c != '.' && c != ':') {
      return false;
    }
  }
  return has_zero;
}

std::optional<std::string_view> SdpLineReader::next() {
  if (rest_.empty()) {
    return std::nullopt;
  }
  const std::size_t end = rest_.find('\n');
  std::string_view line = rest_.substr(0, end);
  rest_ = end == std::string_view::npos ? std::string_view{} : rest_.substr(end + 1);
  while (!line.empty() && (is_blank(line.back()) || line.back() == '\r')) {
    line.remove_suffix(1);
  }
  ++line_number_;
  return line;
}

std::expected<SdpOrigin, std::string_view> parse_origin(std::string_view value) {
  SdpOrigin origin;
  std::string_view rest = value;
  origin.address = take_last_field(rest);
  origin.addrtype = take_last_field(rest);
  origin.nettype = take_last_field(rest);
  origin.session_version = take_last_field(rest);
  origin.session_id = take_last_field(rest);
  origin.username = trim(rest);
  if (origin.username.empty() || origin.session_id.empty()) {
    return std::unexpected("malformed o= line");
  }
  return origin;
}

std::expected<SdpConnection, std::string_view> parse_connection(std::string_view value) {
  Fields fields{value};
  const std::string_view nettype = fields.next();
  const std::string_view addrtype = fields.next();
  const std::string_view address = fields.next();
  if (address.empty() || !fields.rest().empty()) {
    return std::unexpected("malformed c= line");
  }
  if (!iequals(nettype, "IN")) {
    return std::unexpected("unsupported network type");
  }
  SdpConnection connection;
  if (iequals(addrtype, "IP6")) {
    connection.ipv6 = true;
  } else if (!iequals(addrtype, "IP4")) {
    return std::unexpected("unsupported address type");
  }
  // Multicast addresses carry "/ttl" (IP4) and "/count"; the address is what comes before.
  connection.address = address.substr(0, address.find('/'));
  if (!is_address_text(connection.address, connection.ipv6)) {
    return std::unexpected("malformed connection address");
  }
  return connection;
}

std::expected<SdpRtcp, std::string_view> parse_rtcp(std::string_view value) {
  Fields fields{value};
  const auto port = parse_port(fields.next());
  if (!port) {
    return std::unexpected(port.error());
  }
  SdpRtcp rtcp{.port = *port};
  if (!fields.rest().empty()) {
    const auto connection = parse_connection(fields.rest());
    if (!connection) {
      return std::unexpected("malformed a=rtcp address");
    }
    rtcp.address = connection->address;
    rtcp.ipv6 = connection->ipv6;
  }
  return rtcp;
}

SdpAttribute split_attribute(std::string_view value) {
  const std::size_t colon = value.find(':');
  if (colon == std::string_view::npos) {
    return SdpAttribute{value, {}};
  }
  return SdpAttribute{value.substr(0, colon), value.substr(colon + 1)};
}

std::expected<SessionDescription, SdpError> parse_sdp(std::string_view text) {
  if (text.size() > kMaxSdpSize) {
    return std::unexpected(SdpError{"SDP larger than 16 KiB", 0, {}});
  }
  ParseState state;
  state.sdp.text = text;
  SdpLineReader lines{text};
  bool seen_version = false;
  while (const auto line = lines.next()) {
    if (line->empty()) {
      continue; // blank lines carry nothing; some stacks end the body with one
    }
    const std::size_t number = lines.line_number();
    if (!seen_version) {
      if (*line != "v=0") {
        return std::unexpected(SdpError{"missing v=0 first line", number, *line});
      }
      seen_version = true;
      continue;
    }
    if (auto reason = check_line(*line)) {
      return std::unexpected(SdpError{*reason, number, *line});
    }
    if (auto reason = apply_line(state, *line, number)) {
      return std::unexpected(SdpError{*reason, number, *line});
    }
  }
  if (!seen_version) {
    return std::unexpected(SdpError{"missing v=0 first line", 0, {}});
  }
  if (auto error = resolve_media(state)) {
    return std::unexpected(*error);
  }
  return std::move(state.sdp);
}

} // namespace starling::media
