// Relay streams and SDP rewriting for one call.
#include "pbx/media_session.h"

#include <chrono>
#include <utility>

#include <fmt/format.h>

#include "media/sdp.h"
#include "media/sdp_rewrite.h"

namespace starling::pbx {
namespace {

std::size_t index_of(media::Side side) {
  return side == media::Side::a ? 0 : 1;
}

// Where the phone asked for media. An address that is not an IP literal, or that differs
// from where the phone's signalling comes from, means NAT (or a phone that does not know its
// own address): the relay then waits for the phone's first packet and answers that source.
media::PeerAddress peer_of(const media::SdpMedia& stream, std::string_view signalling_address) {
  media::PeerAddress peer;
  boost::system::error_code error;
  const auto address = boost::asio::ip::make_address(std::string(stream.connection_address), error);
  peer.latch_only = error || stream.connection_address != signalling_address;
  if (!error) {
    const std::uint16_t rtcp_port = stream.rtcp_port.value_or(stream.port + 1);
    auto rtcp_address = address;
    if (!stream.rtcp_address.empty()) {
      rtcp_address = boost::asio::ip::make_address(std::string(stream.rtcp_address), error);
      if (error) {
        rtcp_address = address;
      }
    }
    peer.rtp = {address, stream.port};
    peer.rtcp = {rtcp_address, rtcp_port};
  }
  return peer;
}

} // namespace

MediaSession::MediaSession(media::MediaRelay& relay)
    : relay_(relay), origin_session_id_(static_cast<std::uint64_t>(
                         std::chrono::system_clock::now().time_since_epoch().count())) {}

void MediaSession::close() {
  for (const auto stream : streams_) {
    if (stream != 0) {
      relay_.close_stream(stream);
    }
  }
  streams_.clear();
}

std::expected<media::StreamId, std::string> MediaSession::stream_for(std::size_t index) {
  if (streams_.size() <= index) {
    streams_.resize(index + 1, 0);
  }
  if (streams_[index] == 0) {
    const auto opened = relay_.open_stream();
    if (!opened) {
      return std::unexpected(std::string(media::to_string(opened.error())));
    }
    streams_[index] = *opened;
  }
  return streams_[index];
}

std::expected<std::string, std::string> MediaSession::relay(media::Side from, std::string_view sdp,
                                                            std::string_view signalling_address,
                                                            std::string_view address) {
  const auto description = media::parse_sdp(sdp);
  if (!description) {
    return std::unexpected(media::describe(description.error()));
  }
  const media::Side to = from == media::Side::a ? media::Side::b : media::Side::a;
  std::vector<media::RelayedStream> relayed(description->media.size());
  for (std::size_t index = 0; index < description->media.size(); ++index) {
    const auto& stream = description->media[index];
    if (stream.rejected()) {
      continue;
    }
    const auto id = stream_for(index);
    if (!id) {
      return std::unexpected(id.error());
    }
    relay_.set_peer(*id, from, peer_of(stream, signalling_address));
    const auto ports = relay_.ports(*id);
    relayed[index].rtp_port = to == media::Side::a ? ports.a_rtp : ports.b_rtp;
  }
  held_by_[index_of(from)] = description->is_hold();
  previous_[index_of(from)] =
      std::exchange(current_[index_of(from)],
                    {std::string(sdp), std::string(signalling_address), std::string(address)});
  const media::RelayOrigin origin{"starling", origin_session_id_ + index_of(to),
                                  ++origin_versions_[index_of(to)]};
  return media::rewrite_for_relay(*description, address, relayed, origin);
}

void MediaSession::revert(media::Side side) {
  const Offer previous = previous_[index_of(side)];
  if (previous.sdp.empty()) {
    return;
  }
  (void)relay(side, previous.sdp, previous.signalling_address, previous.address);
  previous_[index_of(side)] = {};
}

bool MediaSession::packets_arrived() {
  std::uint64_t total = 0;
  for (const auto stream : streams_) {
    if (const auto counters = relay_.counters(stream)) {
      total += counters->packets_from_a + counters->packets_from_b;
    }
  }
  const bool moved = total != last_packet_total_;
  last_packet_total_ = total;
  return moved;
}

} // namespace starling::pbx
