// Bookmarks 2 (XEP-0402) and the legacy forms of XEP-0048 kept in step with them.
#include "xmpp/pep/bookmarks.h"

#include <algorithm>
#include <set>

#include "xmpp/pep/pubsub_namespaces.h"

namespace starling::xmpp::pep {

namespace {

const std::string kLegacyKey = im::private_key(kLegacyBookmarksNamespace, "storage");

bool is_legacy_conference(const xml::Element& child) {
  return child.is(kLegacyBookmarksNamespace, "conference");
}

void copy_attributes(const xml::Element& from, xml::Element& to) {
  for (std::string_view name : {"name", "autojoin"}) {
    if (const auto value = from.attribute(name)) {
      to.set_attribute(name, *value);
    }
  }
}

// A text-only child in another namespace, e.g. <nick/>.
void copy_field(const xml::Element& from, std::string_view from_ns, std::string_view name,
                xml::Element& to) {
  if (const auto* field = from.child(from_ns, name)) {
    to.append(xml::Element(to.ns(), name)).append_text(field->text());
  }
}

xml::Element empty_legacy_storage() {
  return {kLegacyBookmarksNamespace, "storage"};
}

} // namespace

std::vector<Bookmark> bookmarks_from_legacy(const xml::Element& storage) {
  std::vector<Bookmark> out;
  for (const auto& legacy : storage.children(kLegacyBookmarksNamespace, "conference")) {
    const auto room = Jid::parse(legacy.attribute("jid").value_or(""));
    if (!room || !room->is_bare() || room->local().empty()) {
      continue;
    }
    xml::Element conference(kBookmarksNode, "conference");
    copy_attributes(legacy, conference);
    copy_field(legacy, kLegacyBookmarksNamespace, "nick", conference);
    copy_field(legacy, kLegacyBookmarksNamespace, "password", conference);
    xml::Element extensions(kBookmarksNode, "extensions");
    for (const auto& child : legacy.elements()) {
      if (child.ns() != kLegacyBookmarksNamespace) {
        extensions.append(child);
      }
    }
    if (!extensions.elements().empty()) {
      conference.append(std::move(extensions));
    }
    std::erase_if(out, [&](const Bookmark& b) { return b.room == room->to_string(); });
    out.push_back({room->to_string(), std::move(conference)});
  }
  return out;
}

xml::Element legacy_conference(const Bookmark& bookmark) {
  xml::Element legacy(kLegacyBookmarksNamespace, "conference");
  legacy.set_attribute("jid", bookmark.room);
  copy_attributes(bookmark.conference, legacy);
  copy_field(bookmark.conference, kBookmarksNode, "nick", legacy);
  copy_field(bookmark.conference, kBookmarksNode, "password", legacy);
  if (const auto* extensions = bookmark.conference.child(kBookmarksNode, "extensions")) {
    for (const auto& extension : extensions->elements()) {
      legacy.append(extension);
    }
  }
  return legacy;
}

void BookmarksCompat::announce(im::ServerIq& server_iq) {
  // XEP-0402 §5.3: private storage (#compat) and the legacy PEP node (#compat-pep).
  for (std::string_view feature :
       {"urn:xmpp:bookmarks:1#compat", "urn:xmpp:bookmarks:1#compat-pep"}) {
    server_iq.add_feature(im::ServerIq::FeatureOf::account, std::string(feature));
  }
}

NodeConfig BookmarksCompat::bookmarks_config() {
  return {.access = AccessModel::whitelist, .max_items = kMaxItemsPerNode, .send_last_item = false};
}

std::vector<Bookmark> BookmarksCompat::bookmarks(const Jid& owner) const {
  std::vector<Bookmark> out;
  const auto node = pep_.nodes().node(owner.local(), kBookmarksNode);
  if (!node) {
    return out;
  }
  for (const auto& id : node->item_ids) {
    const auto* item = pep_.nodes().item(owner.local(), kBookmarksNode, id);
    const auto* conference = item == nullptr ? nullptr : item->child(kBookmarksNode, "conference");
    if (conference != nullptr) {
      out.push_back({id, *conference});
    }
  }
  return out;
}

xml::Element BookmarksCompat::on_get(const Jid& owner, const xml::Element* kept) const {
  // What private storage kept is what is not a room (URL bookmarks); the rooms are the
  // bookmarks' own.
  auto storage = kept == nullptr ? empty_legacy_storage() : *kept;
  for (const auto& bookmark : bookmarks(owner)) {
    storage.append(legacy_conference(bookmark));
  }
  return storage;
}

xml::Element BookmarksCompat::on_set(const Jid& owner, const xml::Element& element) {
  apply_legacy(owner, element);
  auto rest = element.without_elements(is_legacy_conference);
  publish_legacy_node(owner, &rest); // private storage keeps `rest` only after this returns
  return rest;
}

void BookmarksCompat::on_node_changed(const Jid& owner, std::string_view node) {
  if (node == kBookmarksNode) {
    publish_legacy_node(owner, data_.find(owner.local(), im::kPrivateKind, kLegacyKey));
    return;
  }
  if (node != kLegacyBookmarksNamespace) {
    return;
  }
  // A legacy client published its whole list (XEP-0048 §3.3). A retraction or the node's
  // deletion is not taken to mean "no bookmarks": that would lose them all.
  const auto legacy = pep_.nodes().node(owner.local(), kLegacyBookmarksNamespace);
  const auto* item =
      legacy && !legacy->item_ids.empty()
          ? pep_.nodes().item(owner.local(), kLegacyBookmarksNamespace, legacy->item_ids.back())
          : nullptr;
  const auto* storage =
      item == nullptr ? nullptr : item->child(kLegacyBookmarksNamespace, "storage");
  if (storage == nullptr) {
    return;
  }
  apply_legacy(owner, *storage);
  data_.put(owner.local(), im::kPrivateKind, kLegacyKey,
            storage->without_elements(is_legacy_conference));
}

void BookmarksCompat::apply_legacy(const Jid& owner, const xml::Element& storage) {
  const auto wanted = bookmarks_from_legacy(storage);
  const auto config = bookmarks_config();
  std::set<std::string> rooms;
  for (const auto& bookmark : wanted) {
    rooms.insert(bookmark.room);
    const auto* item = pep_.nodes().item(owner.local(), kBookmarksNode, bookmark.room);
    const auto* current = item == nullptr ? nullptr : item->child(kBookmarksNode, "conference");
    if (current != nullptr && *current == bookmark.conference) {
      continue;
    }
    xml::Element published(kPubsubNamespace, "item");
    published.set_attribute("id", bookmark.room);
    published.append(bookmark.conference);
    pep_.publish(owner, kBookmarksNode, config, published);
  }
  for (const auto& bookmark : bookmarks(owner)) {
    if (!rooms.contains(bookmark.room)) {
      pep_.retract(owner, kBookmarksNode, bookmark.room);
    }
  }
}

void BookmarksCompat::publish_legacy_node(const Jid& owner, const xml::Element* kept) {
  xml::Element item(kPubsubNamespace, "item");
  item.set_attribute("id", kLegacyBookmarksItem);
  item.append(on_get(owner, kept));
  // XEP-0048 §3.3: whitelist, so that only the owner's clients see it; the last item goes to
  // them when they come online, as legacy clients expect.
  pep_.publish(owner, kLegacyBookmarksNamespace,
               {.access = AccessModel::whitelist, .max_items = 1, .send_last_item = true}, item);
}

} // namespace starling::xmpp::pep
