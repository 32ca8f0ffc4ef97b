// What call control needs of the running trunks: where a trunk's requests go, and which
// registered trunk a request came from. app/ implements it over DNS and the trunks'
// registration clients; unit tests fake it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sip/transaction/transaction_transport.h"
#include "store/records.h"

namespace starling::pbx {

class TrunkGateway {
public:
  TrunkGateway() = default;
  TrunkGateway(const TrunkGateway&) = delete;
  TrunkGateway& operator=(const TrunkGateway&) = delete;
  TrunkGateway(TrunkGateway&&) = delete;
  TrunkGateway& operator=(TrunkGateway&&) = delete;
  virtual ~TrunkGateway() = default;

  using Located = std::function<void(std::vector<sip::Destination>)>;
  // The servers requests for `trunk` go to (its outbound proxy, else its domain), in the
  // order RFC 3263 gives; none when they cannot be found. Calls back on the signalling
  // thread, possibly before returning.
  virtual void locate(const store::Trunk& trunk, Located done) = 0;

  // The registration trunk one of whose servers `source` is: providers send calls for a
  // registered account from the servers it registered at.
  [[nodiscard]] virtual std::optional<std::string>
  registered_trunk_at(const sip::Destination& source) const = 0;
};

} // namespace starling::pbx
