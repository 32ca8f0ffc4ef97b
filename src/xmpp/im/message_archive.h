// Where users' one-to-one messages are archived and looked up again (XEP-0313).
#pragma once

#include <chrono>
#include <cstddef>
#include <expected>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "xmpp/im/stanza_error.h"
#include "xmpp/jid.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::im {

// Which part of an archive a query wants (XEP-0313 §4.1.1 filters, XEP-0059 paging).
struct ArchiveFilter {
  std::optional<Jid> with{}; // the other party; compared as a bare JID
  std::optional<std::chrono::system_clock::time_point> start{};
  std::optional<std::chrono::system_clock::time_point> end{};
  // Archive ids: the page after one, or before one. An empty `before` asks for the last page.
  std::optional<std::string> after{};
  std::optional<std::string> before{};
  std::size_t max = 0;
};

struct ArchivedMessage {
  std::string id; // the archive id, which clients see as the XEP-0359 stanza-id
  std::chrono::system_clock::time_point stored_at;
  xml::Element message;
};

struct ArchivePage {
  std::vector<ArchivedMessage> messages{}; // oldest first
  bool complete = false; // the page reaches the end it was taken towards (XEP-0313 §4.3)
  std::size_t count = 0; // how many messages match the filter
};

// A page, or why there is none: item-not-found for an unknown `after` or `before`.
using ArchiveAnswer = std::expected<ArchivePage, StanzaErrorCondition>;

// Implemented by the owner over the store, which is slow, so queries answer later.
class MessageArchive {
public:
  virtual ~MessageArchive() = default;

  // Keeps `message` in the archive of `owner` (a local bare JID) as exchanged with `with`;
  // the new archive id, unique and hard to guess.
  virtual std::string add(const Jid& owner, const Jid& with, const xml::Element& message) = 0;
  // Looks up a page of `owner`'s archive and passes it to `answer` later, on the router's
  // thread, unless the router is gone by then.
  virtual void query(const Jid& owner, const ArchiveFilter& filter,
                     std::function<void(const ArchiveAnswer&)> answer) = 0;
};

} // namespace starling::xmpp::im
