// Lookups and edits on a parsed sip::Message.
#include "sip/message.h"

#include <fmt/format.h>

#include "sip/detail/chars.h"

namespace starling::sip {

const HeaderField* Message::find(HeaderId id) const {
  for (const HeaderField& h : headers_) {
    if (h.id == id) {
      return &h;
    }
  }
  return nullptr;
}

const HeaderField* Message::find(std::string_view name) const {
  const HeaderId id = header_id(name);
  for (const HeaderField& h : headers_) {
    if (id != HeaderId::unknown ? h.id == id : detail::iequals(h.name, name)) {
      return &h;
    }
  }
  return nullptr;
}

std::size_t Message::count(HeaderId id) const {
  std::size_t n = 0;
  for (const HeaderField& h : headers_) {
    n += h.id == id ? 1U : 0U;
  }
  return n;
}

std::string_view Message::value(HeaderId id) const {
  const HeaderField* h = find(id);
  return h != nullptr ? h->value : std::string_view{};
}

std::string_view Message::line_for(std::string_view name, std::string_view value) {
  return arena_.store({name, ": ", value, "\r\n"});
}

void Message::insert_header(std::size_t index, std::string_view name, std::string_view value) {
  const std::string_view raw = line_for(name, value);
  HeaderField field{header_id(name), raw.substr(0, name.size()),
                    raw.substr(name.size() + 2, value.size()), raw};
  index = index > headers_.size() ? headers_.size() : index;
  headers_.insert(headers_.begin() + static_cast<std::ptrdiff_t>(index), field);
  modified_ = true;
}

void Message::insert_header(std::size_t index, HeaderId id, std::string_view value) {
  insert_header(index, header_name(id), value);
}

void Message::erase_header(std::size_t index) {
  if (index < headers_.size()) {
    headers_.erase(headers_.begin() + static_cast<std::ptrdiff_t>(index));
    modified_ = true;
  }
}

void Message::set_header_value(std::size_t index, std::string_view value) {
  if (index >= headers_.size()) {
    return;
  }
  HeaderField& field = headers_[index];
  // Unknown headers keep the name as received; known ones are written in long form.
  const std::string_view name = field.id == HeaderId::unknown ? field.name : header_name(field.id);
  const std::string_view raw = line_for(name, value);
  field = HeaderField{field.id, raw.substr(0, name.size()),
                      raw.substr(name.size() + 2, value.size()), raw};
  modified_ = true;
}

void Message::set_request_uri(std::string_view uri) {
  if (!is_request_) {
    return;
  }
  start_line_ = arena_.store({request_line_.method, " ", uri, " ", request_line_.version, "\r\n"});
  request_line_.method = start_line_.substr(0, request_line_.method.size());
  request_line_.request_uri = start_line_.substr(request_line_.method.size() + 1, uri.size());
  request_line_.version = start_line_.substr(request_line_.method.size() + uri.size() + 2,
                                             request_line_.version.size());
  modified_ = true;
}

void Message::set_body(std::string_view body) {
  body_ = body.empty() ? std::string_view{} : arena_.store({body});
  const std::string length = fmt::format("{}", body.size());
  bool written = false;
  for (std::size_t i = 0; i < headers_.size(); ++i) {
    if (headers_[i].id == HeaderId::content_length) {
      set_header_value(i, length);
      written = true;
      break;
    }
  }
  if (!written) {
    insert_header(headers_.size(), HeaderId::content_length, length);
  }
  if (terminator_.empty()) {
    terminator_ = "\r\n";
  }
  modified_ = true;
}

} // namespace starling::sip
