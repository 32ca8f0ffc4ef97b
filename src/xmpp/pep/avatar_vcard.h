// PEP–vCard conversion (XEP-0398): an avatar a client publishes over PEP (XEP-0084) also
// becomes the PHOTO of the user's vCard, for clients that read avatars from vCards
// (XEP-0153).
#pragma once

#include <string_view>

#include "xmpp/im/server_iq.h"
#include "xmpp/im/vcard_temp.h"
#include "xmpp/pep/pep_nodes.h"
#include "xmpp/pep/pep_service.h"

namespace starling::xmpp::pep {

inline constexpr std::string_view kAvatarMetadataNode = "urn:xmpp:avatar:metadata";
inline constexpr std::string_view kAvatarDataNode = "urn:xmpp:avatar:data";

class AvatarVcardConversion final : public NodeListener {
public:
  // Both must outlive this object.
  AvatarVcardConversion(const PepNodes& nodes, im::VcardTemp& vcards)
      : nodes_(nodes), vcards_(vcards) {}

  // Adds urn:xmpp:pep-vcard-conversion:0 to every account's disco#info (XEP-0398 §4).
  static void announce(im::ServerIq& server_iq);

  // XEP-0398 §3: new metadata (published after its data, XEP-0084 §4) sets the PHOTO;
  // metadata with no <info/> (avatar disabled, §4.2) removes it.
  void on_node_changed(const Jid& owner, std::string_view node) override;

private:
  const PepNodes& nodes_;
  im::VcardTemp& vcards_;
};

} // namespace starling::xmpp::pep
