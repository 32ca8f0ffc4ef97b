// libFuzzer target: SASL client messages (SCRAM client-first/client-final, PLAIN) and the
// helpers they go through. Input: one configuration byte, then client messages separated by
// 0xFE (a byte that never occurs in UTF-8).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string_view>
#include <variant>
#include <vector>

#include "xmpp/sasl/base64.h"
#include "xmpp/sasl/mechanisms.h"
#include "xmpp/sasl/plain_server.h"
#include "xmpp/sasl/saslprep.h"
#include "xmpp/sasl/scram_messages.h"
#include "xmpp/sasl/scram_server.h"

namespace {

using namespace starling::xmpp::sasl;

// Knows "user"/"pencil" with the RFC 5802 (SHA-1) and RFC 7677 (SHA-256) salts, so that the
// RFC example exchanges in the seed corpus reach the success path.
class FuzzLookup final : public CredentialLookup {
public:
  FuzzLookup()
      : sha1_(make_scram_credentials(ScramHash::sha1, "pencil", *decode_base64("QSXCR+Q6sek8bf92"),
                                     4096)
                  .value()),
        sha256_(make_scram_credentials(ScramHash::sha256, "pencil",
                                       *decode_base64("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096)
                    .value()) {}

  std::expected<std::optional<ScramCredentials>, LookupError> scram(std::string_view username,
                                                                    ScramHash hash) const override {
    if (username == "unavailable") {
      return std::unexpected(LookupError::unavailable);
    }
    if (username != "user") {
      return std::optional<ScramCredentials>{};
    }
    return hash == ScramHash::sha1 ? sha1_ : sha256_;
  }
  std::expected<bool, LookupError> check_password(std::string_view username,
                                                  std::string_view password) const override {
    return username == "user" && password == "pencil";
  }

private:
  ScramCredentials sha1_;
  ScramCredentials sha256_;
};

std::vector<std::string_view> split_messages(std::string_view text) {
  std::vector<std::string_view> messages;
  while (true) {
    const std::size_t separator = text.find('\xfe');
    messages.push_back(text.substr(0, separator));
    if (separator == std::string_view::npos) {
      return messages;
    }
    text.remove_prefix(separator + 1);
  }
}

void check_helpers(std::string_view text) {
  if (auto decoded = decode_base64(text); decoded && encode_base64(*decoded) != text) {
    std::abort(); // only the canonical encoding may decode
  }
  (void)decode_sasl_data(text);
  if (auto prepared = saslprep(text); prepared && saslprep(*prepared) != prepared) {
    std::abort(); // SASLprep's mapping must be idempotent
  }
  if (auto name = unescape_saslname(text); name && escape_saslname(*name) != text) {
    std::abort();
  }
  (void)parse_client_first(text);
  (void)parse_client_final(text);
  (void)parse_plain(as_bytes(text));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const FuzzLookup lookup;
  if (size == 0) {
    return 0;
  }
  const std::uint8_t config = data[0];
  const std::string_view input{reinterpret_cast<const char*>(data + 1), size - 1};
  const auto hash = (config & 0x01U) != 0 ? ScramHash::sha256 : ScramHash::sha1;
  const bool plus = (config & 0x02U) != 0;
  StreamSecurity security{.tls = (config & 0x04U) != 0, .channel_bindings = {}};
  if ((config & 0x08U) != 0) {
    security.channel_bindings.push_back({ChannelBindingType::tls_exporter, Bytes(32, 0xab)});
    security.channel_bindings.push_back({ChannelBindingType::tls_unique, Bytes(12, 0xcd)});
  }
  const SaslSettings settings{.domain = "example.com",
                              .fake_salt_secret = Bytes(32, 0x42),
                              .scram_iterations = 4096,
                              .allow_scram_sha1 = true,
                              .allow_plain = true};
  const auto messages = split_messages(input);
  if ((config & 0x20U) != 0) {
    for (const auto message : messages) {
      check_helpers(message);
    }
  }

  std::unique_ptr<Mechanism> mechanism;
  if ((config & 0x10U) != 0) {
    mechanism = std::make_unique<PlainServer>(lookup, settings.domain);
  } else if ((config & 0x40U) != 0) {
    // Through the facade, which may refuse the mechanism for this stream.
    const Mechanisms mechanisms(lookup, settings, security);
    auto exchange = mechanisms.start(scram_mechanism_name(hash, plus), std::nullopt);
    if (!exchange.mechanism) {
      return 0;
    }
    mechanism = std::move(exchange.mechanism);
  } else {
    const std::string_view server_nonce =
        hash == ScramHash::sha1 ? "3rfcNHYJY1ZVvWVs7j" : "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    mechanism = std::make_unique<ScramServer>(hash, plus, lookup, settings, security,
                                              std::string(server_nonce));
  }
  bool finished = false;
  for (const auto message : messages) {
    const Step step = mechanism->step(as_bytes(message));
    if (finished && !std::holds_alternative<Failure>(step)) {
      std::abort(); // nothing may follow a success or failure
    }
    if (const auto* success = std::get_if<Success>(&step)) {
      if (success->username != "user") {
        std::abort(); // only the one known user can ever be authenticated
      }
    }
    finished = finished || !std::holds_alternative<Challenge>(step);
  }
  return 0;
}
