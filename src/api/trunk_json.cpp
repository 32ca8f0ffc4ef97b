// SIP trunks as the API shows and takes them: the password goes in, never out.
#include "api/trunk_json.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <boost/json/array.hpp>
#include <fmt/format.h>

#include "api/directory_json.h"
#include "api/problem.h"
#include "api/request_fields.h"
#include "store/trunk_state.h"

namespace starling::api {

namespace {

// Far above any host name, account or DID, small enough that one request cannot fill a row.
constexpr std::size_t kMaxTextLength = 255;
// A trunk of a large company may bring hundreds of DIDs; more belong in ranges or patterns.
constexpr std::size_t kMaxListLength = 1000;

struct TextMember {
  std::string_view name;
  std::string store::Trunk::*target;
};
constexpr std::array<TextMember, 10> kTextMembers{{
    {"domain", &store::Trunk::domain},
    {"outbound_proxy", &store::Trunk::outbound_proxy},
    {"transport", &store::Trunk::transport},
    {"username", &store::Trunk::username},
    {"auth_username", &store::Trunk::auth_username},
    {"password", &store::Trunk::password},
    {"from_user", &store::Trunk::from_user},
    {"caller_id_format", &store::Trunk::caller_id_format},
    {"identity", &store::Trunk::identity},
    {"unknown_did", &store::Trunk::unknown_did},
}};

struct ListMember {
  std::string_view name;
  std::vector<std::string> store::Trunk::*target;
};
constexpr std::array<ListMember, 2> kListMembers{{
    {"allowed_addresses", &store::Trunk::allowed_addresses},
    {"codecs", &store::Trunk::codecs},
}};

struct CountMember {
  std::string_view name;
  std::uint32_t store::Trunk::*target;
};
constexpr std::array<CountMember, 2> kCountMembers{{
    {"expires", &store::Trunk::expires},
    {"channels", &store::Trunk::channels},
}};

using Applied = std::expected<void, http::Response>;

std::unexpected<http::Response> unprocessable(const http::Request& request, std::string_view detail,
                                              std::string_view field) {
  return std::unexpected(problem(request, http::Status::unprocessable_entity, detail, field));
}

// Text that goes into SIP headers and the store as it is.
Applied check_text(const http::Request& request, std::string_view member, std::string_view text,
                   std::string_view field) {
  if (text.size() > kMaxTextLength) {
    return unprocessable(request, fmt::format("{} is longer than {} bytes", member, kMaxTextLength),
                         field);
  }
  if (has_control_character(text)) {
    return unprocessable(request, fmt::format("{} holds a control character", member), field);
  }
  return {};
}

Applied apply_texts(const http::Request& request, const boost::json::object& body,
                    store::Trunk& trunk) {
  for (const auto& member : kTextMembers) {
    auto value = optional_string(request, body, member.name);
    if (!value) {
      return std::unexpected(std::move(value.error()));
    }
    if (!*value) {
      continue;
    }
    if (auto checked = check_text(request, member.name, **value, pointer_to(member.name));
        !checked) {
      return checked;
    }
    trunk.*member.target = std::move(**value);
  }
  return {};
}

Applied apply_lists(const http::Request& request, const boost::json::object& body,
                    store::Trunk& trunk) {
  for (const auto& member : kListMembers) {
    auto values = optional_strings(request, body, member.name);
    if (!values) {
      return std::unexpected(std::move(values.error()));
    }
    if (!*values) {
      continue;
    }
    if ((*values)->size() > kMaxListLength) {
      return unprocessable(request, fmt::format("{} lists at most {}", member.name, kMaxListLength),
                           pointer_to(member.name));
    }
    for (std::size_t i = 0; i < (*values)->size(); ++i) {
      if (auto checked = check_text(request, member.name, (**values)[i],
                                    fmt::format("/{}/{}", member.name, i));
          !checked) {
        return checked;
      }
    }
    trunk.*member.target = std::move(**values);
  }
  return {};
}

Applied apply_counts(const http::Request& request, const boost::json::object& body,
                     store::Trunk& trunk) {
  for (const auto& member : kCountMembers) {
    auto value =
        optional_integer(request, body, member.name, 0, std::numeric_limits<std::uint32_t>::max());
    if (!value) {
      return std::unexpected(std::move(value.error()));
    }
    if (*value) {
      trunk.*member.target = static_cast<std::uint32_t>(**value);
    }
  }
  return {};
}

Applied apply_kind_and_enabled(const http::Request& request, const boost::json::object& body,
                               store::Trunk& trunk) {
  auto kind = optional_string(request, body, "kind");
  auto enabled = optional_bool(request, body, "enabled");
  if (!kind || !enabled) {
    return std::unexpected(std::move(!kind ? kind.error() : enabled.error()));
  }
  if (*kind) {
    const auto parsed = store::kind_from_name(**kind);
    if (!parsed) {
      return unprocessable(request, R"(kind must be "register" or "ip")", "/kind");
    }
    trunk.kind = *parsed;
  }
  if (*enabled) {
    trunk.enabled = **enabled;
  }
  return {};
}

Applied read_number(const http::Request& request, const boost::json::value& value,
                    std::size_t index, store::TrunkNumber& number) {
  const std::string field = fmt::format("/numbers/{}", index);
  if (!value.is_object()) {
    return unprocessable(request, "each number is an object with did and target", field);
  }
  const auto& object = value.as_object();
  for (const auto& [member, target] :
       {std::pair{"did", &number.did}, std::pair{"target", &number.target}}) {
    const auto* text = object.if_contains(member);
    if (text == nullptr || !text->is_string() || text->as_string().empty()) {
      return unprocessable(request, fmt::format("{} is required", member),
                           fmt::format("{}/{}", field, member));
    }
    if (auto checked =
            check_text(request, member, text->as_string(), fmt::format("{}/{}", field, member));
        !checked) {
      return checked;
    }
    *target = text->as_string();
  }
  return {};
}

Applied apply_numbers(const http::Request& request, const boost::json::object& body,
                      store::Trunk& trunk) {
  const auto* value = body.if_contains("numbers");
  if (value == nullptr) {
    return {};
  }
  if (!value->is_array() || value->as_array().size() > kMaxListLength) {
    return unprocessable(request,
                         fmt::format("numbers is a list of at most {} objects", kMaxListLength),
                         "/numbers");
  }
  std::vector<store::TrunkNumber> numbers(value->as_array().size());
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    if (auto read = read_number(request, value->as_array()[i], i, numbers[i]); !read) {
      return read;
    }
  }
  trunk.numbers = std::move(numbers);
  return {};
}

boost::json::array string_array(const std::vector<std::string>& strings) {
  boost::json::array array;
  for (const auto& text : strings) {
    array.emplace_back(text);
  }
  return array;
}

} // namespace

boost::json::object trunk_json(const store::Trunk& trunk) {
  boost::json::array numbers;
  for (const auto& number : trunk.numbers) {
    numbers.push_back(boost::json::object{{"did", number.did}, {"target", number.target}});
  }
  return {{"name", trunk.name},
          {"kind", store::kind_name(trunk.kind)},
          {"domain", trunk.domain},
          {"outbound_proxy", trunk.outbound_proxy},
          {"transport", trunk.transport},
          {"username", trunk.username},
          {"auth_username", trunk.auth_username},
          {"password_set", !trunk.password.empty()},
          {"from_user", trunk.from_user},
          {"expires", trunk.expires},
          {"allowed_addresses", string_array(trunk.allowed_addresses)},
          {"codecs", string_array(trunk.codecs)},
          {"caller_id_format", trunk.caller_id_format},
          {"identity", trunk.identity},
          {"channels", trunk.channels},
          {"unknown_did", trunk.unknown_did},
          {"enabled", trunk.enabled},
          {"numbers", std::move(numbers)},
          {"created_at", rfc3339(trunk.created_at)}};
}

boost::json::object trunk_status_json(const store::Trunk& trunk,
                                      std::span<const store::TrunkStatus> states) {
  const auto current = store::trunk_state(trunk, states);
  const store::TrunkStatus* saved = current.saved;
  return {{"state", current.state},
          {"reason", saved != nullptr ? saved->reason : std::string()},
          {"changed_at", rfc3339(saved != nullptr ? saved->changed_at : 0)},
          {"expires_at", rfc3339(saved != nullptr ? saved->expires_at : 0)}};
}

std::expected<void, http::Response> apply_trunk_body(const http::Request& request,
                                                     const boost::json::object& body,
                                                     store::Trunk& trunk, bool with_name) {
  std::vector<std::string_view> known = {"kind", "enabled", "numbers"};
  for (const auto& member : kTextMembers) {
    known.push_back(member.name);
  }
  for (const auto& member : kListMembers) {
    known.push_back(member.name);
  }
  for (const auto& member : kCountMembers) {
    known.push_back(member.name);
  }
  if (with_name) {
    known.emplace_back("name");
  }
  if (auto unknown = unknown_member(request, body, known)) {
    return std::unexpected(std::move(*unknown));
  }
  if (with_name) {
    auto name = required_string(request, body, "name");
    if (!name) {
      return std::unexpected(std::move(name.error()));
    }
    trunk.name = std::move(*name);
  }
  for (auto* apply :
       {apply_texts, apply_lists, apply_counts, apply_kind_and_enabled, apply_numbers}) {
    if (auto applied = apply(request, body, trunk); !applied) {
      return applied;
    }
  }
  return {};
}

} // namespace starling::api
