// Rewriting of a session description so that its media flows through the RTP relay.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "media/sdp.h"

namespace starling::media {

// What the relay gives one m= line, in m= line order.
struct RelayedStream {
  // The relay's RTP port that the SDP's receiver sends to; RTCP goes to rtp_port + 1, so it
  // should be even (RFC 3550 §11). 0 disables the stream (RFC 3264 §6); an m= line that came
  // with port 0 stays 0 whatever is given here.
  std::uint16_t rtp_port = 0;
  // Replaces the stream's direction (a media-level attribute, added when there is none);
  // nullopt keeps the direction lines as they are.
  std::optional<MediaDirection> direction{};
};

// An o= line of the B2BUA's own instead of the phone's. RFC 3264 §8 wants one origin per
// leg whose version grows by one with each change; passing the phone's o= through breaks that
// once a leg is connected to another phone (transfer, music on hold).
struct RelayOrigin {
  std::string_view username = "-";
  std::uint64_t session_id = 0;
  std::uint64_t session_version = 0;
};

// The SDP to send to the other side, CRLF line ends:
// - every c= line (session and media level) becomes "IN IP4|IP6 <address>", the family taken
//   from `address`; a c= with the unspecified address (RFC 2543 hold) stays, as the hold
//   it announces would otherwise turn into an active call;
// - the o= line's address becomes `address` (and the whole o= line `origin`, when given);
// - each m= port becomes its stream's rtp_port; a port count ("/2") is dropped, the relay
//   gives one port pair; m= lines beyond `streams` get port 0;
// - a=rtcp (RFC 3605) becomes rtp_port + 1, with `address` when the phone's named one, or
//   rtp_port when the phone's RTCP shared the RTP port (RFC 5761 mux offers). It is not added
//   where the phone had none: rtp_port + 1 is what RFC 3605 §2.1 implies without it. It is
//   dropped at session level (meaningless there) and on disabled streams;
// - ICE attributes (RFC 8839: candidate, ice-ufrag, ice-pwd, ice-options, ice-lite,
//   ice-mismatch, ice-pacing, remote-candidates, end-of-candidates) are removed at both
//   levels: the relay is the only path and a candidate would give away the phone's address;
// - every other line (formats, rtpmap, fmtp, telephone-event, ptime, crypto, direction ...)
//   is kept byte for byte and in order; blank lines and trailing white space are dropped.
std::string rewrite_for_relay(const SessionDescription& sdp, std::string_view address,
                              std::span<const RelayedStream> streams,
                              const std::optional<RelayOrigin>& origin = std::nullopt);

} // namespace starling::media
