// XEP-0313 Message Archive Management queries: the iq a client sends, and the result messages
// and <fin/> the server answers with.
#pragma once

#include <cstddef>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "xmpp/im/message_archive.h"
#include "xmpp/im/stanza_error.h"
#include "xmpp/jid.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::im {

// XEP-0059 §2.1 lets the server choose the page size: this many when the client asks for
// none, and at most kMaxArchivePage, so one query cannot read a whole archive into memory.
inline constexpr std::size_t kDefaultArchivePage = 50;
inline constexpr std::size_t kMaxArchivePage = 250;

struct ArchiveRequest {
  std::string query_id; // echoed in each result (XEP-0313 §4.2); may be empty
  ArchiveFilter filter;
};

// Whether `iq` is a query of an archive: a set with <query xmlns='urn:xmpp:mam:2'/>.
[[nodiscard]] bool is_archive_query(const xml::Element& iq);

// The filter and paging of an archive query (XEP-0313 §4.1, XEP-0004 form, XEP-0059 <set/>):
// bad-request for a form or <set/> that does not parse, feature-not-implemented for a form
// field this server does not filter by.
[[nodiscard]] std::expected<ArchiveRequest, StanzaErrorCondition>
parse_archive_query(const xml::Element& iq);

// XEP-0313 §4.2, §4.3: one <message/> per archived message to `requester` (the full JID that
// asked), then the iq result with <fin/>; or only the error reply when there is no page. The
// messages come from the archive's owner: `room` for a group chat room's archive (§5), else
// the requester's own account.
[[nodiscard]] std::vector<xml::Element>
archive_query_answer(const Jid& requester, const xml::Element& iq, const std::string& query_id,
                     const ArchiveAnswer& answer, const std::optional<Jid>& room = std::nullopt);

// XEP-0313 §4.1.1: the result of an iq get of the query element, listing the form's fields.
[[nodiscard]] xml::Element archive_form_result(const xml::Element& iq);

} // namespace starling::xmpp::im
