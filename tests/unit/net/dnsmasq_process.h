// A dnsmasq child process serving test records on 127.0.0.1 and a free port, for the SIP
// locator's tests. It answers only its own records (NXDOMAIN for other names under "test").
#pragma once

#include <string>
#include <vector>

#include <sys/types.h>

namespace starling::net::testing {

class DnsmasqProcess {
public:
  // `records`: dnsmasq options such as "--srv-host=_sip._udp.provider.test,sip.provider.test,
  // 5060". Records are served with a TTL of `ttl_seconds`. Fails the test (and throws) if
  // dnsmasq does not start answering within a few seconds.
  explicit DnsmasqProcess(const std::vector<std::string>& records, int ttl_seconds = 300);
  ~DnsmasqProcess();
  DnsmasqProcess(const DnsmasqProcess&) = delete;
  DnsmasqProcess& operator=(const DnsmasqProcess&) = delete;
  DnsmasqProcess(DnsmasqProcess&&) = delete;
  DnsmasqProcess& operator=(DnsmasqProcess&&) = delete;

  // "127.0.0.1:port", as SipLocator takes it.
  [[nodiscard]] const std::string& address() const { return address_; }

  // Kills dnsmasq and waits for it; the port then refuses queries.
  void stop();

private:
  // Spawns dnsmasq on a free port; false if it did not answer there.
  bool start(const std::vector<std::string>& records, int ttl_seconds);

  pid_t pid_ = -1;
  std::string address_;
};

} // namespace starling::net::testing
