// A dnsmasq child process serving test records on 127.0.0.1 and a free port.
#include "dnsmasq_process.h"

#include <chrono>
#include <csignal>
#include <cstdint>
#include <stdexcept>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net/dns_lookup.h"

namespace starling::net::testing {
namespace {

namespace ip = boost::asio::ip;

constexpr auto kStartWait = std::chrono::seconds(5);
constexpr auto kPollWait = std::chrono::milliseconds(100);
constexpr int kPortAttempts = 20;
constexpr int kStartAttempts = 3;

// A port free for both UDP and TCP on 127.0.0.1 (dnsmasq listens on both).
std::uint16_t free_port() {
  boost::asio::io_context io;
  for (int attempt = 0; attempt < kPortAttempts; ++attempt) {
    ip::udp::socket udp(io, ip::udp::endpoint(ip::make_address("127.0.0.1"), 0));
    const auto port = udp.local_endpoint().port();
    boost::system::error_code error;
    ip::tcp::acceptor tcp(io);
    tcp.open(ip::tcp::v4(), error);
    tcp.bind(ip::tcp::endpoint(ip::make_address("127.0.0.1"), port), error);
    if (!error) {
      return port;
    }
  }
  throw std::runtime_error("no free port on 127.0.0.1");
}

} // namespace

// Another test may take the free port before dnsmasq binds it (CTest runs tests in parallel):
// then dnsmasq exits, and a new port is tried.
DnsmasqProcess::DnsmasqProcess(const std::vector<std::string>& records, int ttl_seconds) {
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    if (start(records, ttl_seconds)) {
      return;
    }
  }
  throw std::runtime_error("dnsmasq did not start answering on 127.0.0.1");
}

bool DnsmasqProcess::start(const std::vector<std::string>& records, int ttl_seconds) {
  const auto port = free_port();
  address_ = "127.0.0.1:" + std::to_string(port);
  std::vector<std::string> arguments{"/usr/sbin/dnsmasq",
                                     "--no-resolv",
                                     "--no-hosts",
                                     "--no-daemon",
                                     "--bind-interfaces",
                                     "--listen-address=127.0.0.1",
                                     "--port=" + std::to_string(port),
                                     "--conf-file=/dev/null",
                                     "--pid-file=",
                                     "--log-facility=/dev/null",
                                     "--local=/test/",
                                     "--local-ttl=" + std::to_string(ttl_seconds),
                                     "--host-record=ready.provider.test,127.0.0.1"};
  arguments.insert(arguments.end(), records.begin(), records.end());
  std::vector<char*> argv;
  argv.reserve(arguments.size() + 1);
  for (auto& argument : arguments) {
    argv.push_back(argument.data());
  }
  argv.push_back(nullptr);
  // dnsmasq greets on stderr whatever --log-facility says: keep the test output readable.
  posix_spawn_file_actions_t actions{};
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  const int error = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    pid_ = -1;
    throw std::runtime_error("cannot start /usr/sbin/dnsmasq: error " + std::to_string(error));
  }
  const auto deadline = std::chrono::steady_clock::now() + kStartWait;
  while (std::chrono::steady_clock::now() < deadline) {
    if (lookup_host("ready.provider.test", address_, kPollWait)) {
      return true;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1; // it has exited: most likely the port was taken
      return false;
    }
    std::this_thread::sleep_for(kPollWait);
  }
  stop();
  return false;
}

DnsmasqProcess::~DnsmasqProcess() {
  stop();
}

void DnsmasqProcess::stop() {
  if (pid_ <= 0) {
    return;
  }
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

} // namespace starling::net::testing
