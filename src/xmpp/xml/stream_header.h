// The stream header <stream:stream …> (RFC 6120 §4.7): its attributes, and writing ours.
#pragma once

#include <string>
#include <string_view>

namespace starling::xmpp::xml {

// The attributes of a stream header (RFC 6120 §4.7.1–§4.7.5). An attribute that is absent
// is empty: a missing version means a pre-1.0 peer (§4.7.5), which the stream refuses.
struct StreamHeader {
  std::string to;
  std::string from;
  std::string id;
  std::string version;
  std::string lang; // xml:lang
  // The default namespace the header declares (RFC 6120 §4.8.2), empty if none.
  std::string content_namespace;

  bool operator==(const StreamHeader&) const = default;
};

// The XML declaration and our response stream header (RFC 6120 §4.7, §11.5):
//   <?xml version='1.0'?><stream:stream xmlns='jabber:client'
//   xmlns:stream='http://etherx.jabber.org/streams' from=… to=… id=… version=… xml:lang=…>
// Empty attributes are left out; an empty content_namespace writes jabber:client.
// Top-level elements that follow are written with the default StreamScope.
std::string open_stream(const StreamHeader& header);

// Ends our stream (RFC 6120 §4.4).
inline constexpr std::string_view kCloseStream = "</stream:stream>";

} // namespace starling::xmpp::xml
