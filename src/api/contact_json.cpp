// Personal contacts as the API shows and takes them, and as vCards.
#include "api/contact_json.h"

#include <algorithm>
#include <array>
#include <utility>

#include <boost/json/array.hpp>
#include <fmt/format.h>

#include "api/directory_json.h"
#include "api/problem.h"
#include "api/request_fields.h"

namespace starling::api {

namespace {

// Generous for people, small enough that one user cannot fill the disk through one row.
constexpr std::size_t kMaxTextLength = 200;
constexpr std::size_t kMaxNotesLength = 4000;
constexpr std::size_t kMaxNumbers = 20;
constexpr std::size_t kMaxNumberLength = 64;

// The number types, and the vCard TYPE each becomes (RFC 6350 §6.4.1); "other" has none.
constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kNumberTypes{{
    {"work", "work"},
    {"home", "home"},
    {"mobile", "cell"},
    {"fax", "fax"},
    {"pager", "pager"},
    {"other", ""},
}};

struct TextMember {
  std::string_view name;
  std::size_t max_length;
  std::string store::Contact::*target;
};
constexpr std::array<TextMember, 4> kTextMembers{{
    {"name", kMaxTextLength, &store::Contact::name},
    {"company", kMaxTextLength, &store::Contact::company},
    {"email", kMaxTextLength, &store::Contact::email},
    {"notes", kMaxNotesLength, &store::Contact::notes},
}};

using Checked = std::expected<void, http::Response>;

std::unexpected<http::Response> unprocessable(const http::Request& request, std::string_view detail,
                                              std::string_view field) {
  return std::unexpected(problem(request, http::Status::unprocessable_entity, detail, field));
}

bool has_control_character(std::string_view text, bool newlines_allowed) {
  return std::ranges::any_of(text, [newlines_allowed](char c) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n' || c == '\r' || c == '\t') {
      return !newlines_allowed;
    }
    return byte < 0x20 || byte == 0x7F;
  });
}

// A text member into `target`; absent leaves it (PATCH) or empties it (`whole`).
Checked read_text(const http::Request& request, const boost::json::object& body,
                  std::string_view member, std::size_t max_length, bool whole,
                  std::string& target) {
  const auto* value = body.if_contains(member);
  const std::string field = fmt::format("/{}", member);
  if (value == nullptr) {
    if (whole) {
      target.clear();
    }
    return {};
  }
  if (!value->is_string()) {
    return unprocessable(request, fmt::format("{} must be a string", member), field);
  }
  const std::string_view text = value->as_string();
  if (text.size() > max_length) {
    return unprocessable(request, fmt::format("{} is longer than {} bytes", member, max_length),
                         field);
  }
  if (has_control_character(text, member == "notes")) {
    return unprocessable(request, fmt::format("{} holds a control character", member), field);
  }
  target = text;
  return {};
}

Checked read_number(const http::Request& request, const boost::json::value& value,
                    std::size_t index, store::ContactNumber& number) {
  const std::string field = fmt::format("/numbers/{}", index);
  if (!value.is_object()) {
    return unprocessable(request, "each number is an object with type and number", field);
  }
  const auto& object = value.as_object();
  const auto* type = object.if_contains("type");
  const auto* digits = object.if_contains("number");
  if (digits == nullptr || !digits->is_string() || digits->as_string().empty()) {
    return unprocessable(request, "number is required", field + "/number");
  }
  const std::string_view text = digits->as_string();
  if (text.size() > kMaxNumberLength || has_control_character(text, false)) {
    return unprocessable(
        request,
        fmt::format("a number has at most {} characters and no controls", kMaxNumberLength),
        field + "/number");
  }
  number.number = text;
  number.type = "other";
  if (type == nullptr) {
    return {};
  }
  const bool known = type->is_string() && std::ranges::any_of(kNumberTypes, [&](const auto& entry) {
                       return entry.first == type->as_string();
                     });
  if (!known) {
    return unprocessable(request, "type is one of work, home, mobile, fax, pager, other",
                         field + "/type");
  }
  number.type = type->as_string();
  return {};
}

Checked read_numbers(const http::Request& request, const boost::json::object& body, bool whole,
                     std::vector<store::ContactNumber>& target) {
  const auto* value = body.if_contains("numbers");
  if (value == nullptr) {
    if (whole) {
      target.clear();
    }
    return {};
  }
  if (!value->is_array() || value->as_array().size() > kMaxNumbers) {
    return unprocessable(request, fmt::format("numbers is a list of at most {}", kMaxNumbers),
                         "/numbers");
  }
  std::vector<store::ContactNumber> numbers(value->as_array().size());
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    if (auto read = read_number(request, value->as_array()[i], i, numbers[i]); !read) {
      return read;
    }
  }
  target = std::move(numbers);
  return {};
}

} // namespace

boost::json::object contact_json(const store::Contact& contact) {
  boost::json::array numbers;
  for (const auto& number : contact.numbers) {
    numbers.push_back(boost::json::object{{"type", number.type}, {"number", number.number}});
  }
  return {{"id", contact.id},
          {"name", contact.name},
          {"company", contact.company},
          {"numbers", std::move(numbers)},
          {"email", contact.email},
          {"notes", contact.notes},
          {"created_at", rfc3339(contact.created_at)},
          {"updated_at", rfc3339(contact.updated_at)}};
}

std::expected<void, http::Response> apply_contact_body(const http::Request& request,
                                                       const boost::json::object& body,
                                                       store::Contact& contact, bool whole) {
  if (auto unknown = unknown_member(
          request, body,
          {"id", "name", "company", "numbers", "email", "notes", "created_at", "updated_at"})) {
    return std::unexpected(std::move(*unknown));
  }
  // id and the times are the server's: a client may send back what it read, and they are
  // ignored.
  for (const auto& member : kTextMembers) {
    if (auto read =
            read_text(request, body, member.name, member.max_length, whole, contact.*member.target);
        !read) {
      return read;
    }
  }
  if (auto read = read_numbers(request, body, whole, contact.numbers); !read) {
    return read;
  }
  if (contact.name.empty()) {
    return unprocessable(request, "name is required", "/name");
  }
  if (!contact.email.empty() && contact.email.find('@') == std::string::npos) {
    return unprocessable(request, "email is an address such as anna@example.com", "/email");
  }
  return {};
}

VCard contact_vcard(const store::Contact& contact) {
  VCard card;
  card.uid = fmt::format("starling-contact-{}", contact.id);
  card.formatted_name = contact.name;
  std::tie(card.family_name, card.given_name) = family_and_given(contact.name);
  card.organization = contact.company;
  for (const auto& number : contact.numbers) {
    const auto type = std::ranges::find(kNumberTypes, std::string_view(number.type),
                                        &std::pair<std::string_view, std::string_view>::first);
    card.telephones.push_back(
        {type == kNumberTypes.end() ? std::string() : std::string(type->second), number.number});
  }
  card.email = contact.email;
  card.note = contact.notes;
  return card;
}

} // namespace starling::api
