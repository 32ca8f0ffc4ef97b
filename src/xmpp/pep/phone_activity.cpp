// Publishes a user's calls as user activity (XEP-0108 over XEP-0163).
#include "xmpp/pep/phone_activity.h"

#include "xmpp/im/phone_presence.h"
#include "xmpp/pep/pubsub_namespaces.h"

namespace starling::xmpp::pep {

void publish_phone_activity(PepService& pep, const Jid& user,
                            std::optional<std::string_view> call_state) {
  // One item, replaced at each change: "current", as XEP-0163 §4.3 suggests for a state.
  xml::Element item(kPubsubNamespace, "item");
  item.set_attribute("id", "current");
  item.append(call_state ? im::talking_on_the_phone()
                         : xml::Element(im::kActivityNamespace, "activity"));
  pep.publish(user, im::kActivityNamespace, NodeConfig{}, item);
}

} // namespace starling::xmpp::pep
