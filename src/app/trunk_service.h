// The running SIP trunks: each registration trunk's registration at its provider, DNS for
// the providers' servers, and what call control asks of them (pbx::TrunkGateway).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "core/clock.h"
#include "core/metrics.h"
#include "net/sip_locator.h"
#include "pbx/trunk_gateway.h"
#include "sip/dialog/signalling.h"
#include "sip/registration/registration_client.h"
#include "sip/transaction/timer_service.h"
#include "store/store.h"

namespace starling::app {

struct TrunkServiceSettings {
  std::string dns_server; // network.dns_server; empty: the system's resolver
  std::chrono::milliseconds dns_timeout{2000};
};

class TrunkService final : public pbx::TrunkGateway {
public:
  TrunkService(boost::asio::io_context& io, sip::Signalling& signalling, sip::TimerService& timers,
               const core::Clock& clock, store::Store& store, core::MetricsRegistry& metrics,
               const TrunkServiceSettings& settings);
  TrunkService(const TrunkService&) = delete;
  TrunkService& operator=(const TrunkService&) = delete;
  TrunkService(TrunkService&&) = delete;
  TrunkService& operator=(TrunkService&&) = delete;
  ~TrunkService() override;

  // Starts registering trunks that are new or changed, and stops those that are gone or
  // disabled; called whenever the dial plan is reloaded.
  void update(const std::vector<store::Trunk>& trunks);
  // Unregisters every trunk (Starling is stopping); true when an unregistration went out and
  // needs a moment to leave.
  bool stop();

  // pbx::TrunkGateway
  void locate(const store::Trunk& trunk, Located done) override;
  [[nodiscard]] std::optional<std::string>
  registered_trunk_at(const sip::Destination& source) const override;

private:
  struct Registration {
    store::Trunk trunk;                    // as registered, to notice changes
    std::vector<sip::Destination> servers; // where it registers, from DNS
    std::unique_ptr<sip::RegistrationClient> client;
    core::Gauge* registered = nullptr;
  };

  void start_registration(const store::Trunk& trunk);
  // The registration client's DestinationResolver: the trunk's servers from DNS.
  void locate_registrar(const std::string& trunk,
                        const std::function<void(sip::DestinationList)>& found);
  void on_status(const std::string& trunk, const sip::RegistrationStatus& status);
  void save_status(store::TrunkStatus status);

  sip::Signalling& signalling_;
  sip::TimerService& timers_;
  const core::Clock& clock_;
  store::Store& store_;
  core::MetricsRegistry& metrics_;
  net::SipLocator locator_;
  std::map<std::string, Registration, std::less<>> registrations_;
  // Trunk states go to the store off the signalling thread: a write waits for the disk.
  boost::asio::thread_pool status_writer_{1};
};

} // namespace starling::app
