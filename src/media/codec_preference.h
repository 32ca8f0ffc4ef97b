// Putting a trunk's preferred codecs first in an offer, so that a provider that answers with
// the first codec it supports picks the one the trunk asks for (RFC 3264 §5.1: formats are
// listed in order of preference).
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace starling::media {

// `sdp` with the formats of each RTP m= line reordered: those whose encoding name (from
// a=rtpmap, or the static payload types of RFC 3551 §6: PCMU 0, GSM 3, G723 4, PCMA 8,
// G722 9, G729 18) is in `preferred` first, in the order of `preferred` (names compared
// ignoring case), then the others in their own order. Nothing is removed; an SDP that does
// not parse, or an empty `preferred`, comes back unchanged.
std::string prefer_codecs(std::string_view sdp, std::span<const std::string> preferred);

} // namespace starling::media
