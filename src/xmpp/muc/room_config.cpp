// The muc#roomconfig form (XEP-0045 §10.2, §15.5.3).
#include "xmpp/muc/room_config.h"

#include <array>
#include <optional>
#include <string>
#include <utility>

#include "xmpp/im/data_form.h"
#include "xmpp/im/namespaces.h"

namespace starling::xmpp::muc {

namespace {

using enum im::StanzaErrorCondition;

// A field whose value is the same for every room here (see Room).
struct FixedField {
  std::string_view var;
  std::string_view type;
  std::string_view value;
};

constexpr std::array<FixedField, 2> kFixedFields = {{
    {"muc#roomconfig_persistentroom", "boolean", "1"},
    {"muc#roomconfig_enablearchiving", "boolean", "1"}, // XEP-0313 §5
}};

// §15.5.3: whether entering takes a password, and which.
constexpr std::string_view kPasswordProtectedField = "muc#roomconfig_passwordprotectedroom";
constexpr std::string_view kPasswordField = "muc#roomconfig_roomsecret";

// §15.5.3: who may discover occupants' real JIDs.
constexpr std::string_view kWhoisField = "muc#roomconfig_whois";
constexpr std::string_view kWhoisAnyone = "anyone";
constexpr std::string_view kWhoisModerators = "moderators";

xml::Element whois_field(const RoomRecord& room) {
  auto field = im::form_field(kWhoisField, room.semi_anonymous ? kWhoisModerators : kWhoisAnyone,
                              "list-single");
  field.set_attribute("label", "Who may see occupants' addresses");
  for (const auto& [value, label] :
       {std::pair{kWhoisModerators, "Moderators only"}, std::pair{kWhoisAnyone, "Anyone"}}) {
    field.append(xml::Element(im::kDataFormsNamespace, "option"))
        .set_attribute("label", label)
        .append(xml::Element(im::kDataFormsNamespace, "value"))
        .append_text(value);
  }
  return field;
}

// A yes-or-no the owner chooses (see RoomRecord).
struct BooleanSetting {
  std::string_view var;
  std::string_view label;
  bool RoomRecord::*value;
};

constexpr std::array<BooleanSetting, 5> kBooleanSettings = {{
    {"muc#roomconfig_membersonly", "Only members may enter", &RoomRecord::members_only},
    {"muc#roomconfig_publicroom", "List the room publicly", &RoomRecord::is_public},
    {"muc#roomconfig_changesubject", "Occupants may change the subject",
     &RoomRecord::occupants_change_subject},
    {"muc#roomconfig_allowinvites", "Occupants may invite others", &RoomRecord::occupants_invite},
    {"muc#roomconfig_moderatedroom", "Only occupants with voice may speak", &RoomRecord::moderated},
}};

// A new password sets it; "not protected" removes it; protected without one is refused.
std::expected<void, im::StanzaErrorCondition> apply_password(RoomRecord& room,
                                                             const xml::Element& form) {
  if (const auto password = im::field_value(form, kPasswordField)) {
    if (password->size() > kMaxRoomTextSize) {
      return std::unexpected(not_acceptable);
    }
    room.password = *password;
  }
  if (const auto value = im::field_value(form, kPasswordProtectedField)) {
    const auto is_protected = im::parse_form_boolean(*value);
    if (!is_protected || (*is_protected && room.password.empty())) {
      return std::unexpected(not_acceptable);
    }
    if (!*is_protected) {
      room.password.clear();
    }
  }
  return {};
}

bool accepts(const FixedField& field, std::string_view value) {
  return field.type == "boolean" ? im::parse_form_boolean(value) == (field.value == "1")
                                 : value == field.value;
}

} // namespace

xml::Element room_config_form(const RoomRecord& room) {
  xml::Element form(im::kDataFormsNamespace, "x");
  form.set_attribute("type", "form");
  form.append(xml::Element(im::kDataFormsNamespace, "title"))
      .append_text("Configuration of room " + room.name);
  form.append(im::form_field("FORM_TYPE", kRoomConfigFormType, "hidden"));
  form.append(im::form_field("muc#roomconfig_roomname", room.title, "text-single"))
      .set_attribute("label", "Name");
  form.append(im::form_field("muc#roomconfig_roomdesc", room.description, "text-single"))
      .set_attribute("label", "Description");
  for (const auto& setting : kBooleanSettings) {
    form.append(im::form_field(setting.var, room.*setting.value ? "1" : "0", "boolean"))
        .set_attribute("label", setting.label);
  }
  form.append(whois_field(room));
  form.append(im::form_field(kPasswordProtectedField, room.password.empty() ? "0" : "1", "boolean"))
      .set_attribute("label", "Entering takes a password");
  form.append(im::form_field(kPasswordField, room.password, "text-private"))
      .set_attribute("label", "Password");
  for (const auto& field : kFixedFields) {
    form.append(im::form_field(field.var, field.value, field.type));
  }
  return form;
}

std::expected<RoomRecord, im::StanzaErrorCondition> apply_room_config(RoomRecord room,
                                                                      const xml::Element& form) {
  if (const auto type = im::field_value(form, "FORM_TYPE"); type && *type != kRoomConfigFormType) {
    return std::unexpected(bad_request);
  }
  for (const auto& field : kFixedFields) {
    if (const auto value = im::field_value(form, field.var); value && !accepts(field, *value)) {
      return std::unexpected(not_acceptable);
    }
  }
  for (const auto& setting : kBooleanSettings) {
    const auto value = im::field_value(form, setting.var);
    if (!value) {
      continue;
    }
    const auto chosen = im::parse_form_boolean(*value);
    if (!chosen) {
      return std::unexpected(not_acceptable);
    }
    room.*setting.value = *chosen;
  }
  if (const auto whois = im::field_value(form, kWhoisField)) {
    if (*whois != kWhoisAnyone && *whois != kWhoisModerators) {
      return std::unexpected(not_acceptable);
    }
    room.semi_anonymous = *whois == kWhoisModerators;
  }
  if (auto password = apply_password(room, form); !password) {
    return std::unexpected(password.error());
  }
  const auto title = im::field_value(form, "muc#roomconfig_roomname");
  const auto description = im::field_value(form, "muc#roomconfig_roomdesc");
  if ((title && title->size() > kMaxRoomTextSize) ||
      (description && description->size() > kMaxRoomTextSize)) {
    return std::unexpected(not_acceptable);
  }
  room.title = title.value_or(room.title);
  room.description = description.value_or(room.description);
  return room;
}

} // namespace starling::xmpp::muc
