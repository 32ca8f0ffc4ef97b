// Test doubles shared by the SASL tests: an in-memory credential lookup and a SCRAM client.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "xmpp/sasl/base64.h"
#include "xmpp/sasl/credential_lookup.h"
#include "xmpp/sasl/mechanism.h"
#include "xmpp/sasl/scram_crypto.h"

namespace starling::xmpp::sasl::testing {

inline std::string text_of(const Bytes& bytes) {
  return {bytes.begin(), bytes.end()};
}

// The challenge's text, or a marker that fails any comparison with real SCRAM text.
inline std::string challenge_text(const Step& step) {
  if (const auto* challenge = std::get_if<Challenge>(&step)) {
    return text_of(challenge->data);
  }
  if (const auto* failure = std::get_if<Failure>(&step)) {
    return "<failure " + std::string(to_string(failure->condition)) + ": " +
           std::string(failure->reason) + ">";
  }
  return "<success>";
}

inline std::optional<Condition> failure_of(const Step& step) {
  if (const auto* failure = std::get_if<Failure>(&step)) {
    return failure->condition;
  }
  return std::nullopt;
}

// Whether the step is a failure a brute-force ban counts (Failure::credentials_refused).
inline bool refuses_credentials(const Step& step) {
  const auto* failure = std::get_if<Failure>(&step);
  return failure != nullptr && failure->credentials_refused;
}

class TestLookup final : public CredentialLookup {
public:
  void add_user(const std::string& user, const std::string& password, const Bytes& salt,
                std::uint32_t iterations = 4096) {
    passwords_[user] = password;
    for (const auto hash : {ScramHash::sha1, ScramHash::sha256}) {
      scram_[{user, hash}] = make_scram_credentials(hash, password, salt, iterations).value();
    }
  }
  void set_state(const std::string& user, AccountState state) { states_[user] = state; }
  void set_unavailable(bool unavailable) { unavailable_ = unavailable; }
  [[nodiscard]] const std::string& last_user() const { return last_user_; }

  std::expected<std::optional<ScramCredentials>, LookupError> scram(std::string_view username,
                                                                    ScramHash hash) const override {
    last_user_ = username;
    if (unavailable_) {
      return std::unexpected(LookupError::unavailable);
    }
    const auto found = scram_.find({std::string(username), hash});
    if (found == scram_.end()) {
      return std::optional<ScramCredentials>{};
    }
    return found->second;
  }

  std::expected<bool, LookupError> check_password(std::string_view username,
                                                  std::string_view password) const override {
    last_user_ = username;
    if (unavailable_) {
      return std::unexpected(LookupError::unavailable);
    }
    const auto found = passwords_.find(std::string(username));
    return found != passwords_.end() && found->second == password;
  }

  AccountState account_state(std::string_view username) const override {
    const auto found = states_.find(std::string(username));
    return found == states_.end() ? AccountState::active : found->second;
  }

private:
  std::map<std::string, std::string> passwords_;
  std::map<std::pair<std::string, ScramHash>, ScramCredentials> scram_;
  std::map<std::string, AccountState> states_;
  bool unavailable_ = false;
  mutable std::string last_user_;
};

// The client side of RFC 5802 §3, written from the RFC rather than from the server's code.
struct ScramTestClient {
  ScramHash hash = ScramHash::sha256;
  std::string username = "user"; // as sent: already escaped
  std::string password = "pencil";
  std::string client_nonce = "rOprNGfwEbeRWgbNEkqO";
  std::string gs2_header = "n,,";
  Bytes channel_binding_data{};        // appended to the gs2 header in c=
  std::string expected_server_final{}; // set by client_final()

  [[nodiscard]] std::string client_first_bare() const {
    return "n=" + username + ",r=" + client_nonce;
  }
  [[nodiscard]] std::string client_first() const { return gs2_header + client_first_bare(); }

  std::string client_final(std::string_view server_first) {
    std::string nonce;
    Bytes salt;
    std::uint32_t iterations = 0;
    std::string_view rest = server_first;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      const std::string_view field = rest.substr(0, comma);
      if (field.starts_with("r=")) {
        nonce = field.substr(2);
      } else if (field.starts_with("s=")) {
        salt = decode_base64(field.substr(2)).value_or(Bytes{});
      } else if (field.starts_with("i=")) {
        iterations = static_cast<std::uint32_t>(std::stoul(std::string(field.substr(2))));
      }
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
    Bytes cbind_input(gs2_header.begin(), gs2_header.end());
    cbind_input.insert(cbind_input.end(), channel_binding_data.begin(), channel_binding_data.end());
    const std::string without_proof = "c=" + encode_base64(cbind_input) + ",r=" + nonce;
    const Bytes salted = scram_hi(hash, password, salt, iterations);
    Bytes client_key = scram_hmac(hash, salted, std::string_view{"Client Key"});
    const Bytes stored_key = scram_h(hash, client_key);
    const std::string auth_message =
        client_first_bare() + "," + std::string(server_first) + "," + without_proof;
    const Bytes signature = scram_hmac(hash, stored_key, auth_message);
    for (std::size_t i = 0; i < client_key.size(); ++i) {
      client_key[i] ^= signature[i];
    }
    const Bytes server_key = scram_hmac(hash, salted, std::string_view{"Server Key"});
    expected_server_final = "v=" + encode_base64(scram_hmac(hash, server_key, auth_message));
    return without_proof + ",p=" + encode_base64(client_key);
  }
};

} // namespace starling::xmpp::sasl::testing
