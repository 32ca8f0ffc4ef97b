// SCRAM client-first and client-final message grammar (RFC 5802 §7).
#include "xmpp/sasl/scram_messages.h"

#include <vector>

#include "xmpp/sasl/base64.h"
#include "xmpp/sasl/saslprep.h"

namespace starling::xmpp::sasl {

namespace {

std::unexpected<ScramParseError> bad(std::string_view reason) {
  return std::unexpected(ScramParseError{reason});
}

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// printable = %x21-2B / %x2D-7E: visible ASCII except ','.
bool is_printable(std::string_view text) {
  for (const char c : text) {
    if (c < 0x21 || c > 0x7E || c == ',') {
      return false;
    }
  }
  return true;
}

// cb-name = 1*(ALPHA / DIGIT / "." / "-")
bool is_cb_name(std::string_view name) {
  if (name.empty()) {
    return false;
  }
  for (const char c : name) {
    if (!is_alpha(c) && !(c >= '0' && c <= '9') && c != '.' && c != '-') {
      return false;
    }
  }
  return true;
}

// attr-val = ALPHA "=" value, for extensions that must be ignored (RFC 5802 §7).
bool is_attr_val(std::string_view field) {
  return field.size() >= 2 && is_alpha(field[0]) && field[1] == '=';
}

// The value of `field` when it is "<name>=value".
std::optional<std::string_view> value_of(std::string_view field, char name) {
  if (field.size() < 2 || field[0] != name || field[1] != '=') {
    return std::nullopt;
  }
  return field.substr(2);
}

std::vector<std::string_view> split_commas(std::string_view text) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) {
      fields.push_back(text.substr(start));
      return fields;
    }
    fields.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
}

// saslname = 1*(value-safe-char / "=2C" / "=3D"), value-safe-char excluding NUL, '=' and ','.
std::optional<std::string> parse_saslname(std::string_view text) {
  if (text.empty()) {
    return std::nullopt;
  }
  return unescape_saslname(text);
}

} // namespace

std::expected<ClientFirstMessage, ScramParseError> parse_client_first(std::string_view message) {
  if (message.size() > kMaxScramMessageLength) {
    return bad("client-first message too long");
  }
  ClientFirstMessage first;
  std::string_view rest = message;
  // gs2-header = gs2-cbind-flag "," [ authzid ] ","
  if (rest.starts_with("n,")) {
    first.cbind_flag = Gs2CbindFlag::not_supported;
    rest.remove_prefix(2);
  } else if (rest.starts_with("y,")) {
    first.cbind_flag = Gs2CbindFlag::supported_not_offered;
    rest.remove_prefix(2);
  } else if (rest.starts_with("p=")) {
    const std::size_t comma = rest.find(',');
    if (comma == std::string_view::npos || !is_cb_name(rest.substr(2, comma - 2))) {
      return bad("bad channel-binding name in gs2 header");
    }
    first.cbind_flag = Gs2CbindFlag::required;
    first.cb_name = rest.substr(2, comma - 2);
    rest.remove_prefix(comma + 1);
  } else {
    return bad("bad gs2-cbind-flag");
  }
  const std::size_t authzid_end = rest.find(',');
  if (authzid_end == std::string_view::npos) {
    return bad("gs2 header without its second comma");
  }
  if (authzid_end > 0) {
    const auto authzid = value_of(rest.substr(0, authzid_end), 'a');
    auto name = authzid ? parse_saslname(*authzid) : std::nullopt;
    if (!name) {
      return bad("bad authzid in gs2 header");
    }
    first.authzid = std::move(*name);
  }
  rest.remove_prefix(authzid_end + 1);
  first.gs2_header = message.substr(0, message.size() - rest.size());
  first.bare = rest;

  // client-first-message-bare = [reserved-mext ","] username "," nonce ["," extensions]
  const auto fields = split_commas(rest);
  if (fields[0].starts_with("m=")) {
    return bad("mandatory extension (m=) not supported"); // RFC 5802 §5.1
  }
  const auto username = value_of(fields[0], 'n');
  auto name = username ? parse_saslname(*username) : std::nullopt;
  if (!name) {
    return bad("missing or bad user name (n=)");
  }
  first.username = std::move(*name);
  const auto nonce = fields.size() > 1 ? value_of(fields[1], 'r') : std::nullopt;
  if (!nonce || nonce->empty() || nonce->size() > kMaxClientNonceLength || !is_printable(*nonce)) {
    return bad("missing or bad client nonce (r=)");
  }
  first.client_nonce = *nonce;
  for (std::size_t i = 2; i < fields.size(); ++i) {
    if (!is_attr_val(fields[i])) {
      return bad("bad extension in client-first message");
    }
  }
  return first;
}

std::expected<ClientFinalMessage, ScramParseError> parse_client_final(std::string_view message) {
  if (message.size() > kMaxScramMessageLength) {
    return bad("client-final message too long");
  }
  // client-final-message = channel-binding "," nonce ["," extensions] "," proof
  const auto fields = split_commas(message);
  if (fields.size() < 3) {
    return bad("client-final message with fewer than three attributes");
  }
  ClientFinalMessage final_message;
  const auto channel_binding = value_of(fields[0], 'c');
  auto cbind_input = channel_binding ? decode_base64(*channel_binding) : std::nullopt;
  if (!cbind_input || cbind_input->empty()) {
    return bad("missing or bad channel binding (c=)");
  }
  final_message.channel_binding = std::move(*cbind_input);
  const auto nonce = value_of(fields[1], 'r');
  if (!nonce || nonce->empty() || !is_printable(*nonce)) {
    return bad("missing or bad nonce (r=)");
  }
  final_message.nonce = *nonce;
  for (std::size_t i = 2; i + 1 < fields.size(); ++i) {
    if (!is_attr_val(fields[i])) {
      return bad("bad extension in client-final message");
    }
  }
  const auto proof = value_of(fields.back(), 'p');
  auto proof_bytes = proof ? decode_base64(*proof) : std::nullopt;
  if (!proof_bytes || proof_bytes->empty()) {
    return bad("missing or bad proof (p=)");
  }
  final_message.proof = std::move(*proof_bytes);
  // Everything before ",p=": the proof is the last attribute.
  final_message.without_proof = message.substr(0, message.size() - fields.back().size() - 1);
  return final_message;
}

} // namespace starling::xmpp::sasl
