// One SASL exchange on the server side (RFC 4422 §3, RFC 6120 §6.4): a step per client message.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "xmpp/sasl/condition.h"
#include "xmpp/sasl/scram_crypto.h"

namespace starling::xmpp::sasl {

// Send <challenge/> with this data and wait for the client's <response/>.
struct Challenge {
  Bytes data{};
};

// Send <success/>, with the additional data when there is any (RFC 6120 §6.4.6); the stream
// is then authenticated as `username` (the SASL authcid, SASLprep'ed).
struct Success {
  Bytes additional_data{};
  std::string username{};
};

// Send <failure><condition/></failure>. `reason` is for logs and metrics only: it may say
// "unknown user", which the client must never learn.
struct Failure {
  Condition condition = Condition::not_authorized;
  std::string_view reason; // a string literal
  // The client proved it does not know the password (an unknown user, a wrong SCRAM proof or
  // PLAIN password): what a brute-force ban counts. Protocol and channel-binding failures do
  // not: slixmpp tries -PLUS first and fails there without ever guessing.
  bool credentials_refused = false;
};

using Step = std::variant<Challenge, Success, Failure>;

class Mechanism {
public:
  Mechanism() = default;
  Mechanism(const Mechanism&) = delete;
  Mechanism& operator=(const Mechanism&) = delete;
  Mechanism(Mechanism&&) = delete;
  Mechanism& operator=(Mechanism&&) = delete;
  virtual ~Mechanism() = default;

  // The registered name, e.g. "SCRAM-SHA-256-PLUS".
  [[nodiscard]] virtual std::string_view name() const = 0;

  // The client's next message (the initial response first, when the client sent one),
  // already base64-decoded. After a Success or Failure every further step fails.
  [[nodiscard]] virtual Step step(std::span<const std::uint8_t> response) = 0;
};

} // namespace starling::xmpp::sasl
