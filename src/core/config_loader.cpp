// Reads starling.toml into a Config, rejecting unknown keys and bad values with their line.
#include "core/config_loader.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <functional>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include <arpa/inet.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <toml++/toml.h>

namespace starling::core {
namespace {

// A key's check-and-store step: returns an error message, or nothing when the value is taken.
using Apply = std::function<std::optional<std::string>(const toml::node&, Config&)>;

struct KeySpec {
  std::string_view key;
  Apply apply;
  // Set for listening ports, so that network.port_offset can be checked against each.
  std::function<std::uint16_t(const Config&)> listening_port;
};

std::string describe(const toml::node& node) {
  std::ostringstream out;
  node.visit([&out](const auto& value) { out << value; });
  const std::string text = out.str();
  return text.size() > 40 ? text.substr(0, 40) + "…" : text;
}

template <typename Access>
KeySpec integer_key(std::string_view key, std::int64_t min, std::int64_t max, Access access) {
  return {key,
          [=](const toml::node& node, Config& config) -> std::optional<std::string> {
            const auto value = node.value_exact<std::int64_t>();
            if (!value || *value < min || *value > max) {
              return fmt::format("expected an integer from {} to {}, got {}", min, max,
                                 describe(node));
            }
            auto& field = access(config);
            field = static_cast<std::remove_reference_t<decltype(field)>>(*value);
            return std::nullopt;
          },
          nullptr};
}

template <typename Access> KeySpec port_key(std::string_view key, Access access) {
  KeySpec spec = integer_key(key, 1, 65535, access);
  spec.listening_port = [access](const Config& config) { return access(config); };
  return spec;
}

template <typename Access> KeySpec bool_key(std::string_view key, Access access) {
  return {key,
          [=](const toml::node& node, Config& config) -> std::optional<std::string> {
            const auto value = node.value_exact<bool>();
            if (!value) {
              return fmt::format("expected true or false, got {}", describe(node));
            }
            access(config) = *value;
            return std::nullopt;
          },
          nullptr};
}

// `check` returns an error message for a string that is not acceptable.
template <typename Access, typename Check>
KeySpec string_key(std::string_view key, Access access, Check check) {
  return {key,
          [=](const toml::node& node, Config& config) -> std::optional<std::string> {
            const auto value = node.value_exact<std::string>();
            if (!value) {
              return fmt::format("expected a string, got {}", describe(node));
            }
            if (auto problem = check(*value)) {
              return problem;
            }
            access(config) = *value;
            return std::nullopt;
          },
          nullptr};
}

// A duration in whole seconds: at least one, at most a year.
template <typename Access> KeySpec seconds_key(std::string_view key, Access access) {
  return integer_key(key, 1, 31'536'000, access);
}

// A non-empty list of distinct strings, each one of `allowed`.
template <typename Access>
KeySpec choice_list_key(std::string_view key, const std::vector<std::string_view>& allowed,
                        Access access) {
  return {key,
          [=](const toml::node& node, Config& config) -> std::optional<std::string> {
            const auto* array = node.as_array();
            const auto expected = [&] {
              return fmt::format("expected a list of one or more of {}, got {}",
                                 fmt::join(allowed, ", "), describe(node));
            };
            if (array == nullptr || array->empty()) {
              return expected();
            }
            std::vector<std::string> values;
            for (const auto& element : *array) {
              const auto value = element.value_exact<std::string>();
              if (!value || std::ranges::find(allowed, *value) == allowed.end() ||
                  std::ranges::find(values, *value) != values.end()) {
                return expected();
              }
              values.push_back(*value);
            }
            access(config) = std::move(values);
            return std::nullopt;
          },
          nullptr};
}

bool is_network(const std::string& text) {
  const auto slash = text.find('/');
  if (slash == std::string::npos) {
    return false;
  }
  const std::string address = text.substr(0, slash);
  const std::string prefix = text.substr(slash + 1);
  std::array<unsigned char, 16> scratch{};
  const bool v4 = inet_pton(AF_INET, address.c_str(), scratch.data()) == 1;
  const bool v6 = !v4 && inet_pton(AF_INET6, address.c_str(), scratch.data()) == 1;
  if ((!v4 && !v6) || prefix.empty() || prefix.size() > 3 ||
      !std::ranges::all_of(prefix, [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  return std::stoi(prefix) <= (v4 ? 32 : 128);
}

std::optional<std::string> any_text(const std::string& /*value*/) {
  return std::nullopt;
}

std::optional<std::string> non_empty(const std::string& value) {
  if (value.empty()) {
    return "must not be empty";
  }
  return std::nullopt;
}

std::optional<std::string> digits_or_empty(const std::string& value) {
  if (value.size() <= 8 &&
      std::ranges::all_of(value, [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return fmt::format(R"(expected up to 8 digits such as "49", got "{}")", value);
}

std::optional<std::string> ip_address_or_empty(const std::string& value) {
  std::array<unsigned char, 16> scratch{};
  if (value.empty() || inet_pton(AF_INET, value.c_str(), scratch.data()) == 1 ||
      inet_pton(AF_INET6, value.c_str(), scratch.data()) == 1) {
    return std::nullopt;
  }
  return fmt::format(R"(expected an IPv4 or IPv6 address such as "0.0.0.0" or "::", got "{}")",
                     value);
}

std::optional<std::string> ip_address(const std::string& value) {
  if (value.empty()) {
    return R"(expected an IPv4 or IPv6 address such as "0.0.0.0" or "::")";
  }
  return ip_address_or_empty(value);
}

// A list of IP networks in CIDR notation ("10.0.0.0/8", "fd00::/8"); may be empty.
template <typename Access> KeySpec network_list_key(std::string_view key, Access access) {
  return {key,
          [=](const toml::node& node, Config& config) -> std::optional<std::string> {
            const auto* array = node.as_array();
            if (array == nullptr) {
              return fmt::format(R"(expected a list of networks such as ["10.0.0.0/8"], got {})",
                                 describe(node));
            }
            std::vector<std::string> values;
            for (const auto& element : *array) {
              const auto value = element.value_exact<std::string>();
              if (!value || !is_network(*value)) {
                return fmt::format(R"(expected networks such as "192.168.0.0/16" or )"
                                   R"("fd00::/8", got {})",
                                   describe(element));
              }
              values.push_back(*value);
            }
            access(config) = std::move(values);
            return std::nullopt;
          },
          nullptr};
}

// "host" or "host:port"; IPv6 literals in brackets when a port follows.
std::optional<std::string> host_and_port_or_empty(const std::string& value) {
  static const std::regex kHostPort(
      R"(^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+|[0-9A-Fa-f:]+)(:\d{1,5})?$)");
  if (value.empty() || std::regex_match(value, kHostPort)) {
    return std::nullopt;
  }
  return fmt::format(R"(expected "host" or "host:port" such as "stun.example.com:3478", got "{}")",
                     value);
}

// A list of strings, each checked by `check(element, value)`; may be empty. `expected` names
// the list in the message for anything but a list.
template <typename Check, typename Access>
KeySpec string_list_key(std::string_view key, std::string_view expected, Check check,
                        Access access) {
  return {key,
          [=](const toml::node& node, Config& config) -> std::optional<std::string> {
            const auto* array = node.as_array();
            if (array == nullptr) {
              return fmt::format("expected {}, got {}", expected, describe(node));
            }
            std::vector<std::string> values;
            for (const auto& element : *array) {
              const auto value = element.value_exact<std::string>();
              if (auto error = check(element, value)) {
                return error;
              }
              values.push_back(*value);
            }
            access(config) = std::move(values);
            return std::nullopt;
          },
          nullptr};
}

// A list of words without spaces, such as numbers or trunk names.
template <typename Access> KeySpec word_list_key(std::string_view key, Access access) {
  return string_list_key(
      key, R"(a list such as ["112", "110"])",
      [](const toml::node& element,
         const std::optional<std::string>& value) -> std::optional<std::string> {
        if (!value || value->empty() || value->size() > 64 ||
            value->find_first_of(" \t") != std::string::npos) {
          return fmt::format("expected words without spaces, got {}", describe(element));
        }
        return std::nullopt;
      },
      access);
}

// A list of "host" or "host:port" entries.
template <typename Access> KeySpec host_list_key(std::string_view key, Access access) {
  return string_list_key(
      key, R"(a list of hosts such as ["ntp.example.com"])",
      [](const toml::node& element,
         const std::optional<std::string>& value) -> std::optional<std::string> {
        if (!value || value->empty()) {
          return fmt::format(R"(expected "host" or "host:port", got {})", describe(element));
        }
        return host_and_port_or_empty(*value);
      },
      access);
}

std::optional<std::string> log_level(const std::string& value) {
  static constexpr std::array kLevels = {"trace", "debug",    "info", "warn",
                                         "error", "critical", "off"};
  if (std::ranges::find(kLevels, value) != kLevels.end()) {
    return std::nullopt;
  }
  return fmt::format("expected one of trace, debug, info, warn, error, critical, off, got \"{}\"",
                     value);
}

// "https://host" or "https://host:port": where clients put and get uploads (XEP-0363 asks
// for TLS); the path is Starling's own.
std::optional<std::string> https_origin_or_empty(const std::string& value) {
  static const std::regex kOrigin(R"(^https://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?/?$)");
  if (value.empty() || std::regex_match(value, kOrigin)) {
    return std::nullopt;
  }
  return fmt::format(R"(expected "https://host" or "https://host:port" without a path, got "{}")",
                     value);
}

std::optional<std::string> store_url(const std::string& value) {
  if (value.empty() || value.starts_with("sqlite:") || value.starts_with("postgresql://")) {
    return std::nullopt;
  }
  return fmt::format("expected \"sqlite:PATH\" or \"postgresql://…\", got \"{}\"", value);
}

KeySpec log_format_key() {
  return {"log.format",
          [](const toml::node& node, Config& config) -> std::optional<std::string> {
            const auto value = node.value_exact<std::string>();
            if (value == "plain" || value == "json") {
              config.log.format = *value == "json" ? LogFormat::json : LogFormat::plain;
              return std::nullopt;
            }
            return fmt::format(R"(expected "plain" or "json", got {})", describe(node));
          },
          nullptr};
}

// The schema: every accepted key, in the order docs/configuration.md lists them.
const std::vector<KeySpec>& key_specs() {
  static const std::vector<KeySpec> kSpecs = {
      string_key(
          "data_dir", [](auto& c) -> auto& { return c.data_dir; }, non_empty),
      string_key(
          "log.level", [](auto& c) -> auto& { return c.log.level; }, log_level),
      log_format_key(),
      string_key(
          "store.url", [](auto& c) -> auto& { return c.store.url; }, store_url),
      string_key(
          "network.address", [](auto& c) -> auto& { return c.network.address; }, ip_address),
      integer_key("network.port_offset", 0, 64000,
                  [](auto& c) -> auto& { return c.network.port_offset; }),
      string_key(
          "network.public_address", [](auto& c) -> auto& { return c.network.public_address; },
          ip_address_or_empty),
      network_list_key("network.local_networks",
                       [](auto& c) -> auto& { return c.network.local_networks; }),
      string_key(
          "network.stun_server", [](auto& c) -> auto& { return c.network.stun_server; },
          host_and_port_or_empty),
      host_list_key("network.ntp_servers", [](auto& c) -> auto& { return c.network.ntp_servers; }),
      string_key(
          "network.dns_server", [](auto& c) -> auto& { return c.network.dns_server; },
          host_and_port_or_empty),
      bool_key("sip.enabled", [](auto& c) -> auto& { return c.sip.enabled; }),
      string_key(
          "sip.address", [](auto& c) -> auto& { return c.sip.address; }, ip_address_or_empty),
      port_key("sip.udp_port", [](auto& c) -> auto& { return c.sip.udp_port; }),
      port_key("sip.tcp_port", [](auto& c) -> auto& { return c.sip.tcp_port; }),
      port_key("sip.tls_port", [](auto& c) -> auto& { return c.sip.tls_port; }),
      string_key(
          "sip.realm", [](auto& c) -> auto& { return c.sip.realm; }, non_empty),
      seconds_key("sip.min_expires", [](auto& c) -> auto& { return c.sip.min_expires; }),
      seconds_key("sip.max_expires", [](auto& c) -> auto& { return c.sip.max_expires; }),
      seconds_key("sip.default_expires", [](auto& c) -> auto& { return c.sip.default_expires; }),
      choice_list_key("sip.digest_algorithms", {"SHA-256", "MD5"},
                      [](auto& c) -> auto& { return c.sip.digest_algorithms; }),
      seconds_key("sip.nonce_lifetime", [](auto& c) -> auto& { return c.sip.nonce_lifetime; }),
      integer_key("sip.ban_failures", 1, 100000,
                  [](auto& c) -> auto& { return c.sip.ban_failures; }),
      seconds_key("sip.ban_window", [](auto& c) -> auto& { return c.sip.ban_window; }),
      integer_key("sip.ban_time", 0, 31'536'000, [](auto& c) -> auto& { return c.sip.ban_time; }),
      integer_key("sip.t1_ms", 10, 60'000, [](auto& c) -> auto& { return c.sip.t1_ms; }),
      integer_key("sip.t2_ms", 10, 600'000, [](auto& c) -> auto& { return c.sip.t2_ms; }),
      integer_key("sip.t4_ms", 10, 600'000, [](auto& c) -> auto& { return c.sip.t4_ms; }),
      seconds_key("sip.idle_timeout", [](auto& c) -> auto& { return c.sip.idle_timeout; }),
      integer_key("sip.udp_receive_window_us", 0, 20'000,
                  [](auto& c) -> auto& { return c.sip.udp_receive_window_us; }),
      string_key(
          "tls.certificate", [](auto& c) -> auto& { return c.tls.certificate; }, any_text),
      string_key(
          "tls.private_key", [](auto& c) -> auto& { return c.tls.private_key; }, any_text),
      string_key(
          "tls.ca_file", [](auto& c) -> auto& { return c.tls.ca_file; }, any_text),
      string_key(
          "media.address", [](auto& c) -> auto& { return c.media.address; }, ip_address_or_empty),
      port_key("media.rtp_port_min", [](auto& c) -> auto& { return c.media.rtp_port_min; }),
      port_key("media.rtp_port_max", [](auto& c) -> auto& { return c.media.rtp_port_max; }),
      integer_key("media.threads", 1, 64, [](auto& c) -> auto& { return c.media.threads; }),
      seconds_key("media.timeout", [](auto& c) -> auto& { return c.media.timeout; }),
      integer_key("media.expected_calls", 1, 1'000'000,
                  [](auto& c) -> auto& { return c.media.expected_calls; }),
      seconds_key("pbx.no_answer_timeout",
                  [](auto& c) -> auto& { return c.pbx.no_answer_timeout; }),
      integer_key("pbx.session_expires", 90, 86400,
                  [](auto& c) -> auto& { return c.pbx.session_expires; }),
      integer_key("pbx.min_session_expires", 90, 86400,
                  [](auto& c) -> auto& { return c.pbx.min_session_expires; }),
      string_key(
          "pbx.country_code", [](auto& c) -> auto& { return c.pbx.country_code; }, digits_or_empty),
      string_key(
          "pbx.area_code", [](auto& c) -> auto& { return c.pbx.area_code; }, digits_or_empty),
      string_key(
          "pbx.international_prefix", [](auto& c) -> auto& { return c.pbx.international_prefix; },
          digits_or_empty),
      string_key(
          "pbx.national_prefix", [](auto& c) -> auto& { return c.pbx.national_prefix; },
          digits_or_empty),
      word_list_key("pbx.emergency_numbers",
                    [](auto& c) -> auto& { return c.pbx.emergency_numbers; }),
      word_list_key("pbx.emergency_trunks",
                    [](auto& c) -> auto& { return c.pbx.emergency_trunks; }),
      bool_key("http.enabled", [](auto& c) -> auto& { return c.http.enabled; }),
      string_key(
          "http.address", [](auto& c) -> auto& { return c.http.address; }, ip_address_or_empty),
      port_key("http.http_port", [](auto& c) -> auto& { return c.http.http_port; }),
      port_key("http.https_port", [](auto& c) -> auto& { return c.http.https_port; }),
      seconds_key("http.session_lifetime",
                  [](auto& c) -> auto& { return c.http.session_lifetime; }),
      seconds_key("http.session_idle_timeout",
                  [](auto& c) -> auto& { return c.http.session_idle_timeout; }),
      bool_key("xmpp.enabled", [](auto& c) -> auto& { return c.xmpp.enabled; }),
      string_key(
          "xmpp.address", [](auto& c) -> auto& { return c.xmpp.address; }, ip_address_or_empty),
      string_key(
          "xmpp.domain", [](auto& c) -> auto& { return c.xmpp.domain; }, any_text),
      port_key("xmpp.starttls_port", [](auto& c) -> auto& { return c.xmpp.starttls_port; }),
      port_key("xmpp.tls_port", [](auto& c) -> auto& { return c.xmpp.tls_port; }),
      integer_key("xmpp.archive_retention_days", 0, 36500,
                  [](auto& c) -> auto& { return c.xmpp.archive_retention_days; }),
      // Up to 1 GiB: an upload is held in memory while it arrives.
      integer_key("xmpp.upload_max_size", 0, std::int64_t{1} << 30,
                  [](auto& c) -> auto& { return c.xmpp.upload_max_size; }),
      integer_key("xmpp.upload_quota", 0, std::int64_t{1} << 50,
                  [](auto& c) -> auto& { return c.xmpp.upload_quota; }),
      integer_key("xmpp.upload_retention_days", 0, 36500,
                  [](auto& c) -> auto& { return c.xmpp.upload_retention_days; }),
      string_key(
          "xmpp.upload_url", [](auto& c) -> auto& { return c.xmpp.upload_url; },
          https_origin_or_empty),
      seconds_key("xmpp.resumption_timeout",
                  [](auto& c) -> auto& { return c.xmpp.resumption_timeout; }),
      bool_key("xmpp.colleagues_roster", [](auto& c) -> auto& { return c.xmpp.colleagues_roster; }),
      integer_key("xmpp.ban_failures", 1, 100000,
                  [](auto& c) -> auto& { return c.xmpp.ban_failures; }),
      seconds_key("xmpp.ban_window", [](auto& c) -> auto& { return c.xmpp.ban_window; }),
      integer_key("xmpp.ban_time", 0, 31'536'000, [](auto& c) -> auto& { return c.xmpp.ban_time; }),
      host_list_key("xmpp.stun", [](auto& c) -> auto& { return c.xmpp.stun; }),
      host_list_key("xmpp.turn", [](auto& c) -> auto& { return c.xmpp.turn; }),
      string_key(
          "xmpp.turn_secret", [](auto& c) -> auto& { return c.xmpp.turn_secret; }, any_text),
      seconds_key("xmpp.turn_credential_lifetime",
                  [](auto& c) -> auto& { return c.xmpp.turn_credential_lifetime; }),
      bool_key("provisioning.enabled", [](auto& c) -> auto& { return c.provisioning.enabled; }),
      string_key(
          "provisioning.address", [](auto& c) -> auto& { return c.provisioning.address; },
          ip_address_or_empty),
      port_key("provisioning.http_port", [](auto& c) -> auto& { return c.provisioning.http_port; }),
      port_key("provisioning.https_port",
               [](auto& c) -> auto& { return c.provisioning.https_port; }),
      bool_key("provisioning.multicast_pnp",
               [](auto& c) -> auto& { return c.provisioning.multicast_pnp; }),
      bool_key("federation.enabled", [](auto& c) -> auto& { return c.federation.enabled; }),
      string_key(
          "federation.address", [](auto& c) -> auto& { return c.federation.address; },
          ip_address_or_empty),
      port_key("federation.port", [](auto& c) -> auto& { return c.federation.port; }),
  };
  return kSpecs;
}

const KeySpec* find_spec(std::string_view key) {
  const auto& specs = key_specs();
  const auto found = std::ranges::find(specs, key, &KeySpec::key);
  return found == specs.end() ? nullptr : &*found;
}

bool is_section(std::string_view path) {
  return std::ranges::any_of(key_specs(), [path](const KeySpec& spec) {
    return spec.key.size() > path.size() && spec.key.starts_with(path) &&
           spec.key[path.size()] == '.';
  });
}

class Loader {
public:
  explicit Loader(std::string_view source) : source_(source) {}

  void apply_table(const toml::table& table, const std::string& prefix, Config& config) {
    for (const auto& [key, node] : table) {
      const std::string path =
          prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
      const std::uint32_t line = key.source().begin.line;
      if (const auto* spec = find_spec(path)) {
        lines_[path] = line;
        if (auto problem = spec->apply(node, config)) {
          fail(line, path, *problem);
        }
      } else if (node.is_table() && is_section(path)) {
        apply_table(*node.as_table(), path, config);
      } else {
        fail(line, path, "unknown key; docs/configuration.md lists every key");
      }
    }
  }

  void check_combinations(const Config& config) {
    if (config.sip.min_expires > config.sip.max_expires) {
      fail_at("sip.max_expires",
              fmt::format("must not be below sip.min_expires ({})", config.sip.min_expires));
    }
    if (config.sip.t1_ms > config.sip.t2_ms) {
      fail_at("sip.t2_ms", fmt::format("must not be below sip.t1_ms ({})", config.sip.t1_ms));
    }
    if (config.pbx.min_session_expires > config.pbx.session_expires) {
      fail_at("pbx.session_expires", fmt::format("must not be below pbx.min_session_expires ({})",
                                                 config.pbx.min_session_expires));
    }
    if (config.media.rtp_port_min >= config.media.rtp_port_max) {
      fail_at("media.rtp_port_max",
              fmt::format("must be above media.rtp_port_min ({})", config.media.rtp_port_min));
    }
    for (const auto& spec : key_specs()) {
      if (spec.listening_port && spec.listening_port(config) + config.network.port_offset > 65535) {
        fail_at("network.port_offset", fmt::format("moves {} ({}) past port 65535", spec.key,
                                                   spec.listening_port(config)));
        return;
      }
    }
  }

  // The first error in file order, which is the one an operator fixes first.
  [[nodiscard]] std::optional<ConfigError> first_error() const {
    if (errors_.empty()) {
      return std::nullopt;
    }
    return *std::ranges::min_element(
        errors_, {}, [](const ConfigError& e) { return e.line == 0 ? UINT32_MAX : e.line; });
  }

private:
  void fail(std::uint32_t line, std::string key, std::string message) {
    errors_.push_back({std::string(source_), line, std::move(key), std::move(message)});
  }
  void fail_at(std::string_view key, std::string message) {
    const auto line = lines_.find(std::string(key));
    fail(line == lines_.end() ? 0 : line->second, std::string(key), std::move(message));
  }

  std::string_view source_;
  std::map<std::string, std::uint32_t> lines_;
  std::vector<ConfigError> errors_;
};

} // namespace

std::string ConfigError::to_string() const {
  std::string where = line == 0 ? source : fmt::format("{}:{}", source, line);
  return key.empty() ? fmt::format("{}: {}", where, message)
                     : fmt::format("{}: {}: {}", where, key, message);
}

std::expected<Config, ConfigError> parse_config(std::string_view toml_text,
                                                std::string_view source) {
  toml::table table;
  try {
    table = toml::parse(toml_text, source);
  } catch (const toml::parse_error& error) {
    return std::unexpected(ConfigError{std::string(source), error.source().begin.line, "",
                                       std::string(error.description())});
  }
  Config config;
  Loader loader(source);
  loader.apply_table(table, "", config);
  loader.check_combinations(config);
  if (auto error = loader.first_error()) {
    return std::unexpected(std::move(*error));
  }
  return config;
}

std::expected<Config, ConfigError> load_config_file(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return std::unexpected(
        ConfigError{path.string(), 0, "", "cannot read the configuration file (does it exist?)"});
  }
  std::ostringstream text;
  text << file.rdbuf();
  return parse_config(text.str(), path.string());
}

std::vector<std::string_view> config_keys() {
  std::vector<std::string_view> keys;
  for (const auto& spec : key_specs()) {
    keys.push_back(spec.key);
  }
  return keys;
}

} // namespace starling::core
