// XMPP addresses (RFC 7622): localpart@domainpart/resourcepart, compared in their
// canonical form.
#pragma once

#include <compare>
#include <cstddef>
#include <expected>
#include <string>
#include <string_view>

namespace starling::xmpp {

// RFC 7622 §3.1: each part is at most 1023 octets.
inline constexpr std::size_t kMaxJidPartSize = 1023;

struct JidError {
  std::string reason; // "the localpart contains '<'", for a jid-malformed stanza error's text
};

// Canonical form, so that equal addresses compare equal: the localpart and the domain in
// lower case, the domain without a trailing dot; the resource exactly as given. Case
// mapping is ASCII only: non-ASCII letters are kept as sent, a simplification of PRECIS
// (RFC 8265) that matters only for non-ASCII user names.
class Jid {
public:
  // "alice@pbx.example.com/phone", "pbx.example.com", "[2001:db8::1]". Refuses empty
  // parts where a separator promises one, oversize parts, characters RFC 7622 §3.3.1
  // forbids in a localpart, control characters and invalid UTF-8 anywhere.
  static std::expected<Jid, JidError> parse(std::string_view text);
  // From parts already known to be valid (a Starling user name, the configured domain).
  static std::expected<Jid, JidError> from_parts(std::string_view local, std::string_view domain,
                                                 std::string_view resource = {});

  [[nodiscard]] const std::string& local() const { return local_; }
  [[nodiscard]] const std::string& domain() const { return domain_; }
  [[nodiscard]] const std::string& resource() const { return resource_; }

  [[nodiscard]] bool is_bare() const { return resource_.empty(); }
  [[nodiscard]] Jid bare() const;
  [[nodiscard]] std::expected<Jid, JidError> with_resource(std::string_view resource) const;
  [[nodiscard]] std::string to_string() const;

  friend auto operator<=>(const Jid&, const Jid&) = default;

private:
  Jid() = default;

  std::string local_;
  std::string domain_;
  std::string resource_;
};

} // namespace starling::xmpp
