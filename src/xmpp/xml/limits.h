// Limits the XMPP stream parser enforces before it buffers anything, each with its reason.
#pragma once

#include <cstddef>

namespace starling::xmpp::xml {

// Bytes of one top-level element (stanza or nonza) before authentication. An unauthenticated
// client only negotiates: <starttls/>, <auth/> and <response/> carrying a SCRAM message are
// a few hundred bytes even with channel binding, so 10 KiB is ample and bounds what an
// anonymous peer can make us hold. Exceeding it is a <policy-violation/> (RFC 6120 §13.12).
inline constexpr std::size_t kMaxElementSizeBeforeAuth = std::size_t{10} * 1024;

// The same after SASL success, when the stream raises the limit: vCards with avatars and
// MUC history are the big stanzas; 256 KiB matches Prosody's default c2s_stanza_size_limit.
inline constexpr std::size_t kMaxElementSizeAuthenticated = std::size_t{256} * 1024;

// Nesting depth within a top-level element (the stanza itself is depth 1). Real stanzas
// nest 5 or 6 deep (message/event/items/item/entry/…); 32 bounds the recursion of every
// walk over the tree, serialisation and destruction included.
inline constexpr std::size_t kMaxDepth = 32;

// Attributes on one element, the stream header included. Stanzas carry up to six (to, from,
// id, type, xml:lang, and one extension); 64 leaves room and bounds each element's table.
inline constexpr std::size_t kMaxAttributes = 64;

// Attribute values and character data have no limit of their own: they count towards the
// element size above, which the parser checks while it reads them.

} // namespace starling::xmpp::xml
