// Identifiers of the header fields Starling understands, with their long and compact names.
#pragma once

#include <cstdint>
#include <string_view>

namespace starling::sip {

enum class HeaderId : std::uint8_t {
  unknown, // kept by name
  accept,
  allow,
  allow_events,
  authorization,
  call_id,
  contact,
  content_disposition,
  content_encoding,
  content_length,
  content_type,
  cseq,
  date,
  event,
  expires,
  from,
  identity,
  max_forwards,
  min_expires,
  min_se,
  organization,
  p_asserted_identity,
  path,
  p_preferred_identity,
  privacy,
  proxy_authenticate,
  proxy_authorization,
  proxy_require,
  rack,
  reason,
  record_route,
  referred_by,
  refer_to,
  require,
  retry_after,
  route,
  rseq,
  server,
  session_expires,
  subject,
  supported,
  timestamp,
  to,
  unsupported,
  user_agent,
  via,
  warning,
  www_authenticate,
};

// Maps a header name as received, long or compact form, in any letter case (RFC 3261 §7.3.1,
// §7.3.3) to its id; HeaderId::unknown for names Starling does not know.
HeaderId header_id(std::string_view name);

// The long form as written by Starling ("Call-ID", "WWW-Authenticate"); empty for Unknown.
std::string_view header_name(HeaderId id);

// Whether the header's grammar is a comma-separated list, so that several values may share
// one header line (RFC 3261 §7.3.1). Date, From, To, CSeq, Call-ID and the authentication
// headers are not: their values contain commas of their own.
bool is_list_header(HeaderId id);

} // namespace starling::sip
