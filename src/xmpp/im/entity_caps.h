// Entity capabilities, server side (XEP-0115 §6.2): learns what each available resource
// supports from the 'ver' in its presence, asking the client once per 'ver' and checking the
// answer against the hash, so that PEP knows who wants which notifications (XEP-0163 §4.3.3).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "xmpp/im/iq_handler.h"
#include "xmpp/im/resource_observer.h"
#include "xmpp/im/sessions.h"
#include "xmpp/jid.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::im {

using Features = std::set<std::string, std::less<>>;

// Told when an available resource's features become known or change.
class CapsListener {
public:
  CapsListener() = default;
  CapsListener(const CapsListener&) = delete;
  CapsListener& operator=(const CapsListener&) = delete;
  virtual ~CapsListener() = default;

  virtual void on_caps(Resource& resource, const Features& features) = 0;
};

// Registered with the router both as an iq handler (for the clients' answers) and as a
// resource observer (for their presence).
class EntityCaps final : public IqHandler, public ResourceObserver {
public:
  // Distinct verified 'ver's kept; clients of one release share one, so a server sees few.
  static constexpr std::size_t kMaxKnownVers = 4096;
  // Queries awaiting an answer; beyond this, new 'ver's wait for a later presence.
  static constexpr std::size_t kMaxPendingQueries = 1024;

  // `domain` is the server's, the 'from' of its queries; `sessions` must outlive this.
  EntityCaps(std::string domain, Sessions& sessions)
      : domain_(std::move(domain)), sessions_(sessions) {}

  // `listener` must outlive this object.
  void add_listener(CapsListener& listener) { listeners_.push_back(&listener); }

  // The features of an available resource, or null while they are unknown.
  [[nodiscard]] const Features* features(const Jid& full) const;

  void on_available(Resource& resource, const xml::Element& presence) override;
  void on_unavailable(const Jid& full) override;
  bool on_request(Resource& /*sender*/, const std::optional<Jid>& /*to*/,
                  const xml::Element& /*iq*/) override {
    return false;
  }
  bool on_response(Resource& sender, const xml::Element& iq) override;

private:
  struct Query {
    Jid asked;                // the resource the query went to
    std::string hash;         // "sha-1"
    std::string ver;          // as announced
    std::vector<Jid> waiting; // resources announcing the same 'ver' meanwhile, `asked` first
  };
  void ask(const Jid& full, std::string_view node, std::string hash, std::string ver);
  void tell_listeners(const std::vector<Jid>& resources, const Features& features);

  std::string domain_;
  Sessions& sessions_;
  std::vector<CapsListener*> listeners_;
  std::map<std::string, Features, std::less<>> known_; // verified 'ver' → features
  std::map<Jid, std::string> announced_;               // full JID → its 'ver'
  std::map<std::string, Query, std::less<>> pending_;  // query id → query
  std::uint64_t next_query_ = 1;
};

} // namespace starling::xmpp::im
