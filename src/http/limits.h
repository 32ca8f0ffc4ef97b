// What one HTTP client may take from the server: sizes, times and connections.
#pragma once

#include <chrono>
#include <cstddef>

namespace starling::http {

struct HttpLimits {
  // Request line and headers together; beyond this 431. Browsers send 1-4 KiB, cookies included.
  std::size_t header_bytes = std::size_t{8} * 1024;
  // Request bodies; beyond this 413. The REST API takes small JSON documents and vCards.
  std::size_t body_bytes = std::size_t{1024} * 1024;
  // From a request's first byte to its blank line: a client trickling a header (slowloris)
  // holds a connection for at most this long. Also bounds the TLS handshake.
  std::chrono::milliseconds header_timeout{10'000};
  // Reading a body, writing a response.
  std::chrono::milliseconds transfer_timeout{30'000};
  // A body a handler allows beyond body_bytes (an upload) gets one more second to arrive
  // for each this many bytes: 512 kbit/s, a phone's uplink on a poor mobile network.
  std::size_t slow_upload_bytes_per_second = std::size_t{64} * 1024;
  // A kept-alive connection waiting for its next request.
  std::chrono::milliseconds idle_timeout{60'000};
  // Open connections, total and from one source address (a browser opens about six; an
  // office behind one NAT address needs more).
  std::size_t connections = 1024;
  std::size_t connections_per_address = 128;
  // Live events waiting to be sent to one WebSocket; a client further behind is closed.
  std::size_t queued_events = 256;
  // A WebSocket without traffic is pinged after half of this and closed after all of it.
  std::chrono::milliseconds event_stream_idle_timeout{60'000};
};

} // namespace starling::http
