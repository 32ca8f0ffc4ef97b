// Channel-binding data from an OpenSSL connection.
#include "xmpp/sasl/channel_binding.h"

#include <array>

#include <openssl/evp.h>
#include <openssl/ssl.h>

namespace starling::xmpp::sasl {

namespace {

bool uses_extended_master_secret(SSL* ssl) {
  // SSL_get_extms_support() is a macro around this call.
  return SSL_ctrl(ssl, SSL_CTRL_GET_EXTMS_SUPPORT, 0, nullptr) == 1;
}

std::optional<Bytes> tls_exporter(SSL* ssl) {
  Bytes data(kTlsExporterLength);
  if (SSL_export_keying_material(ssl, data.data(), data.size(), kTlsExporterLabel.data(),
                                 kTlsExporterLabel.size(), nullptr, 0, 0) != 1) {
    return std::nullopt;
  }
  return data;
}

// RFC 5929 §3.1: the first Finished message of the latest handshake. The client sends it
// first in a full handshake, the server in an abbreviated (resumed) one.
std::optional<Bytes> tls_unique(SSL* ssl) {
  const bool server = SSL_is_server(ssl) == 1;
  const bool resumed = SSL_session_reused(ssl) == 1;
  const bool own_is_first = server == resumed;
  std::array<std::uint8_t, EVP_MAX_MD_SIZE> finished{};
  const std::size_t length = own_is_first
                                 ? SSL_get_finished(ssl, finished.data(), finished.size())
                                 : SSL_get_peer_finished(ssl, finished.data(), finished.size());
  if (length == 0 || length > finished.size()) {
    return std::nullopt;
  }
  return Bytes(finished.begin(), finished.begin() + static_cast<std::ptrdiff_t>(length));
}

} // namespace

std::string_view to_string(ChannelBindingType type) {
  return type == ChannelBindingType::tls_unique ? "tls-unique" : "tls-exporter";
}

std::optional<ChannelBindingType> parse_channel_binding_type(std::string_view name) {
  if (name == "tls-exporter") {
    return ChannelBindingType::tls_exporter;
  }
  if (name == "tls-unique") {
    return ChannelBindingType::tls_unique;
  }
  return std::nullopt;
}

const ChannelBinding* find_channel_binding(const ChannelBindings& bindings,
                                           ChannelBindingType type) {
  for (const auto& binding : bindings) {
    if (binding.type == type) {
      return &binding;
    }
  }
  return nullptr;
}

ChannelBindings channel_bindings(SSL* ssl) {
  ChannelBindings bindings;
  if (ssl == nullptr || SSL_is_init_finished(ssl) != 1) {
    return bindings;
  }
  const int version = SSL_version(ssl);
  const bool tls13 = version == TLS1_3_VERSION;
  const bool tls12_ems = version == TLS1_2_VERSION && uses_extended_master_secret(ssl);
  if (!tls13 && !tls12_ems) {
    return bindings;
  }
  if (auto data = tls_exporter(ssl)) {
    bindings.push_back({ChannelBindingType::tls_exporter, std::move(*data)});
  }
  if (tls12_ems) {
    if (auto data = tls_unique(ssl)) {
      bindings.push_back({ChannelBindingType::tls_unique, std::move(*data)});
    }
  }
  return bindings;
}

std::vector<std::string_view> advertised_channel_binding_types(const ChannelBindings& bindings) {
  std::vector<std::string_view> types;
  types.reserve(bindings.size());
  for (const auto& binding : bindings) {
    types.push_back(to_string(binding.type));
  }
  return types;
}

} // namespace starling::xmpp::sasl
