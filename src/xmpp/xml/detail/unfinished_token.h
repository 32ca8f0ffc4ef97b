// Finds where the unfinished token expat holds can end, so that bytes trickled into a
// large tag are handed to expat once it can be complete, not one by one: expat before 2.6
// rescans the whole unfinished token on every call (CVE-2023-52425), which makes a 256 KiB
// tag sent a byte at a time cost minutes of CPU.
#pragma once

#include <cstdint>
#include <string_view>

namespace starling::xmpp::xml::detail {

// Recognises the end of start and end tags, comments, processing instructions and entity
// references, the tokens that can grow large (character data expat reports as it comes).
// It may see an end where expat will not (a false alarm costs one rescan), but never
// misses one in well-formed XML, so a complete stanza is never held back.
class UnfinishedToken {
public:
  // Follows the token that begins with `token` (all bytes expat holds of it). False if it
  // is of a kind this does not know, or looks finished: then hand bytes to expat as usual.
  bool start(std::string_view token);
  // Reads the bytes that follow; returns how many of them lead up to and include the
  // first that may end the token, or npos if none may.
  std::size_t find_end(std::string_view more);

private:
  enum class Kind : std::uint8_t { start_tag, end_tag, comment, processing_instruction, reference };
  Kind kind_ = Kind::start_tag;
  char quote_ = 0; // the quote of the attribute value being read in a start tag
  char last_ = 0;  // the last byte read, and the one before, for "-->" and "?>"
  char previous_ = 0;
};

} // namespace starling::xmpp::xml::detail
