// Parses archive queries and writes their answers (XEP-0313 with XEP-0004 and XEP-0059).
#include "xmpp/im/mam_query.h"

#include <algorithm>
#include <charconv>

#include "xmpp/date_time.h"
#include "xmpp/im/namespaces.h"
#include "xmpp/im/server_iq.h"

namespace starling::xmpp::im {

namespace {

using enum StanzaErrorCondition;

// The first <value/> of a form field (XEP-0004 §3.2), empty when it has none.
std::string field_value(const xml::Element& field) {
  const auto* value = field.child(kDataFormsNamespace, "value");
  return value == nullptr ? std::string() : value->text();
}

std::expected<void, StanzaErrorCondition> read_form(const xml::Element& form,
                                                    ArchiveFilter& filter) {
  if (form.attribute("type") != "submit") {
    return std::unexpected(bad_request);
  }
  for (const auto& field : form.children(kDataFormsNamespace, "field")) {
    const auto var = field.attribute("var").value_or("");
    const auto value = field_value(field);
    if (var == "FORM_TYPE") {
      if (value != kMamNamespace) {
        return std::unexpected(bad_request);
      }
    } else if (var == "with") {
      auto with = Jid::parse(value);
      if (!with) {
        return std::unexpected(bad_request);
      }
      filter.with = std::move(*with);
    } else if (var == "start" || var == "end") {
      auto& bound = var == "start" ? filter.start : filter.end;
      bound = parse_date_time(value);
      if (!bound) {
        return std::unexpected(bad_request);
      }
    } else {
      return std::unexpected(feature_not_implemented); // XEP-0313 §6.1
    }
  }
  return {};
}

std::expected<void, StanzaErrorCondition> read_paging(const xml::Element& set,
                                                      ArchiveFilter& filter) {
  if (const auto* max = set.child(kRsmNamespace, "max")) {
    const auto text = max->text();
    std::size_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size()) {
      return std::unexpected(bad_request);
    }
    filter.max = std::min(value, kMaxArchivePage);
  }
  if (const auto* after = set.child(kRsmNamespace, "after")) {
    filter.after = after->text();
    if (filter.after->empty()) {
      return std::unexpected(bad_request); // XEP-0059 §2.2 has no empty <after/>
    }
  }
  if (const auto* before = set.child(kRsmNamespace, "before")) {
    filter.before = before->text(); // empty: the last page (XEP-0059 §2.5)
  }
  return {};
}

xml::Element result_message(const Jid& owner, const Jid& requester, const std::string& query_id,
                            const ArchivedMessage& archived) {
  // XEP-0313 §4.2: from the archive's owner (the user's own account, so that clients trust it
  // like a carbon, or the room).
  xml::Element message(archived.message.ns(), "message");
  message.set_attribute("from", owner.to_string());
  message.set_attribute("to", requester.to_string());
  auto& result = message.append(xml::Element(kMamNamespace, "result"));
  if (!query_id.empty()) {
    result.set_attribute("queryid", query_id);
  }
  result.set_attribute("id", archived.id);
  auto& forwarded = result.append(xml::Element(kForwardNamespace, "forwarded"));
  forwarded.append(xml::Element(kDelayNamespace, "delay"))
      .set_attribute("stamp", to_date_time(archived.stored_at));
  forwarded.append(archived.message);
  return message;
}

xml::Element fin(const xml::Element& iq, const ArchivePage& page) {
  auto result = make_result(iq);
  auto& out = result.append(xml::Element(kMamNamespace, "fin"));
  if (page.complete) {
    out.set_attribute("complete", "true");
  }
  auto& set = out.append(xml::Element(kRsmNamespace, "set"));
  if (!page.messages.empty()) {
    set.append(xml::Element(kRsmNamespace, "first")).append_text(page.messages.front().id);
    set.append(xml::Element(kRsmNamespace, "last")).append_text(page.messages.back().id);
  }
  set.append(xml::Element(kRsmNamespace, "count")).append_text(std::to_string(page.count));
  return result;
}

xml::Element form_field(std::string_view type, std::string_view var) {
  xml::Element field(kDataFormsNamespace, "field");
  field.set_attribute("type", type).set_attribute("var", var);
  return field;
}

} // namespace

bool is_archive_query(const xml::Element& iq) {
  return iq.attribute("type") == "set" && iq.child(kMamNamespace, "query") != nullptr;
}

std::expected<ArchiveRequest, StanzaErrorCondition> parse_archive_query(const xml::Element& iq) {
  const auto* query = iq.child(kMamNamespace, "query");
  if (query == nullptr) {
    return std::unexpected(bad_request);
  }
  ArchiveRequest request{.query_id = std::string(query->attribute("queryid").value_or("")),
                         .filter = {.max = kDefaultArchivePage}};
  if (const auto* form = query->child(kDataFormsNamespace, "x")) {
    if (auto read = read_form(*form, request.filter); !read) {
      return std::unexpected(read.error());
    }
  }
  if (const auto* set = query->child(kRsmNamespace, "set")) {
    if (auto read = read_paging(*set, request.filter); !read) {
      return std::unexpected(read.error());
    }
  }
  return request;
}

std::vector<xml::Element> archive_query_answer(const Jid& requester, const xml::Element& iq,
                                               const std::string& query_id,
                                               const ArchiveAnswer& answer,
                                               const std::optional<Jid>& room) {
  if (!answer) {
    return {make_error_reply(iq, answer.error())};
  }
  std::vector<xml::Element> stanzas;
  stanzas.reserve(answer->messages.size() + 1);
  for (const auto& archived : answer->messages) {
    stanzas.push_back(
        result_message(room ? *room : requester.bare(), requester, query_id, archived));
  }
  stanzas.push_back(fin(iq, *answer));
  return stanzas;
}

xml::Element archive_form_result(const xml::Element& iq) {
  auto result = make_result(iq);
  auto& form = result.append(xml::Element(kMamNamespace, "query"))
                   .append(xml::Element(kDataFormsNamespace, "x"));
  form.set_attribute("type", "form");
  form.append(form_field("hidden", "FORM_TYPE"))
      .append(xml::Element(kDataFormsNamespace, "value"))
      .append_text(kMamNamespace);
  form.append(form_field("jid-single", "with"));
  form.append(form_field("text-single", "start"));
  form.append(form_field("text-single", "end"));
  return result;
}

} // namespace starling::xmpp::im
