// Parses slot requests and builds the slot and its errors (XEP-0363 §4, §5).
#include "xmpp/upload/slot_request.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "xmpp/date_time.h"
#include "xmpp/im/server_iq.h"
#include "xmpp/xml/namespaces.h"

namespace starling::xmpp::upload {

namespace {

using enum im::StanzaErrorCondition;

// Longer types are made up: the IANA registry's longest is under 100 characters.
constexpr std::size_t kMaxMediaTypeLength = 255;
// 2^64 has 20 digits.
constexpr std::size_t kMaxSizeDigits = 20;

// RFC 9110 §5.6.2 tchar.
bool is_token_char(char c) {
  static constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         kSymbols.find(c) != std::string_view::npos;
}

bool is_token(std::string_view text) {
  return !text.empty() && std::ranges::all_of(text, is_token_char);
}

std::optional<std::uint64_t> parse_size(std::string_view text) {
  std::uint64_t size = 0;
  if (text.empty() || text.size() > kMaxSizeDigits ||
      !std::ranges::all_of(text, [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), size);
  if (error != std::errc{} || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return size;
}

xml::Element* error_element(xml::Element& reply) {
  return reply.child(reply.ns(), "error");
}

} // namespace

bool is_media_type(std::string_view text) {
  if (text.size() > kMaxMediaTypeLength) {
    return false;
  }
  const auto semicolon = text.find(';');
  const auto type = text.substr(0, semicolon);
  const auto slash = type.find('/');
  if (slash == std::string_view::npos || !is_token(type.substr(0, slash)) ||
      !is_token(type.substr(slash + 1))) {
    return false;
  }
  // Parameters: printable ASCII without control characters; their syntax is not checked, as
  // the PUT must repeat the type byte for byte anyway.
  return std::ranges::all_of(text, [](char c) { return c >= 0x20 && c < 0x7F; });
}

std::expected<SlotRequest, im::StanzaErrorCondition>
parse_slot_request(const xml::Element& request) {
  const auto file_name = request.attribute("filename");
  const auto size_text = request.attribute("size");
  if (!file_name || !size_text) {
    return std::unexpected(bad_request);
  }
  const auto size = parse_size(*size_text);
  if (!size) {
    return std::unexpected(bad_request);
  }
  const auto content_type = request.attribute("content-type").value_or("");
  if (!content_type.empty() && !is_media_type(content_type)) {
    return std::unexpected(bad_request);
  }
  return SlotRequest{.file_name = std::string(*file_name),
                     .size = *size,
                     .content_type = std::string(content_type)};
}

xml::Element slot_result(const xml::Element& iq, std::string_view put_url,
                         std::string_view get_url) {
  auto result = im::make_result(iq);
  auto& slot = result.append(xml::Element(kUploadNamespace, "slot"));
  slot.append(xml::Element(kUploadNamespace, "put")).set_attribute("url", put_url);
  slot.append(xml::Element(kUploadNamespace, "get")).set_attribute("url", get_url);
  return result;
}

xml::Element error_with_text(const xml::Element& iq, im::StanzaErrorCondition condition,
                             std::string_view text) {
  auto reply = im::make_error_reply(iq, condition);
  error_element(reply)->append(xml::Element(xml::kStanzaErrorNamespace, "text")).append_text(text);
  return reply;
}

xml::Element file_too_large(const xml::Element& iq, std::uint64_t max_file_size) {
  auto reply = error_with_text(
      iq, not_acceptable,
      fmt::format("File too large. The maximum file size is {} bytes", max_file_size));
  error_element(reply)
      ->append(xml::Element(kUploadNamespace, "file-too-large"))
      .append(xml::Element(kUploadNamespace, "max-file-size"))
      .append_text(std::to_string(max_file_size));
  return reply;
}

xml::Element quota_reached(const xml::Element& iq,
                           std::optional<std::chrono::system_clock::time_point> retry) {
  auto reply = error_with_text(
      iq, resource_constraint,
      "Quota reached: your uploads take all the space you have until older ones expire");
  if (retry) {
    error_element(reply)
        ->append(xml::Element(kUploadNamespace, "retry"))
        .set_attribute("stamp", to_date_time(std::chrono::ceil<std::chrono::seconds>(*retry)));
  }
  return reply;
}

} // namespace starling::xmpp::upload
