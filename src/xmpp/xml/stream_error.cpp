// Name table of the stream error conditions, and the <stream:error/> builder.
#include "xmpp/xml/stream_error.h"

#include <array>
#include <utility>

#include "xmpp/xml/namespaces.h"

namespace starling::xmpp::xml {

namespace {

using enum StreamErrorCondition;

constexpr auto kConditions = std::to_array<std::pair<std::string_view, StreamErrorCondition>>({
    {"bad-format", bad_format},
    {"bad-namespace-prefix", bad_namespace_prefix},
    {"conflict", conflict},
    {"connection-timeout", connection_timeout},
    {"host-gone", host_gone},
    {"host-unknown", host_unknown},
    {"improper-addressing", improper_addressing},
    {"internal-server-error", internal_server_error},
    {"invalid-from", invalid_from},
    {"invalid-namespace", invalid_namespace},
    {"invalid-xml", invalid_xml},
    {"not-authorized", not_authorized},
    {"not-well-formed", not_well_formed},
    {"policy-violation", policy_violation},
    {"remote-connection-failed", remote_connection_failed},
    {"reset", reset},
    {"resource-constraint", resource_constraint},
    {"restricted-xml", restricted_xml},
    {"see-other-host", see_other_host},
    {"system-shutdown", system_shutdown},
    {"undefined-condition", undefined_condition},
    {"unsupported-encoding", unsupported_encoding},
    {"unsupported-feature", unsupported_feature},
    {"unsupported-stanza-type", unsupported_stanza_type},
    {"unsupported-version", unsupported_version},
});

} // namespace

std::string_view condition_name(StreamErrorCondition condition) {
  for (const auto& [name, c] : kConditions) {
    if (c == condition) {
      return name;
    }
  }
  return "undefined-condition";
}

std::optional<StreamErrorCondition> stream_error_condition_from_name(std::string_view name) {
  for (const auto& [n, condition] : kConditions) {
    if (n == name) {
      return condition;
    }
  }
  return std::nullopt;
}

Element build_stream_error(StreamErrorCondition condition, std::string_view text) {
  Element error(kStreamNamespace, "error");
  error.append(Element(kStreamErrorNamespace, condition_name(condition)));
  if (!text.empty()) {
    error.append(Element(kStreamErrorNamespace, "text"))
        .set_attribute(kXmlNamespace, "lang", "en")
        .append_text(text);
  }
  return error;
}

} // namespace starling::xmpp::xml
