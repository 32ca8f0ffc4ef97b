// The session description model and its parser (SDP, RFC 8866 which obsoletes RFC 4566).
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace starling::media {

// Phones send 0.5–2 KiB; a WebRTC-style offer with audio, video, rtcp-fb lines and a dozen
// ICE candidates runs 4–8 KiB. 16 KiB keeps twice that and bounds the work per offer.
inline constexpr std::size_t kMaxSdpSize = 16384;

// Phones offer 1–3 media (audio, video, BFCP or T.38); every active m= line costs the relay a
// port pair, so this bounds what one offer can take from the RTP port range.
inline constexpr std::size_t kMaxMediaDescriptions = 16;

// RTP payload types are 7 bits (RFC 3550 §5.1), so an RTP m= line lists at most 128 formats.
inline constexpr std::size_t kMaxFormatsPerMedia = 128;

// RFC 3264 §5.1 and §8.4: the direction a stream flows, seen from the SDP's sender.
enum class MediaDirection : std::uint8_t { sendrecv, sendonly, recvonly, inactive };

// The attribute name: "sendrecv", "sendonly", "recvonly", "inactive".
std::string_view direction_name(MediaDirection direction);
// The direction an attribute name stands for; nothing for other attributes.
std::optional<MediaDirection> direction_from_name(std::string_view attribute_name);

// What a parse failed on. `reason` is a static string; `line` is 1-based (0: the whole
// input, such as its size); `text` views the offending line of the input.
struct SdpError {
  std::string_view reason{};
  std::size_t line = 0;
  std::string_view text{};
};

// "line 4: malformed m= line (m=audio x RTP/AVP 0)", for logs and warning headers.
std::string describe(const SdpError& error);

// a=<name> or a=<name>:<value> (RFC 8866 §5.13).
struct SdpAttribute {
  std::string_view name{};
  std::string_view value{}; // empty for property attributes ("a=sendonly")

  // Names compare ignoring case, which costs nothing and tolerates "a=SendOnly" or "a=RTCP".
  [[nodiscard]] bool is(std::string_view attribute_name) const;
};

// o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address> (§5.2).
struct SdpOrigin {
  std::string_view username{}; // may contain spaces: some phones put their model name there
  std::string_view session_id{};
  std::string_view session_version{};
  std::string_view nettype{};
  std::string_view addrtype{};
  std::string_view address{};
};

// c=<nettype> <addrtype> <connection-address> (§5.7). Only IN with IP4 or IP6 is accepted:
// a relay cannot send anything else.
struct SdpConnection {
  std::string_view address{}; // without a multicast "/ttl/count" suffix
  bool ipv6 = false;
};

// a=rtcp:<port> [<nettype> <addrtype> <connection-address>] (RFC 3605 §2.1).
struct SdpRtcp {
  std::uint16_t port = 0;
  std::string_view address{}; // empty when absent: the stream's connection address applies
  bool ipv6 = false;
};

// One m= line and the lines after it up to the next m= line (§5.14).
struct SdpMedia {
  std::string_view type{};      // "audio", "video", "image", "application", ...
  std::uint16_t port = 0;       // 0: the stream is rejected or disabled (RFC 3264 §5.1, §6)
  std::uint16_t port_count = 1; // m=video 49170/2: hierarchical encoding, rare
  std::string_view protocol{};  // "RTP/AVP", "RTP/SAVP", "udptl", ...
  std::vector<std::string_view> formats{}; // payload types (RTP) or format names, as text
  // This section's c= address, else the session's; empty when neither exists (only allowed
  // with port 0). "0.0.0.0" is RFC 2543 hold, kept as such.
  std::string_view connection_address{};
  bool ipv6 = false;                        // of connection_address (IP6)
  std::optional<std::uint16_t> rtcp_port{}; // a=rtcp (RFC 3605); without it RTCP uses port+1
  std::string_view rtcp_address{};          // a=rtcp's own address, when it names one
  // The media attribute, else the session attribute, else sendrecv (RFC 3264 §5.1).
  MediaDirection direction = MediaDirection::sendrecv;
  std::vector<SdpAttribute> attributes{}; // this section's a= lines, in order
  std::size_t line = 0;                   // of the m= line, 1-based, for messages

  [[nodiscard]] bool rejected() const { return port == 0; }
  // Whether the sender wants no media from the other side: sendonly, inactive, or the
  // unspecified address that RFC 2543 used for hold (RFC 3264 §8.4 still accepts it).
  [[nodiscard]] bool is_hold() const;
  // The value of this section's first attribute with that name (any case).
  [[nodiscard]] std::optional<std::string_view> attribute(std::string_view name) const;
};

struct SessionDescription {
  // The parsed input. Every view in this description points into it: keep the SIP body alive
  // as long as the description.
  std::string_view text{};
  std::optional<SdpOrigin> origin{};     // o= is mandatory, but its absence harms nobody
  std::string_view session_name{};       // s=
  std::string_view connection_address{}; // session-level c=, empty when absent
  bool ipv6 = false;
  std::optional<MediaDirection> direction{}; // session-level direction attribute
  std::vector<SdpAttribute> attributes{};    // session-level a= lines, in order
  std::vector<SdpMedia> media{}; // in m= line order, which RFC 3264 §6 pairs offer to answer

  // Every active (non-zero port) stream is on hold; false without active streams.
  [[nodiscard]] bool is_hold() const;
};

// Parses a session description. Tolerant the way phones need: LF-only line ends, trailing
// white space, a missing final line end, blank lines, unknown line types and attributes, lines
// out of the RFC's order. Rejected: a first line other than v=0, a malformed o=, c=, m= or
// a=rtcp line, ports above 65535, a CR or NUL inside a line (another parser would split there
// and see a line we did not check), an active stream without any connection address, and
// input beyond the limits above.
std::expected<SessionDescription, SdpError> parse_sdp(std::string_view text);

// The line-level parsers parse_sdp uses, for code that edits single lines. They take the
// value after "x=" and return a static reason on failure.
std::expected<SdpOrigin, std::string_view> parse_origin(std::string_view value);
std::expected<SdpConnection, std::string_view> parse_connection(std::string_view value);
std::expected<SdpRtcp, std::string_view> parse_rtcp(std::string_view value);
SdpAttribute split_attribute(std::string_view value);

// Whether an address is the unspecified one ("0.0.0.0", "::"), which means "send nothing".
bool is_unspecified_address(std::string_view address);

// Walks the lines of an SDP the way parse_sdp does: split at LF, a trailing CR and trailing
// spaces or tabs removed. Blank lines are returned too (empty), so line numbers stay right.
class SdpLineReader {
public:
  explicit SdpLineReader(std::string_view text) : rest_{text} {}

  std::optional<std::string_view> next();
  // The 1-based number of the line next() returned last.
  [[nodiscard]] std::size_t line_number() const { return line_number_; }

private:
  std::string_view rest_;
  std::size_t line_number_ = 0;
};

} // namespace starling::media
