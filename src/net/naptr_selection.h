// RFC 3263 §4.1: which NAPTR records of a SIP domain Starling follows, and in which order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "net/sip_server.h"

namespace starling::net {

struct NaptrRecord {
  std::uint16_t order = 0;
  std::uint16_t preference = 0;
  std::string flags;
  std::string service;
  std::string regexp;
  std::string replacement;

  bool operator==(const NaptrRecord&) const = default;
};

// A NAPTR record that was kept: look up SRV records of `srv_name` for `transport`.
struct NaptrService {
  SipTransport transport = SipTransport::udp;
  std::string srv_name;

  bool operator==(const NaptrService&) const = default;
};

// RFC 3263 §4.1 keeps the services of transports the client supports ("SIP+D2U", "SIP+D2T",
// "SIPS+D2T"; for a sips: URI only "SIPS+D2T"), ordered by order, then preference (RFC 3403
// §4.1). Only terminal "s" records are followed: SIP's NAPTRs name an SRV record in their
// replacement and have no regexp. Duplicates are dropped; at most `limit` services are kept.
[[nodiscard]] std::vector<NaptrService> select_naptr_services(std::vector<NaptrRecord> records,
                                                              bool secure, std::size_t limit);

} // namespace starling::net
