// A router with entity capabilities and PEP over in-memory user data, for the PEP tests.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "../im/router_fixture.h"
#include "xmpp/im/caps_hash.h"
#include "xmpp/im/entity_caps.h"
#include "xmpp/im/memory_user_data.h"
#include "xmpp/im/namespaces.h"
#include "xmpp/pep/pep_service.h"
#include "xmpp/xml/serializer.h"

namespace starling::xmpp::pep {

using im::jid;
using im::stanza;

class PepFixture : public im::RouterFixture {
protected:
  PepFixture() {
    router_.add_iq_handler(caps_);
    router_.add_resource_observer(caps_);
    caps_.add_listener(pep_);
    router_.add_iq_handler(pep_);
    PepService::announce(router_.server_iq());
  }

  // The disco#info answer of a client with these features.
  static xml::Element client_disco(const std::set<std::string>& features) {
    xml::Element query(im::kDiscoInfoNamespace, "query");
    query.append(xml::Element(im::kDiscoInfoNamespace, "identity"))
        .set_attribute("category", "client")
        .set_attribute("type", "pc");
    for (const auto& feature : features) {
      query.append(xml::Element(im::kDiscoInfoNamespace, "feature")).set_attribute("var", feature);
    }
    return query;
  }
  static std::string ver_of(const std::set<std::string>& features) {
    return *im::caps_ver("sha-1", *im::caps_verification_string(client_disco(features)));
  }

  // Available with caps; answers the server's disco#info query if it asks.
  im::FakeSession& online_with_caps(std::string_view full, const std::set<std::string>& features) {
    auto& session = connect(full);
    send(session, "<presence><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' "
                  "node='https://client.example' ver='" +
                      ver_of(features) + "'/></presence>");
    answer_caps_query(session, features);
    return session;
  }
  void answer_caps_query(im::FakeSession& session, const std::set<std::string>& features) {
    for (const auto& delivered : std::vector(session.delivered)) {
      if (delivered.name() == "iq" && delivered.attribute("type") == "get") {
        xml::Element result(xml::kClientNamespace, "iq");
        result.set_attribute("type", "result")
            .set_attribute("id", *delivered.attribute("id"))
            .set_attribute("to", "pbx.example");
        auto query = client_disco(features);
        query.set_attribute("node",
                            *delivered.child(im::kDiscoInfoNamespace, "query")->attribute("node"));
        result.append(query);
        session.delivered.clear();
        send(session, xml::serialize(result));
      }
    }
  }

  im::MemoryUserData data_;
  im::EntityCaps caps_{std::string(im::kDomain), router_.sessions()};
  PepService pep_{router_.sessions(), roster_, caps_, data_, router_.server_iq()};
};

} // namespace starling::xmpp::pep
