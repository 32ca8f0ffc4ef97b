// Doctor check: is another program already bound to a port Starling listens on?
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/udp.hpp>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "app/doctor/checks.h"
#include "net/port_plan.h"

namespace starling::app::doctor {
namespace {

namespace fs = std::filesystem;

// /proc/net/tcp states: a listening TCP socket; bound UDP sockets show as "closed".
constexpr std::string_view kTcpListen = "0A";
constexpr std::string_view kUdpBound = "07";

enum class Probe { free, in_use, not_permitted };

Probe try_bind(const std::string& address, std::uint16_t port, bool tcp) {
  boost::system::error_code invalid;
  const auto ip = boost::asio::ip::make_address(address, invalid);
  if (invalid) {
    return Probe::free; // the configuration loader accepts addresses only
  }
  // A UDP and a TCP endpoint have the same socket address; only the socket type differs.
  const boost::asio::ip::udp::endpoint endpoint(ip, port);
  const int fd = ::socket(endpoint.data()->sa_family, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
  if (fd < 0) {
    return Probe::free;
  }
  const int on = 1;
  const int off = 0;
  if (ip.is_v6()) {
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)); // as starling binds "::"
  }
  if (tcp) {
    // Connections in TIME_WAIT must not count; a listening socket still does.
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  }
  const int result = ::bind(fd, endpoint.data(), static_cast<socklen_t>(endpoint.size()));
  const int error = errno;
  ::close(fd);
  if (result == 0) {
    return Probe::free;
  }
  return error == EACCES ? Probe::not_permitted : Probe::in_use;
}

// The socket inodes bound to `port` (from /proc/net/{tcp,udp}{,6}).
std::set<std::string> socket_inodes(std::uint16_t port, bool tcp) {
  std::set<std::string> inodes;
  const std::string_view state = tcp ? kTcpListen : kUdpBound;
  for (const char* table : tcp ? std::array{"/proc/net/tcp", "/proc/net/tcp6"}
                               : std::array{"/proc/net/udp", "/proc/net/udp6"}) {
    std::ifstream file(table);
    std::string line;
    std::getline(file, line); // header
    while (std::getline(file, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, socket_state, queues, timer, retransmits, uid, timeout,
          inode;
      fields >> slot >> local >> remote >> socket_state >> queues >> timer >> retransmits >> uid >>
          timeout >> inode;
      const auto colon = local.rfind(':');
      if (colon == std::string::npos || socket_state != state) {
        continue;
      }
      if (std::stoul(local.substr(colon + 1), nullptr, 16) == port) {
        inodes.insert(inode);
      }
    }
  }
  return inodes;
}

struct Owner {
  int pid = 0;
  std::string name;
};

using SocketOwners = std::map<std::string, Owner>;

// Which process holds each socket inode, when /proc lets us see it (root sees every process).
SocketOwners socket_owners() {
  SocketOwners owners;
  std::error_code error;
  for (const auto& process : fs::directory_iterator("/proc", error)) {
    const std::string pid = process.path().filename().string();
    if (pid.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    std::ifstream comm(process.path() / "comm");
    Owner owner{std::stoi(pid), {}};
    std::getline(comm, owner.name);
    for (const auto& fd : fs::directory_iterator(process.path() / "fd", error)) {
      const auto target = fs::read_symlink(fd.path(), error).string();
      if (target.starts_with("socket:[")) {
        owners.emplace(target.substr(8, target.size() - 9), owner);
      }
    }
  }
  return owners;
}

std::optional<Owner> owner_of(const std::set<std::string>& inodes, const SocketOwners& owners) {
  for (const auto& inode : inodes) {
    if (const auto found = owners.find(inode); found != owners.end()) {
      return found->second;
    }
  }
  return std::nullopt;
}

} // namespace

std::vector<CheckResult> check_port_conflicts(const core::Config& config) {
  std::vector<CheckResult> results;
  unsigned checked = 0;
  std::set<int> starling_pids;
  std::optional<SocketOwners> owners; // read from /proc at the first port in use
  for (const auto& entry : net::port_plan(config)) {
    // The multicast group is shared by design (SO_REUSEADDR among listeners).
    if (entry.direction != net::Direction::inbound || entry.address.starts_with("224.")) {
      continue;
    }
    for (const auto& protocol : net::protocols_of(entry)) {
      const bool tcp = protocol == "tcp";
      for (unsigned port = entry.first_port; port <= entry.last_port; ++port) {
        ++checked;
        const auto probe = try_bind(entry.address, static_cast<std::uint16_t>(port), tcp);
        if (probe == Probe::free) {
          continue;
        }
        const std::string check = fmt::format("port {}/{}", port, protocol);
        if (probe == Probe::not_permitted) {
          results.push_back({CheckStatus::warn, check,
                             "not checked: binding ports below 1024 needs root",
                             "run starling doctor as root to check it"});
          continue;
        }
        if (!owners) {
          owners = socket_owners();
        }
        const auto owner = owner_of(socket_inodes(static_cast<std::uint16_t>(port), tcp), *owners);
        if (owner && owner->name == "starling") {
          starling_pids.insert(owner->pid);
          continue;
        }
        results.push_back({CheckStatus::fail, check,
                           fmt::format("{} ({}) is already bound to it",
                                       owner ? fmt::format("{} (pid {})", owner->name, owner->pid)
                                             : std::string("another process"),
                                       entry.purpose),
                           "stop that program, or move starling's port in the configuration "
                           "(starling ports lists them)"});
      }
    }
  }
  if (results.empty()) {
    results.push_back({CheckStatus::pass, "ports",
                       starling_pids.empty()
                           ? fmt::format("all {} listening ports are free", checked)
                           : fmt::format("no conflicts; starling (pid {}) holds its ports",
                                         *starling_pids.begin()),
                       ""});
  }
  return results;
}

} // namespace starling::app::doctor
