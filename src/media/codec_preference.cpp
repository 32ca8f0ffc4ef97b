// Reordering an offer's formats by a trunk's codec preference.
#include "media/codec_preference.h"

#include <algorithm>
#include <array>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "media/sdp.h"

namespace starling::media {
namespace {

// RFC 3551 §6: payload types whose encoding an offer need not name with a=rtpmap.
constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kStaticPayloadTypes{
    {{"0", "PCMU"}, {"3", "GSM"}, {"4", "G723"}, {"8", "PCMA"}, {"9", "G722"}, {"18", "G729"}}};

bool same_name(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    return lower(x) == lower(y);
  });
}

// "PCMA" for payload type 8, or for a dynamic type from "a=rtpmap:96 opus/48000/2".
std::string_view encoding_name(const SdpMedia& media, std::string_view format) {
  for (const auto& attribute : media.attributes) {
    if (!same_name(attribute.name, "rtpmap")) {
      continue;
    }
    const std::string_view value = attribute.value;
    const auto space = value.find(' ');
    if (space != std::string_view::npos && value.substr(0, space) == format) {
      const std::string_view encoding = value.substr(space + 1);
      return encoding.substr(0, encoding.find('/'));
    }
  }
  const auto known = std::ranges::find(kStaticPayloadTypes, format,
                                       &std::pair<std::string_view, std::string_view>::first);
  return known == kStaticPayloadTypes.end() ? std::string_view() : known->second;
}

// Where a format ranks: its codec's place in `preferred`, or after all of them.
std::size_t rank(const SdpMedia& media, std::string_view format,
                 std::span<const std::string> preferred) {
  const std::string_view name = encoding_name(media, format);
  const auto found = std::ranges::find_if(
      preferred, [name](const std::string& codec) { return same_name(codec, name); });
  return static_cast<std::size_t>(found - preferred.begin());
}

} // namespace

std::string prefer_codecs(std::string_view sdp, std::span<const std::string> preferred) {
  auto parsed = parse_sdp(sdp);
  if (!parsed || preferred.empty()) {
    return std::string(sdp);
  }
  std::string out;
  out.reserve(sdp.size());
  std::size_t media_index = 0;
  std::string_view rest = sdp;
  while (!rest.empty()) {
    const auto end = rest.find('\n');
    const std::string_view line =
        rest.substr(0, end == std::string_view::npos ? rest.size() : end + 1);
    rest.remove_prefix(line.size());
    if (!line.starts_with("m=") || media_index >= parsed->media.size()) {
      out.append(line);
      continue;
    }
    const SdpMedia& media = parsed->media[media_index++];
    if (!media.protocol.starts_with("RTP/")) {
      out.append(line);
      continue;
    }
    auto formats = media.formats;
    std::ranges::stable_sort(
        formats, {}, [&](std::string_view format) { return rank(media, format, preferred); });
    const std::string_view ending =
        line.ends_with("\r\n") ? "\r\n" : (line.ends_with('\n') ? "\n" : "");
    const std::string_view head = line.substr(0, line.size() - ending.size());
    // m=<media> <port> <proto> <fmt> ...: the first three words stay as they were.
    std::size_t words = 0;
    std::size_t cut = 0;
    while (words < 3 && cut < head.size()) {
      cut = head.find(' ', cut);
      if (cut == std::string_view::npos) {
        break;
      }
      ++cut;
      ++words;
    }
    if (words < 3) {
      out.append(line);
      continue;
    }
    fmt::format_to(std::back_inserter(out), "{}{}{}", head.substr(0, cut), fmt::join(formats, " "),
                   ending);
  }
  return out;
}

} // namespace starling::media
