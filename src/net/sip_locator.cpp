// Locating SIP servers (RFC 3263 §4): NAPTR, then SRV, then A/AAAA records, on c-ares.
#include "net/sip_locator.h"

#include <algorithm>
#include <optional>
#include <utility>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <fmt/format.h>

#include "net/detail/dns_record_lookup.h"
#include "net/naptr_selection.h"

namespace starling::net {
namespace {

using detail::DnsFailure;
using detail::DnsRecords;

std::string strip_brackets(const std::string& host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    return host.substr(1, host.size() - 2);
  }
  return host;
}

std::optional<std::string> ip_literal(const std::string& host) {
  boost::system::error_code error;
  const auto address = boost::asio::ip::make_address(host, error);
  return error ? std::nullopt : std::optional(address.to_string());
}

// RFC 3263 §4.1: the URI's transport, else UDP for sip: and TCP (that is, TLS) for sips:.
std::expected<SipTransport, std::string> chosen_transport(const SipServerName& name) {
  if (!name.secure) {
    return name.transport.value_or(SipTransport::udp);
  }
  if (name.transport == SipTransport::udp) {
    return std::unexpected(fmt::format("sips:{} with transport UDP: SIPS needs TLS over TCP "
                                       "(RFC 3261 §26.2)",
                                       name.host));
  }
  return SipTransport::tls;
}

// RFC 3263 §4.2: "_sips" for TLS, "_sip" otherwise, then the transport.
std::string srv_name(SipTransport transport, const std::string& domain) {
  switch (transport) {
  case SipTransport::udp:
    return "_sip._udp." + domain;
  case SipTransport::tcp:
    return "_sip._tcp." + domain;
  case SipTransport::tls:
    break;
  }
  return "_sips._tcp." + domain;
}

// RFC 3263 §4.1 without NAPTR records: the SRV names of every transport Starling supports, in
// its own preference (secure first); for a sips: URI only TLS.
std::vector<NaptrService> srv_services_without_naptr(const std::string& domain, bool secure) {
  std::vector<NaptrService> services{{SipTransport::tls, srv_name(SipTransport::tls, domain)}};
  if (!secure) {
    services.push_back({SipTransport::tcp, srv_name(SipTransport::tcp, domain)});
    services.push_back({SipTransport::udp, srv_name(SipTransport::udp, domain)});
  }
  return services;
}

} // namespace

// One resolve(): RFC 3263 §4.1/§4.2 step by step. It is kept alive by the handlers of the
// lookups it has started; those belong to the locator's channel, so it never outlives the
// locator it refers to.
class SipLocator::Location : public std::enable_shared_from_this<SipLocator::Location> {
public:
  Location(SipLocator& locator, SipServerName name, SipLocationHandler on_done)
      : locator_(locator), name_(std::move(name)), host_(strip_brackets(name_.host)),
        on_done_(std::move(on_done)) {}

  void start();

private:
  struct SrvAnswer {
    NaptrService service;
    std::optional<DnsRecords<SrvRecord>> records; // none until it has come back
  };
  struct Candidate {
    SipTransport transport = SipTransport::udp;
    SrvRecord record;
    std::optional<DnsRecords<std::string>> addresses;
  };

  void look_up_addresses_of_host(SipTransport transport, std::uint16_t port);
  void follow_naptr();
  void look_up_srv(std::vector<NaptrService> services, SipTransport fallback);
  void on_srv_answers(SipTransport fallback);
  void look_up_srv_targets();
  void on_target_addresses();
  void finish(SipLocation result);

  SipLocator& locator_;
  SipServerName name_;
  std::string host_;
  SipLocationHandler on_done_;
  std::string nothing_found_; // the error when every step finds no records
  std::vector<SrvAnswer> srv_answers_;
  std::vector<Candidate> candidates_;
  std::size_t outstanding_ = 0;
};

void SipLocator::Location::start() {
  if (host_.empty()) {
    finish(std::unexpected(std::string("no host to locate")));
    return;
  }
  const auto transport = chosen_transport(name_);
  if (!transport) {
    finish(std::unexpected(transport.error()));
    return;
  }
  // RFC 3263 §4.1, §4.2: a numeric IP address is used as it is, on the URI's or default port.
  if (auto literal = ip_literal(host_)) {
    finish(std::vector<SipServerTarget>{
        {*transport, std::move(*literal), name_.port.value_or(default_port(*transport))}});
    return;
  }
  // §4.2: "a port is present in the URI": A/AAAA records only.
  if (name_.port) {
    nothing_found_ = fmt::format("no A/AAAA records for {}", host_);
    look_up_addresses_of_host(*transport, *name_.port);
    return;
  }
  // §4.2: a transport given explicitly: SRV for that transport only.
  if (name_.transport) {
    nothing_found_ =
        fmt::format("no SRV or A/AAAA records for {} ({})", host_, to_string(*transport));
    look_up_srv({{*transport, srv_name(*transport, host_)}}, *transport);
    return;
  }
  nothing_found_ = fmt::format("no NAPTR, SRV or A/AAAA records for {}", host_);
  follow_naptr();
}

// RFC 3263 §4.2, last step: the domain's own addresses, on the port determined before.
void SipLocator::Location::look_up_addresses_of_host(SipTransport transport, std::uint16_t port) {
  locator_.dns_->addresses(host_, [self = shared_from_this(), transport,
                                   port](DnsRecords<std::string> addresses) {
    if (!addresses) {
      const auto& why = addresses.error();
      self->finish(std::unexpected(
          why.no_records ? fmt::format("{} ({})", self->nothing_found_, why.reason) : why.reason));
      return;
    }
    std::vector<SipServerTarget> targets;
    for (auto& address : *addresses) {
      if (targets.size() < kMaxSipServerTargets) {
        targets.push_back({transport, std::move(address), port});
      }
    }
    self->finish(std::move(targets));
  });
}

// RFC 3263 §4.1: NAPTR records say which transports the domain offers, in its preference.
void SipLocator::Location::follow_naptr() {
  locator_.dns_->naptr(host_, [self = shared_from_this()](DnsRecords<NaptrRecord> records) {
    if (!records && !records.error().no_records) {
      self->finish(std::unexpected(records.error().reason));
      return;
    }
    auto services =
        records ? select_naptr_services(std::move(*records), self->name_.secure, kMaxNaptrServices)
                : std::vector<NaptrService>();
    if (!services.empty()) {
      const auto fallback = services.front().transport;
      self->look_up_srv(std::move(services), fallback);
      return;
    }
    // No NAPTR records, or none for a transport Starling supports: Starling does as if there
    // were none and asks SRV records itself (§4.1).
    self->look_up_srv(srv_services_without_naptr(self->host_, self->name_.secure),
                      self->name_.secure ? SipTransport::tls : SipTransport::udp);
  });
}

// All SRV names at once; the answers are used in the order of `services`.
void SipLocator::Location::look_up_srv(std::vector<NaptrService> services, SipTransport fallback) {
  srv_answers_.clear();
  for (auto& service : services) {
    srv_answers_.push_back({std::move(service), std::nullopt});
  }
  outstanding_ = srv_answers_.size();
  for (std::size_t i = 0; i < srv_answers_.size(); ++i) {
    locator_.dns_->srv(srv_answers_[i].service.srv_name,
                       [self = shared_from_this(), i, fallback](DnsRecords<SrvRecord> records) {
                         self->srv_answers_[i].records = std::move(records);
                         if (--self->outstanding_ == 0) {
                           self->on_srv_answers(fallback);
                         }
                       });
  }
}

void SipLocator::Location::on_srv_answers(SipTransport fallback) {
  candidates_.clear();
  std::optional<std::string> server_failure;
  bool unavailable = false;
  for (const auto& answer : srv_answers_) {
    const auto& records = *answer.records;
    if (!records) {
      if (!records.error().no_records && !server_failure) {
        server_failure = records.error().reason;
      }
      continue;
    }
    // RFC 2782: a target of "." says the service is decidedly not available there.
    unavailable = unavailable || srv_service_unavailable(*records);
    for (auto& record : order_srv_records(*records, locator_.random_)) {
      if (candidates_.size() < kMaxSipServerTargets) {
        candidates_.push_back({answer.service.transport, std::move(record), std::nullopt});
      }
    }
  }
  if (!candidates_.empty()) {
    look_up_srv_targets();
  } else if (server_failure) {
    finish(std::unexpected(std::move(*server_failure)));
  } else if (unavailable) {
    finish(std::unexpected(
        fmt::format("SIP service decidedly not available at {} (SRV target \".\")", host_)));
  } else {
    // RFC 3263 §4.2: "If no SRV records were found, the client performs an A or AAAA record
    // lookup of the domain name", on the default port of the transport determined before.
    look_up_addresses_of_host(fallback, default_port(fallback));
  }
}

// Every target's addresses, all at once; the list keeps the RFC 2782 order of the targets.
void SipLocator::Location::look_up_srv_targets() {
  outstanding_ = candidates_.size();
  for (std::size_t i = 0; i < candidates_.size(); ++i) {
    const auto& target = candidates_[i].record.target;
    auto on_addresses = [self = shared_from_this(), i](DnsRecords<std::string> addresses) {
      self->candidates_[i].addresses = std::move(addresses);
      if (--self->outstanding_ == 0) {
        self->on_target_addresses();
      }
    };
    if (auto literal = ip_literal(target)) {
      on_addresses(std::vector<std::string>{std::move(*literal)});
    } else {
      locator_.dns_->addresses(target, std::move(on_addresses));
    }
  }
}

void SipLocator::Location::on_target_addresses() {
  std::vector<SipServerTarget> targets;
  std::optional<std::string> first_failure;
  for (auto& candidate : candidates_) {
    auto& addresses = *candidate.addresses;
    if (!addresses) {
      if (!first_failure) {
        first_failure = addresses.error().no_records
                            ? fmt::format("no A/AAAA records for SRV target {} ({})",
                                          candidate.record.target, addresses.error().reason)
                            : addresses.error().reason;
      }
      continue;
    }
    for (auto& address : *addresses) {
      SipServerTarget target{candidate.transport, std::move(address), candidate.record.port};
      if (targets.size() < kMaxSipServerTargets &&
          std::find(targets.begin(), targets.end(), target) == targets.end()) {
        targets.push_back(std::move(target));
      }
    }
  }
  if (targets.empty()) {
    finish(std::unexpected(first_failure.value_or(nothing_found_)));
    return;
  }
  finish(std::move(targets));
}

// Always through the io_context, so that the handler never runs inside resolve() or inside
// c-ares's processing, and never once the locator is gone.
void SipLocator::Location::finish(SipLocation result) {
  boost::asio::post(locator_.io_,
                    [alive = std::weak_ptr<bool>(locator_.alive_), on_done = std::move(on_done_),
                     result = std::move(result)]() mutable {
                      if (!alive.expired()) {
                        on_done(std::move(result));
                      }
                    });
}

SipLocator::SipLocator(boost::asio::io_context& io, const std::string& dns_server,
                       std::chrono::milliseconds timeout, const core::Clock& clock,
                       SrvRandom random)
    : io_(io), random_(std::move(random)),
      dns_(std::make_unique<detail::DnsRecordLookup>(io, dns_server, timeout, clock)) {}

SipLocator::~SipLocator() = default;

void SipLocator::resolve(SipServerName name, SipLocationHandler on_done) {
  auto location = std::make_shared<Location>(*this, std::move(name), std::move(on_done));
  boost::asio::post(io_, [alive = std::weak_ptr<bool>(alive_), location = std::move(location)]() {
    if (!alive.expired()) {
      location->start();
    }
  });
}

} // namespace starling::net
