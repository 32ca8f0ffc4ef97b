// Private XML storage (XEP-0049, jabber:iq:private): each user keeps arbitrary namespaced
// elements on the server for their own clients, in im::UserData.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "xmpp/im/iq_handler.h"
#include "xmpp/im/roster_source.h"
#include "xmpp/im/server_iq.h"
#include "xmpp/im/user_data.h"
#include "xmpp/jid.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::im {

inline constexpr std::string_view kPrivateNamespace = "jabber:iq:private";
// UserData kind; the key is private_key() of the element.
inline constexpr std::string_view kPrivateKind = "private";

// "{namespace}name": where an element of private storage is kept in UserData.
[[nodiscard]] std::string private_key(std::string_view ns, std::string_view name);

// An element of private storage that another feature keeps in its own form, so that both
// forms show the same data: legacy bookmarks (XEP-0048 storage:bookmarks) are the PEP
// bookmarks of XEP-0402 §5.3.
class PrivateElementView {
public:
  PrivateElementView() = default;
  PrivateElementView(const PrivateElementView&) = delete;
  PrivateElementView& operator=(const PrivateElementView&) = delete;
  virtual ~PrivateElementView() = default;

  // What a get returns, given what private storage itself keeps of it (null: nothing).
  [[nodiscard]] virtual xml::Element on_get(const Jid& owner, const xml::Element* kept) const = 0;
  // A client stored `element`; the view takes what it keeps and returns the rest for private
  // storage to keep.
  virtual xml::Element on_set(const Jid& owner, const xml::Element& element) = 0;
};

class PrivateStorage final : public IqHandler {
public:
  // Both must outlive this object.
  PrivateStorage(const RosterSource& accounts, UserData& data) : accounts_(accounts), data_(data) {}

  // Elements a user keeps at most, so that a client cannot fill the store; a stanza's size
  // (256 KiB) already bounds each one.
  static constexpr std::size_t kMaxElementsPerUser = 256;

  // Adds jabber:iq:private to every account's disco#info.
  static void announce(ServerIq& server_iq);
  // From now on, the element `name` of namespace `ns` goes through `view`, which must outlive
  // this object.
  void add_view(std::string_view ns, std::string_view name, PrivateElementView& view);

  // What a get for the element (its namespace and name) returns for `owner`.
  [[nodiscard]] xml::Element element(const Jid& owner, const xml::Element& wanted) const;

  bool on_request(Resource& sender, const std::optional<Jid>& to, const xml::Element& iq) override;

private:
  xml::Element get_request(const Jid& owner, const xml::Element& iq,
                           const xml::Element& query) const;
  xml::Element set_request(const Jid& owner, const xml::Element& iq, const xml::Element& query);
  [[nodiscard]] PrivateElementView* view_of(const xml::Element& element) const;

  const RosterSource& accounts_;
  UserData& data_;
  std::map<std::pair<std::string, std::string>, PrivateElementView*, std::less<>> views_;
};

} // namespace starling::xmpp::im
