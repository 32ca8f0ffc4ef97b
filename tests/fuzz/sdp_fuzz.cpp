// libFuzzer target: SDP parsing, and the relay rewrite whose output must parse again.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "media/sdp.h"
#include "media/sdp_rewrite.h"

namespace {

using namespace starling::media;

void check(bool condition) {
  if (!condition) {
    std::abort();
  }
}

// Reading every byte of a view lets ASan catch a view that points outside its buffer.
std::size_t touch(std::string_view s) {
  std::size_t sum = 0;
  for (const char c : s) {
    sum += static_cast<unsigned char>(c);
  }
  return sum;
}

std::size_t touch(const SessionDescription& sdp) {
  std::size_t sum = touch(sdp.session_name) + touch(sdp.connection_address);
  if (sdp.origin) {
    sum += touch(sdp.origin->username) + touch(sdp.origin->address);
  }
  for (const SdpAttribute& a : sdp.attributes) {
    sum += touch(a.name) + touch(a.value);
  }
  for (const SdpMedia& m : sdp.media) {
    sum += touch(m.type) + touch(m.protocol) + touch(m.connection_address) + touch(m.rtcp_address);
    for (const std::string_view f : m.formats) {
      sum += touch(f);
    }
    for (const SdpAttribute& a : m.attributes) {
      sum += touch(a.name) + touch(a.value);
    }
  }
  return sum + (sdp.is_hold() ? 1 : 0);
}

// What the rewrite promises, read back through the parser.
void check_relayed(const SessionDescription& in, const SessionDescription& out,
                   std::string_view relay, const std::vector<RelayedStream>& streams) {
  check(out.media.size() == in.media.size());
  for (std::size_t i = 0; i < in.media.size(); ++i) {
    const SdpMedia& before = in.media[i];
    const SdpMedia& after = out.media[i];
    const std::uint16_t port = before.port == 0 ? 0 : streams[i].rtp_port;
    check(after.port == port);
    check(after.direction == before.direction);
    check(after.formats == before.formats);
    if (port != 0) {
      check(is_unspecified_address(before.connection_address)
                ? after.connection_address == before.connection_address
                : after.connection_address == relay);
      if (before.rtcp_port) {
        check(after.rtcp_port == (*before.rtcp_port == before.port ? port : port + 1));
      } else {
        check(!after.rtcp_port);
      }
    }
  }
  check(out.is_hold() == in.is_hold());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text{reinterpret_cast<const char*>(data), size};
  const auto sdp = parse_sdp(text);
  if (!sdp) {
    check(!sdp.error().reason.empty());
    (void)touch(sdp.error().text);
    (void)describe(sdp.error());
    return 0;
  }
  (void)touch(*sdp);

  std::vector<RelayedStream> streams;
  for (std::size_t i = 0; i < sdp->media.size(); ++i) {
    streams.push_back(RelayedStream{.rtp_port = static_cast<std::uint16_t>(20000 + 2 * i),
                                    .direction = std::nullopt});
  }
  static constexpr std::array<std::string_view, 2> kRelays = {"192.0.2.10", "2001:db8::10"};
  for (const std::string_view relay : kRelays) {
    const std::string out = rewrite_for_relay(*sdp, relay, streams);
    const auto again = parse_sdp(out);
    if (!again) {
      check(out.size() > kMaxSdpSize); // only a longer address can push it over the limit
      continue;
    }
    check_relayed(*sdp, *again, relay, streams);
    check(rewrite_for_relay(*again, relay, streams) == out); // the rewrite is a fixed point
  }

  // Disabled streams, direction changes and the B2BUA's own origin, chosen by the input.
  for (std::size_t i = 0; i < streams.size(); ++i) {
    const auto choice = static_cast<std::uint8_t>(data[i % size]);
    streams[i].rtp_port = (choice & 1U) != 0 ? 0 : streams[i].rtp_port;
    if ((choice & 2U) != 0) {
      streams[i].direction = static_cast<MediaDirection>((choice >> 2U) & 3U);
    }
  }
  const std::string out = rewrite_for_relay(
      *sdp, "198.51.100.1", streams,
      RelayOrigin{.username = "starling", .session_id = size, .session_version = size + 1});
  const auto again = parse_sdp(out);
  check(again.has_value() || out.size() > kMaxSdpSize);
  if (again) {
    check(again->media.size() == sdp->media.size());
    for (std::size_t i = 0; i < streams.size(); ++i) {
      if (streams[i].direction) {
        check(again->media[i].direction == *streams[i].direction);
      }
    }
  }
  return 0;
}
