// Blocking host name lookups through the system's resolver or a configured DNS server (c-ares).
#include "net/dns_lookup.h"

#include <array>
#include <memory>
#include <type_traits>

#include <ares.h>
#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/select.h>

#include "net/host_port.h"

namespace starling::net {
namespace {

constexpr std::uint16_t kDnsPort = 53;
constexpr int kTries = 2;

struct ChannelDeleter {
  void operator()(ares_channel channel) const { ares_destroy(channel); }
};
using Channel = std::unique_ptr<std::remove_pointer_t<ares_channel>, ChannelDeleter>;

struct Outcome {
  bool done = false;
  int status = ARES_SUCCESS;
  std::vector<std::string> addresses;
};

void on_addrinfo(void* argument, int status, int /*timeouts*/, ares_addrinfo* result) {
  auto& outcome = *static_cast<Outcome*>(argument);
  outcome.done = true;
  outcome.status = status;
  if (result == nullptr) {
    return;
  }
  for (const auto* node = result->nodes; node != nullptr; node = node->ai_next) {
    std::array<char, INET6_ADDRSTRLEN> text{};
    const void* address =
        node->ai_family == AF_INET
            ? static_cast<const void*>(
                  &reinterpret_cast<const sockaddr_in*>(node->ai_addr)->sin_addr)
            : static_cast<const void*>(
                  &reinterpret_cast<const sockaddr_in6*>(node->ai_addr)->sin6_addr);
    if (inet_ntop(node->ai_family, address, text.data(), text.size()) != nullptr) {
      outcome.addresses.emplace_back(text.data());
    }
  }
  ares_freeaddrinfo(result);
}

// c-ares wants "address:port", with IPv6 addresses in brackets.
std::expected<std::string, std::string> server_csv(const std::string& dns_server) {
  auto server = parse_host_port(dns_server, kDnsPort);
  if (!server) {
    return std::unexpected(fmt::format("DNS server \"{}\": {}", dns_server, server.error()));
  }
  const bool v6 = server->host.find(':') != std::string::npos;
  return v6 ? fmt::format("[{}]:{}", server->host, server->port)
            : fmt::format("{}:{}", server->host, server->port);
}

} // namespace

std::expected<std::vector<std::string>, std::string>
lookup_host(const std::string& name, const std::string& dns_server,
            std::chrono::milliseconds timeout) {
  if (const int status = ares_library_init(ARES_LIB_INIT_ALL); status != ARES_SUCCESS) {
    return std::unexpected(fmt::format("c-ares: {}", ares_strerror(status)));
  }
  ares_options options{};
  int mask = ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES;
  options.timeout = static_cast<int>(timeout.count() / kTries);
  options.tries = kTries;
  // A configured server is asked alone: /etc/hosts would hide what the DNS says.
  std::string lookups = "b";
  if (!dns_server.empty()) {
    mask |= ARES_OPT_LOOKUPS;
    options.lookups = lookups.data();
  }
  ares_channel raw = nullptr;
  if (const int status = ares_init_options(&raw, &options, mask); status != ARES_SUCCESS) {
    return std::unexpected(fmt::format("c-ares: {}", ares_strerror(status)));
  }
  const Channel channel(raw);
  if (!dns_server.empty()) {
    auto csv = server_csv(dns_server);
    if (!csv) {
      return std::unexpected(csv.error());
    }
    if (const int status = ares_set_servers_ports_csv(channel.get(), csv->c_str());
        status != ARES_SUCCESS) {
      return std::unexpected(
          fmt::format("DNS server \"{}\": {}", dns_server, ares_strerror(status)));
    }
  }
  Outcome outcome;
  ares_addrinfo_hints hints{};
  hints.ai_family = AF_UNSPEC;
  ares_getaddrinfo(channel.get(), name.c_str(), nullptr, &hints, on_addrinfo, &outcome);
  while (!outcome.done) {
    fd_set readers;
    fd_set writers;
    FD_ZERO(&readers);
    FD_ZERO(&writers);
    const int count = ares_fds(channel.get(), &readers, &writers);
    if (count == 0) {
      break;
    }
    timeval wait{};
    timeval* limit = ares_timeout(channel.get(), nullptr, &wait);
    select(count, &readers, &writers, nullptr, limit);
    ares_process(channel.get(), &readers, &writers);
  }
  if (outcome.status != ARES_SUCCESS) {
    return std::unexpected(std::string(ares_strerror(outcome.status)));
  }
  if (outcome.addresses.empty()) {
    return std::unexpected(std::string("no address"));
  }
  return outcome.addresses;
}

} // namespace starling::net
