// RFC 3263 §4.1: which NAPTR records of a SIP domain Starling follows, and in which order.
#include "net/naptr_selection.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>

namespace starling::net {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

// RFC 3263 §4.1 and the IANA registry it creates (§9): service field to transport. Services
// and flags are case-insensitive (RFC 3403 §4.1).
std::optional<SipTransport> supported_transport(std::string_view service, bool secure) {
  if (iequals(service, "SIPS+D2T")) {
    return SipTransport::tls;
  }
  if (secure) {
    return std::nullopt; // a sips: URI must not fall back to an unsecured transport
  }
  if (iequals(service, "SIP+D2U")) {
    return SipTransport::udp;
  }
  if (iequals(service, "SIP+D2T")) {
    return SipTransport::tcp;
  }
  return std::nullopt; // SIP+D2S (SCTP), SIPS+D2S, or another application's service
}

bool has_name(const std::string& name) {
  return !name.empty() && name != ".";
}

} // namespace

std::vector<NaptrService> select_naptr_services(std::vector<NaptrRecord> records, bool secure,
                                                std::size_t limit) {
  std::stable_sort(records.begin(), records.end(), [](const NaptrRecord& a, const NaptrRecord& b) {
    return a.order != b.order ? a.order < b.order : a.preference < b.preference;
  });
  std::vector<NaptrService> services;
  for (const auto& record : records) {
    if (services.size() >= limit) {
      break;
    }
    const auto transport = supported_transport(record.service, secure);
    if (!transport || !iequals(record.flags, "s") || !record.regexp.empty() ||
        !has_name(record.replacement)) {
      continue;
    }
    NaptrService service{*transport, record.replacement};
    if (std::find(services.begin(), services.end(), service) == services.end()) {
      services.push_back(std::move(service));
    }
  }
  return services;
}

} // namespace starling::net
