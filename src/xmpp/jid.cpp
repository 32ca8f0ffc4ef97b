// Parsing and canonical form of XMPP addresses (RFC 7622).
#include "xmpp/jid.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include <fmt/format.h>

namespace starling::xmpp {

namespace {

std::unexpected<JidError> malformed(std::string reason) {
  return std::unexpected(JidError{std::move(reason)});
}

// Well-formed UTF-8 (no overlong forms, surrogates or code points above U+10FFFF) without
// control characters, which no part of an address may hold (RFC 7622 §3.3.1, §3.4.1).
bool is_clean_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<std::uint8_t>(text[i]);
    if (lead < 0x80) {
      if (lead < 0x20 || lead == 0x7F) {
        return false;
      }
      ++i;
      continue;
    }
    std::size_t length = 0;
    std::uint32_t code = 0;
    if ((lead & 0xE0U) == 0xC0U) {
      length = 2;
      code = lead & 0x1FU;
    } else if ((lead & 0xF0U) == 0xE0U) {
      length = 3;
      code = lead & 0x0FU;
    } else if ((lead & 0xF8U) == 0xF0U) {
      length = 4;
      code = lead & 0x07U;
    } else {
      return false;
    }
    if (i + length > text.size()) {
      return false;
    }
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<std::uint8_t>(text[i + k]);
      if ((next & 0xC0U) != 0x80U) {
        return false;
      }
      code = (code << 6U) | (next & 0x3FU);
    }
    // The smallest code point each sequence length may encode (anything less is overlong).
    constexpr std::array<std::uint32_t, 5> kSmallest = {0, 0, 0x80, 0x800, 0x10000};
    const bool c1_control = code >= 0x80 && code <= 0x9F;
    if (code < kSmallest[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF) ||
        c1_control) {
      return false;
    }
    i += length;
  }
  return true;
}

std::string ascii_lower(std::string_view text) {
  std::string lowered(text);
  std::ranges::transform(lowered, lowered.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return lowered;
}

std::expected<void, JidError> check_part(std::string_view part, std::string_view name) {
  if (part.empty()) {
    return malformed(fmt::format("the {} is empty", name));
  }
  if (part.size() > kMaxJidPartSize) {
    return malformed(fmt::format("the {} is longer than {} bytes", name, kMaxJidPartSize));
  }
  if (!is_clean_utf8(part)) {
    return malformed(fmt::format("the {} is not valid UTF-8 or holds control characters", name));
  }
  return {};
}

std::expected<std::string, JidError> canonical_local(std::string_view local) {
  if (auto checked = check_part(local, "localpart"); !checked) {
    return std::unexpected(checked.error());
  }
  // RFC 7622 §3.3.1: characters that would make the address ambiguous in other protocols.
  constexpr std::string_view kForbidden = "\"&'/:<>@ ";
  if (const auto bad = local.find_first_of(kForbidden); bad != std::string_view::npos) {
    return malformed(fmt::format("the localpart contains '{}'", local[bad]));
  }
  return ascii_lower(local);
}

// A DNS name, or an IP literal (IPv6 in brackets). Non-ASCII labels (IDNs) are kept as
// sent; Starling's own domain is ASCII.
std::expected<std::string, JidError> canonical_domain(std::string_view domain) {
  if (domain.size() > 1 && domain.back() == '.') {
    domain.remove_suffix(1); // RFC 7622 §3.2: a trailing dot is not part of the domain
  }
  if (auto checked = check_part(domain, "domainpart"); !checked) {
    return std::unexpected(checked.error());
  }
  if (domain.front() == '[') {
    const bool literal =
        domain.back() == ']' &&
        domain.find_first_not_of("0123456789abcdefABCDEF:.", 1) == domain.size() - 1;
    if (!literal) {
      return malformed("the domainpart is not a valid IPv6 literal");
    }
    return ascii_lower(domain);
  }
  constexpr std::string_view kForbidden = "\"&'/:<>@ []\\";
  if (const auto bad = domain.find_first_of(kForbidden); bad != std::string_view::npos) {
    return malformed(fmt::format("the domainpart contains '{}'", domain[bad]));
  }
  if (domain.front() == '.' || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos) {
    return malformed("the domainpart has an empty label");
  }
  return ascii_lower(domain);
}

} // namespace

std::expected<Jid, JidError> Jid::parse(std::string_view text) {
  // RFC 7622 §3.1: the first '/' starts the resource, which may itself hold '@' and '/';
  // the localpart ends at the first '@' before it.
  std::string_view resource;
  bool has_resource = false;
  if (const auto slash = text.find('/'); slash != std::string_view::npos) {
    resource = text.substr(slash + 1);
    text = text.substr(0, slash);
    has_resource = true;
  }
  std::string_view local;
  bool has_local = false;
  if (const auto at = text.find('@'); at != std::string_view::npos) {
    local = text.substr(0, at);
    text = text.substr(at + 1);
    has_local = true;
  }
  if (has_local && local.empty()) {
    return malformed("the localpart is empty");
  }
  if (has_resource && resource.empty()) {
    return malformed("the resourcepart is empty");
  }
  return from_parts(local, text, resource);
}

std::expected<Jid, JidError> Jid::from_parts(std::string_view local, std::string_view domain,
                                             std::string_view resource) {
  Jid jid;
  if (!local.empty()) {
    auto canonical = canonical_local(local);
    if (!canonical) {
      return std::unexpected(canonical.error());
    }
    jid.local_ = std::move(*canonical);
  }
  auto canonical = canonical_domain(domain);
  if (!canonical) {
    return std::unexpected(canonical.error());
  }
  jid.domain_ = std::move(*canonical);
  if (!resource.empty()) {
    if (auto checked = check_part(resource, "resourcepart"); !checked) {
      return std::unexpected(checked.error());
    }
    jid.resource_ = resource;
  }
  return jid;
}

Jid Jid::bare() const {
  Jid bare = *this;
  bare.resource_.clear();
  return bare;
}

std::expected<Jid, JidError> Jid::with_resource(std::string_view resource) const {
  return from_parts(local_, domain_, resource);
}

std::string Jid::to_string() const {
  std::string text;
  text.reserve(local_.size() + domain_.size() + resource_.size() + 2);
  if (!local_.empty()) {
    text += local_;
    text += '@';
  }
  text += domain_;
  if (!resource_.empty()) {
    text += '/';
    text += resource_;
  }
  return text;
}

} // namespace starling::xmpp
