// An SNTP client (RFC 4330 over UDP) that measures the local clock's offset from an NTP server.
#pragma once

#include <chrono>
#include <expected>
#include <functional>
#include <string>

#include <boost/asio/io_context.hpp>

#include "net/sntp_packet.h"

namespace starling::net {

// A server that is up answers within milliseconds; three tries a second apart ride out a lost
// datagram without making the doctor or the periodic check slow.
struct SntpTiming {
  std::chrono::milliseconds wait{1000};
  unsigned attempts = 3;
};

// The sample, or what went wrong in words ("no answer to 3 requests within 3.0 s (last:
// Connection refused)"); the caller names the server.
using SntpQueryResult = std::expected<ClockSample, std::string>;
using SntpQueryHandler = std::function<void(SntpQueryResult)>;

// Resolves `server` ("host" or "host:port", default 123), sends a client request from an
// ephemeral port and waits for the answer; foreign and malformed datagrams are discarded.
// `on_done` runs exactly once on `io`'s thread unless `io` is stopped first.
void query_sntp_server(boost::asio::io_context& io, const std::string& server,
                       SntpQueryHandler on_done, SntpTiming timing = {});

} // namespace starling::net
