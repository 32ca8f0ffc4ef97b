// Bookmarks of group chat rooms (XEP-0402) and their compatibility with the older forms
// (XEP-0402 §5.3): the PEP node urn:xmpp:bookmarks:1, one item per room, is what is kept;
// the legacy storage:bookmarks element (XEP-0048) in private storage (XEP-0049) and on its
// own PEP node shows the same rooms, and a client writing either changes the PEP items.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "xmpp/im/private_storage.h"
#include "xmpp/im/server_iq.h"
#include "xmpp/im/user_data.h"
#include "xmpp/jid.h"
#include "xmpp/pep/node_config.h"
#include "xmpp/pep/pep_service.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::pep {

inline constexpr std::string_view kBookmarksNode = "urn:xmpp:bookmarks:1"; // also the namespace
inline constexpr std::string_view kLegacyBookmarksNamespace = "storage:bookmarks"; // XEP-0048
// XEP-0048 §3.3: the legacy PEP node keeps the whole list in one item.
inline constexpr std::string_view kLegacyBookmarksItem = "current";

// XEP-0402 §3: the room's JID as item id, and a <conference/> in urn:xmpp:bookmarks:1.
struct Bookmark {
  std::string room;
  xml::Element conference;
};

// The legacy <conference jid='…'/>s of a <storage xmlns='storage:bookmarks'/> as bookmarks,
// in order, one per room (the last one wins); conferences without a valid room JID are left
// out. Children of other namespaces go into <extensions/> (XEP-0402 §3).
[[nodiscard]] std::vector<Bookmark> bookmarks_from_legacy(const xml::Element& storage);
// The legacy <conference/> of a bookmark, its extensions inlined.
[[nodiscard]] xml::Element legacy_conference(const Bookmark& bookmark);

class BookmarksCompat final : public NodeListener, public im::PrivateElementView {
public:
  // Both must outlive this object; `data` is where private storage keeps what is not a
  // conference of the legacy element (URL bookmarks, XEP-0048 §3.2).
  BookmarksCompat(PepService& pep, im::UserData& data) : pep_(pep), data_(data) {}

  // Adds urn:xmpp:bookmarks:1#compat and #compat-pep to every account's disco#info.
  static void announce(im::ServerIq& server_iq);
  // The node configuration XEP-0402 §3.1 asks clients to publish with.
  [[nodiscard]] static NodeConfig bookmarks_config();

  [[nodiscard]] std::vector<Bookmark> bookmarks(const Jid& owner) const;

  // A client changed the bookmarks node (then the legacy PEP node follows) or the legacy PEP
  // node (then the bookmarks follow).
  void on_node_changed(const Jid& owner, std::string_view node) override;
  // storage:bookmarks in private storage: built from the bookmarks on each get; a set
  // changes them.
  [[nodiscard]] xml::Element on_get(const Jid& owner, const xml::Element* kept) const override;
  xml::Element on_set(const Jid& owner, const xml::Element& element) override;

private:
  // XEP-0402 §5.3.2: publishes what changed and retracts what went; unchanged rooms are left
  // alone, so their clients are not notified.
  void apply_legacy(const Jid& owner, const xml::Element& storage);
  // The legacy PEP node's item: the bookmarks and what private storage keeps besides them.
  void publish_legacy_node(const Jid& owner, const xml::Element* kept);

  PepService& pep_;
  im::UserData& data_;
};

} // namespace starling::xmpp::pep
