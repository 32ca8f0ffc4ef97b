// The media of one call: a relay stream per m= line, and the SDP each phone is sent, which
// names the relay instead of the other phone (RFC 3264 offer/answer through a B2BUA).
#pragma once

#include <array>
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "media/media_relay.h"

namespace starling::pbx {

class MediaSession {
public:
  explicit MediaSession(media::MediaRelay& relay);
  MediaSession(const MediaSession&) = delete;
  MediaSession& operator=(const MediaSession&) = delete;
  MediaSession(MediaSession&&) = delete;
  MediaSession& operator=(MediaSession&&) = delete;
  ~MediaSession() { close(); }

  // Closes the streams, freeing their ports for the next call.
  void close();

  // An offer or answer from the phone on side `from`, whose signalling comes from
  // `signalling_address`: points the relay's `from` side at it (opening streams for new m=
  // lines) and returns the SDP for the other phone, announcing `address`. The error says
  // what is wrong for a Warning header or the log.
  std::expected<std::string, std::string> relay(media::Side from, std::string_view sdp,
                                                std::string_view signalling_address,
                                                std::string_view address);

  // Undoes the last relay() from `side`, whose offer the other phone refused: the relay
  // points at that phone's previous SDP again.
  void revert(media::Side side);

  // The last SDP of either phone put its streams on hold (sendonly, inactive).
  [[nodiscard]] bool held() const { return held_by_[0] || held_by_[1]; }
  // Whether any RTP or RTCP arrived from either phone since the last call.
  bool packets_arrived();

private:
  std::expected<media::StreamId, std::string> stream_for(std::size_t index);

  media::MediaRelay& relay_;
  std::vector<media::StreamId> streams_; // by m= line; 0 for a line never active
  std::array<bool, 2> held_by_{};
  // What each phone sent before its latest SDP, to revert() to.
  struct Offer {
    std::string sdp;
    std::string signalling_address;
    std::string address;
  };
  std::array<Offer, 2> current_;
  std::array<Offer, 2> previous_;
  // One o= per direction, whose version grows with every SDP sent (RFC 3264 §8).
  std::array<std::uint64_t, 2> origin_versions_{};
  std::uint64_t origin_session_id_;
  std::uint64_t last_packet_total_ = 0;
};

} // namespace starling::pbx
