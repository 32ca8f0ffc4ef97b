// The registration client's state machine: one event per function, RFC 3261 §10.2 at each
// transition.
#include "sip/registration/registration_client.h"

#include <algorithm>
#include <random>
#include <utility>

#include <fmt/format.h>

#include "sip/identifiers.h"
#include "sip/name_addr.h"
#include "sip/request_builder.h"
#include "sip/scalars.h"

namespace starling::sip {

namespace {

// Stale nonces and a Min-Expires raised twice are normal; more within one attempt is a
// provider going round in circles, and the attempt stops there.
constexpr unsigned kMaxChallengesPerAttempt = 3;
constexpr unsigned kMaxTooBriefPerAttempt = 2;

constexpr std::uint16_t kUnauthorized = 401;
constexpr std::uint16_t kProxyAuthenticationRequired = 407;
constexpr std::uint16_t kRequestTimeout = 408;
constexpr std::uint16_t kIntervalTooBrief = 423;
constexpr std::uint16_t kServerInternalError = 500;
constexpr std::uint16_t kServiceUnavailable = 503;

std::string describe(const Destination& destination) {
  return destination.address.find(':') == std::string::npos
             ? fmt::format("{}:{}", destination.address, destination.port)
             : fmt::format("[{}]:{}", destination.address, destination.port);
}

} // namespace

std::string_view to_string(RegistrationState state) {
  switch (state) {
  case RegistrationState::unregistered:
    return "unregistered";
  case RegistrationState::registering:
    return "registering";
  case RegistrationState::registered:
    return "registered";
  case RegistrationState::failing:
    return "failing";
  }
  return "unknown";
}

double uniform_jitter() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return std::uniform_real_distribution<double>{0.0, 1.0}(generator);
}

RegistrationClient::RegistrationClient(RegistrationServices services, RegistrationSettings settings,
                                       Observer observer)
    : signalling_(services.signalling), clock_(services.clock),
      resolve_(std::move(services.resolve)), jitter_(std::move(services.jitter)),
      settings_(std::move(settings)), observer_(std::move(observer)),
      digest_(settings_.credentials, std::move(services.cnonce)), timer_(services.timers),
      call_id_(new_call_id()), from_tag_(new_tag()), expires_(settings_.expires),
      self_(std::make_shared<RegistrationClient*>(this)) {}

RegistrationClient::~RegistrationClient() = default;

void RegistrationClient::start() {
  if (running_) {
    return;
  }
  running_ = true;
  unregistering_ = false;
  pending_.reset(); // an unregister still pending is forgotten, its answer dropped
  failures_ = 0;
  set_status({RegistrationState::registering, "", std::nullopt});
  begin_attempt();
}

void RegistrationClient::stop() {
  if (!running_) {
    return;
  }
  running_ = false;
  timer_.cancel();
  ++resolution_;
  // RFC 3261 §10.2.2: remove our binding, and only ours (not "Contact: *", which would
  // remove other devices of the same account). A REGISTER still pending may create one.
  const bool bound = status_.state == RegistrationState::registered || pending_.has_value();
  if (bound && destination_index_ < destinations_.size()) {
    unregistering_ = true;
    answering_challenge_ = false;
    send_register();
  } else {
    pending_.reset();
  }
  set_status({RegistrationState::unregistered, "", std::nullopt});
}

// A new attempt looks the registrar up again: the provider may have moved since.
void RegistrationClient::begin_attempt() {
  challenges_ = 0;
  too_brief_ = 0;
  answering_challenge_ = false;
  const std::uint64_t resolution = ++resolution_;
  resolve_([this, alive = std::weak_ptr(self_), resolution](DestinationList destinations) {
    if (alive.expired() || resolution != resolution_ || !running_) {
      return;
    }
    on_destinations(std::move(destinations));
  });
}

void RegistrationClient::on_destinations(DestinationList destinations) {
  if (!destinations) {
    fail(fmt::format("no destination for {}: {}", settings_.registrar, destinations.error()));
    return;
  }
  if (destinations->empty()) {
    fail(fmt::format("no destination for {}", settings_.registrar));
    return;
  }
  destinations_ = std::move(*destinations);
  destination_index_ = 0;
  send_register();
}

void RegistrationClient::send_register() {
  const Destination& destination = destinations_.at(destination_index_);
  contact_ = settings_.contact.empty() ? signalling_.contact(destination) : settings_.contact;
  const std::uint32_t cseq = ++cseq_; // RFC 3261 §10.2.4: one higher for each REGISTER
  RequestBuilder request("REGISTER", settings_.registrar);
  request.add_header("Via", signalling_.via(destination, new_branch()))
      .add_header("Max-Forwards", "70")
      .add_header("From", fmt::format("<{}>;tag={}", settings_.aor, from_tag_))
      .add_header("To", fmt::format("<{}>", settings_.aor))
      .add_header("Call-ID", call_id_)
      .add_header("CSeq", fmt::format("{} REGISTER", cseq))
      .add_header("Contact", contact_)
      .add_header("Expires", fmt::format("{}", unregistering_ ? 0 : expires_.count()));
  // RFC 3261 §22.3: once challenged, later requests carry credentials for the same nonce,
  // which spares a round trip per refresh while the provider still accepts the nonce.
  if (auto authorization = digest_.authorize("REGISTER", settings_.registrar)) {
    request.add_header(authorization->name(), authorization->value);
  }
  pending_ = cseq; // before sending: a transport error may be reported from inside the call
  auto sent = signalling_.send_request(
      std::move(request).finish(), destination,
      [this, alive = std::weak_ptr(self_), cseq](const ClientResponse& response) {
        if (!alive.expired()) {
          on_response(cseq, response);
        }
      });
  if (!sent && pending_ == cseq) {
    pending_.reset();
    if (unregistering_) {
      unregistering_ = false;
      return;
    }
    on_unreachable(fmt::format("REGISTER to {} not sent", describe(destination)));
  }
}

void RegistrationClient::on_response(std::uint32_t cseq, const ClientResponse& response) {
  if (pending_ != cseq || response.status_code < 200) {
    return; // provisional, or an answer to a REGISTER given up on
  }
  pending_.reset();
  if (unregistering_) {
    on_unregister_response(response);
    return;
  }
  if (!running_) {
    return;
  }
  // RFC 3261 §8.1.3.1: the transaction layer reports a timeout as 408 and a transport error
  // as 503, without a message; RFC 3263 §4.3 then has the next destination tried.
  if (response.message == nullptr) {
    const Destination& destination = destinations_.at(destination_index_);
    on_unreachable(response.status_code == kRequestTimeout
                       ? fmt::format("no answer from {}", describe(destination))
                       : fmt::format("transport error to {}", describe(destination)));
    return;
  }
  const Message& message = *response.message;
  const std::uint16_t status = response.status_code;
  if (status < 300) {
    on_success(message);
  } else if (status == kUnauthorized || status == kProxyAuthenticationRequired) {
    on_challenge(message);
  } else if (status == kIntervalTooBrief) {
    on_interval_too_brief(message);
  } else {
    // RFC 3261 §21.5.4, §21.5.1: the provider asks for patience; other failures get the
    // backoff.
    const bool overloaded = status == kServiceUnavailable || status == kServerInternalError;
    fail(fmt::format("{} {}", status, message.status_line().reason),
         overloaded ? retry_after(message) : std::nullopt);
  }
}

// RFC 3261 §10.2.4: the 2xx lists the bindings, ours with the expiry the registrar chose,
// which may be shorter than asked.
void RegistrationClient::on_success(const Message& response) {
  const auto contact = parse_contact(contact_);
  std::optional<std::uint32_t> granted;
  if (contact && !contact->wildcard) {
    granted = granted_expires(response, contact->address.uri);
  }
  const std::chrono::seconds lifetime = granted ? std::chrono::seconds{*granted} : expires_;
  if (lifetime.count() == 0) {
    fail(fmt::format("{} {} removed the binding", response.status_code(),
                     response.status_line().reason));
    return;
  }
  failures_ = 0;
  challenges_ = 0;
  too_brief_ = 0;
  answering_challenge_ = false;
  set_status({RegistrationState::registered, "", clock_.system_now() + lifetime});
  // RFC 3261 §10.2.1: refresh before the binding expires. The refresh goes to the same
  // destination: that registrar holds the binding.
  timer_.start(refresh_delay(lifetime), [this] { send_register(); });
}

// RFC 3261 §22.2: re-send once with credentials. A second challenge to credentials computed
// from a fresh challenge rejects them (RFC 7616 §3.3: unless stale=true, the username or
// password is wrong). Providers such as Kamailio and Starling mint a new nonce for every
// challenge, so that verdict does not depend on the nonce being the same.
void RegistrationClient::on_challenge(const Message& response) {
  const std::uint16_t status = response.status_code();
  const bool rejected_fresh_credentials = answering_challenge_;
  const auto choice = digest_.on_challenge(response);
  if (!choice) {
    fail(fmt::format("{} from provider: {}", status, choice.error().reason));
    return;
  }
  if (rejected_fresh_credentials && !choice->stale) {
    fail(fmt::format("{} from provider: wrong credentials", status));
    return;
  }
  if (++challenges_ > kMaxChallengesPerAttempt) {
    fail(fmt::format("{} from provider: challenged {} times in a row", status, challenges_));
    return;
  }
  answering_challenge_ = true;
  send_register();
}

// RFC 3261 §10.2.8: retry with an expiry of at least the registrar's Min-Expires.
void RegistrationClient::on_interval_too_brief(const Message& response) {
  const auto minimum = parse_delta_seconds(response.value(HeaderId::min_expires));
  if (!minimum || std::chrono::seconds{*minimum} <= expires_ ||
      ++too_brief_ > kMaxTooBriefPerAttempt) {
    fail(fmt::format("{} {} without a usable Min-Expires", kIntervalTooBrief,
                     response.status_line().reason));
    return;
  }
  expires_ = std::chrono::seconds{*minimum};
  answering_challenge_ = false; // the credentials were not in question
  send_register();
}

void RegistrationClient::on_unreachable(std::string_view what) {
  if (destination_index_ + 1 < destinations_.size()) {
    ++destination_index_;
    answering_challenge_ = false; // another server: its own nonces
    send_register();
    return;
  }
  fail(std::string(what));
}

// Only a challenge gets an answer: the client is stopping, so nothing else is retried.
void RegistrationClient::on_unregister_response(const ClientResponse& response) {
  const bool challenged =
      response.message != nullptr && (response.status_code == kUnauthorized ||
                                      response.status_code == kProxyAuthenticationRequired);
  if (challenged && !answering_challenge_ && digest_.on_challenge(*response.message)) {
    answering_challenge_ = true;
    send_register();
    return;
  }
  unregistering_ = false;
}

void RegistrationClient::fail(std::string reason, std::optional<std::chrono::seconds> retry_after) {
  // The next attempt starts without credentials: a nonce that failed is not worth reusing.
  digest_.reset();
  answering_challenge_ = false;
  std::chrono::milliseconds delay = retry_delay(settings_.retry, failures_, jitter_());
  if (retry_after) {
    // Honoured, but within max-time: a misconfigured provider must not silence a trunk
    // for days.
    delay = std::clamp<std::chrono::milliseconds>(*retry_after, std::chrono::seconds{1},
                                                  settings_.retry.max_time);
  }
  ++failures_;
  set_status({RegistrationState::failing, std::move(reason), std::nullopt});
  timer_.start(delay, [this] { begin_attempt(); });
}

void RegistrationClient::set_status(RegistrationStatus status) {
  if (status == status_) {
    return;
  }
  status_ = std::move(status);
  if (observer_) {
    observer_(status_);
  }
}

} // namespace starling::sip
