// Avatar metadata to vCard PHOTO (XEP-0398 §3).
#include "xmpp/pep/avatar_vcard.h"

#include <string>

namespace starling::xmpp::pep {

void AvatarVcardConversion::announce(im::ServerIq& server_iq) {
  server_iq.add_feature(im::ServerIq::FeatureOf::account, "urn:xmpp:pep-vcard-conversion:0");
}

void AvatarVcardConversion::on_node_changed(const Jid& owner, std::string_view node) {
  if (node != kAvatarMetadataNode) {
    return;
  }
  const auto& user = owner.local();
  const auto metadata_node = nodes_.node(user, kAvatarMetadataNode);
  const xml::Element* last =
      metadata_node && !metadata_node->item_ids.empty()
          ? nodes_.item(user, kAvatarMetadataNode, metadata_node->item_ids.back())
          : nullptr;
  const xml::Element* metadata =
      last == nullptr ? nullptr : last->child(kAvatarMetadataNode, "metadata");
  const xml::Element* info =
      metadata == nullptr ? nullptr : metadata->child(kAvatarMetadataNode, "info");

  auto vcard = vcards_.vcard(user).without_elements(
      [](const xml::Element& child) { return child.is(im::kVcardNamespace, "PHOTO"); });
  if (info != nullptr) {
    // XEP-0084 §4.2.1: the PNG (or other) image published in the data node under the id.
    const auto* item = nodes_.item(user, kAvatarDataNode, info->attribute("id").value_or(""));
    const auto* data = item == nullptr ? nullptr : item->child(kAvatarDataNode, "data");
    if (data == nullptr) {
      return; // an avatar served from a URL only, which the vCard cannot hold
    }
    auto& photo = vcard.append(xml::Element(im::kVcardNamespace, "PHOTO"));
    photo.append(xml::Element(im::kVcardNamespace, "TYPE"))
        .append_text(info->attribute("type").value_or("image/png"));
    photo.append(xml::Element(im::kVcardNamespace, "BINVAL")).append_text(data->text());
  }
  vcards_.set_vcard(user, vcard);
}

} // namespace starling::xmpp::pep
