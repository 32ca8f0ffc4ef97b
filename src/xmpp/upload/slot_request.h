// The stanzas of XEP-0363: a client's slot request, the slot, and the errors (§4, §5).
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include "xmpp/im/stanza_error.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::upload {

inline constexpr std::string_view kUploadNamespace = "urn:xmpp:http:upload:0";

// §4: what the client wants to upload.
struct SlotRequest {
  std::string file_name; // as the client wrote it
  std::uint64_t size = 0;
  std::string content_type; // empty when the client named none
};

// A media type as HTTP writes it (RFC 9110 §8.3.1): "type/subtype", parameters allowed.
[[nodiscard]] bool is_media_type(std::string_view text);

// The <request xmlns='urn:xmpp:http:upload:0'/> of an iq get: bad-request when 'filename'
// or 'size' is missing, the size is no decimal number or the content type no media type.
[[nodiscard]] std::expected<SlotRequest, im::StanzaErrorCondition>
parse_slot_request(const xml::Element& request);

// §4: the result with the PUT and the GET URL (no headers to add to the PUT).
[[nodiscard]] xml::Element slot_result(const xml::Element& iq, std::string_view put_url,
                                       std::string_view get_url);
// §5: not-acceptable with <file-too-large><max-file-size>.
[[nodiscard]] xml::Element file_too_large(const xml::Element& iq, std::uint64_t max_file_size);
// §5: a quota reached, resource-constraint with <retry stamp='…'/> when it is known when
// enough space frees up.
[[nodiscard]] xml::Element
quota_reached(const xml::Element& iq, std::optional<std::chrono::system_clock::time_point> retry);
// An error with a <text/> that says why, for the user to read.
[[nodiscard]] xml::Element
error_with_text(const xml::Element& iq, im::StanzaErrorCondition condition, std::string_view text);

} // namespace starling::xmpp::upload
