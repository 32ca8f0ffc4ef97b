// The registrar (RFC 3261 §10.3): keeps the bindings of each address-of-record after the
// sender authenticated, answers REGISTER, and expires bindings that were not refreshed.
#include "sip/registrar/registrar.h"

#include <algorithm>
#include <optional>
#include <span>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "core/utc_time.h"
#include "sip/comma_list.h"
#include "sip/host.h"
#include "sip/name_addr.h"
#include "sip/parser.h"
#include "sip/response_builder.h"
#include "sip/scalars.h"

namespace starling::sip {
namespace {

// One Contact of the REGISTER, with its expiry decided.
struct RequestedContact {
  Uri uri;
  std::uint32_t expires = 0;
  std::uint16_t q = 1000;
  std::string_view instance_id;
};

// Either the contacts to apply, or the response that refuses the request.
struct ContactRequest {
  bool wildcard = false;
  std::vector<RequestedContact> contacts;
};

struct Refusal {
  std::uint16_t status;
  std::string_view reason;
  std::string extra_header; // "Name: value", or empty
};

// Adds `extra_header` ("Name: value", or empty for none) and finishes the response.
std::string finish_with(ResponseBuilder response, std::string_view extra_header) {
  if (!extra_header.empty()) {
    const auto colon = extra_header.find(':');
    response.add_header(extra_header.substr(0, colon), extra_header.substr(colon + 2));
  }
  return std::move(response).finish();
}

std::string refuse(const Message& request, const ValidatedRequest& validated,
                   const Refusal& refusal, std::string_view to_tag) {
  return finish_with(ResponseBuilder(request, validated, refusal.status, refusal.reason, to_tag),
                     refusal.extra_header);
}

// The 500 for a save that failed, made from the 200 that was ready for it: that holds the
// request's Vias, From, To (with the tag), Call-ID and CSeq, all that a response copies.
// Failures are rare, so it is not built for every registration in case one happens. The
// 200 is Starling's own and parses; were it not to, no answer beats a malformed one.
std::optional<std::string> server_error_instead_of(const std::string& ok_response) {
  const auto ok = parse_message(ok_response);
  if (!ok) {
    return std::nullopt;
  }
  return finish_with(ResponseBuilder(*ok, 500, "Server Internal Error", ""), "Retry-After: 5");
}

// RFC 3261 §10.3 step 6: expiry from the Contact's parameter, else the Expires header,
// else the local default; too short is refused (423), too long is shortened.
std::expected<std::uint32_t, Refusal> decide_expiry(const Contact& contact,
                                                    std::optional<std::uint32_t> header_expires,
                                                    const RegistrarSettings& settings) {
  const auto asked = contact.expires().has_value() ? contact.expires() : header_expires;
  const auto seconds = asked.value_or(static_cast<std::uint32_t>(settings.default_expires.count()));
  const auto minimum = static_cast<std::uint32_t>(settings.min_expires.count());
  if (seconds != 0 && seconds < minimum) {
    return std::unexpected(
        Refusal{423, "Interval Too Brief", fmt::format("Min-Expires: {}", minimum)});
  }
  return std::min(seconds, static_cast<std::uint32_t>(settings.max_expires.count()));
}

std::expected<ContactRequest, Refusal> read_contacts(const Message& request,
                                                     const RegistrarSettings& settings) {
  std::optional<std::uint32_t> header_expires;
  if (const auto* expires = request.find(HeaderId::expires)) {
    auto parsed = parse_delta_seconds(expires->value);
    if (!parsed) {
      return std::unexpected(Refusal{400, "Invalid Expires header", ""});
    }
    header_expires = *parsed;
  }
  ContactRequest result;
  for (const auto& header : request.headers()) {
    if (header.id != HeaderId::contact) {
      continue;
    }
    for (const auto value : CommaList(header.value)) {
      auto contact = parse_contact(value);
      if (!contact) {
        return std::unexpected(Refusal{400, "Invalid Contact header", ""});
      }
      if (contact->wildcard) {
        result.wildcard = true;
        continue;
      }
      auto expiry = decide_expiry(*contact, header_expires, settings);
      if (!expiry) {
        return std::unexpected(expiry.error());
      }
      result.contacts.push_back({contact->address.uri, *expiry, contact->q().value_or(1000),
                                 contact->address.params.value_of("+sip.instance")});
    }
  }
  // RFC 3261 §10.3 step 6: "*" only alone and only with Expires: 0.
  if (result.wildcard && (!result.contacts.empty() || header_expires != 0U)) {
    return std::unexpected(Refusal{400, "Invalid wildcard Contact", ""});
  }
  return result;
}

std::string join_path(const Message& request) {
  std::string path;
  for (const auto& header : request.headers()) {
    if (header.id == HeaderId::path) {
      path += (path.empty() ? "" : ",") + std::string(header.value);
    }
  }
  return path;
}

bool supports(const Message& request, std::string_view option) {
  for (const auto& header : request.headers()) {
    if (header.id == HeaderId::supported) {
      for (const auto tag : CommaList(header.value)) {
        if (tag == option) {
          return true;
        }
      }
    }
  }
  return false;
}

RegistrationEvent event_of(RegistrationEvent::Kind kind, const store::Binding& binding,
                           std::uint32_t expires_in) {
  return {kind,
          binding.aor,
          binding.contact,
          binding.transport,
          host_port(binding.source_address, binding.source_port),
          expires_in,
          binding.user_agent};
}

// What a REGISTER changes, as RFC 3261 §10.3 steps 6–7 read it.
struct BindingUpdate {
  std::vector<store::Binding> bindings; // the AOR's complete set afterwards
  std::vector<RegistrationEvent> changes;
};

// The request's facts every new binding is made of.
struct RegisterContext {
  const Message& request;
  const ValidatedRequest& validated;
  const RegistrationSource& source;
  const std::string& aor;
  std::int64_t now;
  std::string path; // the request's Path values, shared by all its bindings
};

// RFC 3261 §10.3 step 7: a retransmitted or reordered request must not roll back a binding.
bool is_out_of_order(const store::Binding& binding, const ValidatedRequest& validated) {
  return binding.call_id == validated.call_id && binding.cseq >= validated.cseq.number;
}

const Refusal kOutOfOrder{500, "Out of Order Request", "Retry-After: 1"};

std::vector<store::Binding> records_of(std::string_view aor,
                                       std::span<const CompactBinding> bindings) {
  std::vector<store::Binding> records;
  records.reserve(bindings.size());
  for (const auto& binding : bindings) {
    records.push_back(binding.record(aor));
  }
  return records;
}

store::Binding new_binding(const RequestedContact& contact, const RegisterContext& context) {
  return {.aor = context.aor,
          .contact = std::string(contact.uri.text),
          .call_id = std::string(context.validated.call_id),
          .transport = context.source.transport,
          .source_address = context.source.address,
          .local_address = context.source.local_address,
          .path = context.path,
          .instance_id = std::string(contact.instance_id),
          .user_agent = std::string(context.request.value(HeaderId::user_agent)),
          .expires_at = context.now + contact.expires,
          .cseq = context.validated.cseq.number,
          .q = contact.q,
          .source_port = context.source.port,
          .local_port = context.source.local_port};
}

// Applies one Contact: refresh, add, or (expires 0) remove its binding.
std::expected<void, Refusal> apply_contact(BindingUpdate& update, const RequestedContact& contact,
                                           const RegisterContext& context) {
  auto& bindings = update.bindings;
  auto existing = std::ranges::find_if(bindings, [&contact](const store::Binding& binding) {
    // A refresh usually repeats its Contact byte for byte, and a URI equals itself: the
    // stored one is parsed only when the texts differ.
    if (binding.contact == contact.uri.text) {
      return true;
    }
    const auto uri = parse_uri(binding.contact);
    return uri && uri_equivalent(*uri, contact.uri);
  });
  if (existing != bindings.end() && is_out_of_order(*existing, context.validated)) {
    return std::unexpected(kOutOfOrder);
  }
  if (contact.expires == 0) {
    if (existing != bindings.end()) {
      update.changes.push_back(event_of(RegistrationEvent::Kind::removed, *existing, 0));
      bindings.erase(existing);
    }
    return {};
  }
  store::Binding binding = new_binding(contact, context);
  const bool added = existing == bindings.end();
  update.changes.push_back(
      event_of(added ? RegistrationEvent::Kind::added : RegistrationEvent::Kind::refreshed, binding,
               contact.expires));
  if (added) {
    bindings.push_back(std::move(binding));
  } else {
    *existing = std::move(binding);
  }
  return {};
}

std::expected<BindingUpdate, Refusal> apply_contacts(BindingUpdate update,
                                                     const ContactRequest& requested,
                                                     const RegisterContext& context) {
  if (requested.wildcard) {
    for (const auto& old : update.bindings) {
      // RFC 3261 §10.3 step 6: an older Call-ID/CSeq does not remove the newer binding.
      if (is_out_of_order(old, context.validated)) {
        return std::unexpected(kOutOfOrder);
      }
      update.changes.push_back(event_of(RegistrationEvent::Kind::removed, old, 0));
    }
    update.bindings.clear();
  }
  for (const auto& contact : requested.contacts) {
    if (auto applied = apply_contact(update, contact, context); !applied) {
      return std::unexpected(applied.error());
    }
  }
  return update;
}

} // namespace

Registrar::Registrar(RegistrarSettings settings, const core::Clock& clock, core::EventBus& events,
                     BindingPersistence& persistence)
    : settings_(settings), clock_(clock), events_(events), persistence_(persistence) {}

std::int64_t Registrar::unix_now() const {
  return core::unix_seconds(clock_.system_now());
}

void Registrar::handle_register(const Message& request, const ValidatedRequest& validated,
                                const RegistrationSource& source, std::string_view user,
                                std::string_view to_tag, Reply reply) {
  // RFC 3261 §10.3 step 5: the To URI is the address-of-record; a device may only
  // change its own bindings.
  const std::string aor = unescape(validated.to.uri.user);
  if (aor != user) {
    reply(refuse(request, validated, {403, "Forbidden", ""}, to_tag), false);
    return;
  }
  auto requested = read_contacts(request, settings_);
  if (!requested) {
    reply(refuse(request, validated, requested.error(), to_tag), false);
    return;
  }
  if (persistence_.backlog() >= settings_.max_save_backlog) {
    reply(refuse(request, validated, {503, "Service Unavailable", "Retry-After: 5"}, to_tag),
          false);
    return;
  }
  // One look-up serves the whole request: the AOR's entry outlives everything below.
  const auto found = aors_.find(aor);
  const std::span<const CompactBinding> current = bindings_in(found);
  auto update = apply_contacts({records_of(aor, current), {}}, *requested,
                               {request, validated, source, aor, unix_now(), join_path(request)});
  if (!update) {
    reply(refuse(request, validated, update.error(), to_tag), false);
    return;
  }
  auto& [bindings, changes] = *update;
  if (bindings.size() > settings_.max_contacts_per_aor) {
    reply(refuse(request, validated, {403, "Too Many Contacts", ""}, to_tag), false);
    return;
  }
  if (changes.empty()) {
    // A query (no Contact): nothing to save, answer with the current bindings.
    reply(ok_response(request, validated, current, to_tag), true);
    return;
  }
  const auto& saving = start_save(found, aor, bindings);
  // The answer is built now: the request is gone by the time the save completes.
  persistence_.save({aor, std::move(bindings)},
                    [this, aor, reply = std::move(reply), changes = std::move(changes),
                     saved_response = ok_response(request, validated, saving.bindings, to_tag)](
                        bool saved) mutable {
                      finish_save(aor);
                      if (!saved) {
                        if (auto failure = server_error_instead_of(saved_response)) {
                          reply(std::move(*failure), false);
                        }
                        return;
                      }
                      for (const auto& change : changes) {
                        events_.publish(change);
                      }
                      reply(std::move(saved_response), true);
                    });
}

Registrar::AorState& Registrar::start_save(AorTable::iterator found, const std::string& aor,
                                           const std::vector<store::Binding>& bindings) {
  auto& state = found == aors_.end() ? aors_[aor] : found->second;
  binding_count_ = binding_count_ - state.bindings.size() + bindings.size();
  state.bindings = std::vector<CompactBinding>(bindings.begin(), bindings.end());
  ++state.saves_in_flight;
  return state;
}

void Registrar::finish_save(const std::string& aor) {
  const auto found = aors_.find(aor);
  --found->second.saves_in_flight;
  if (found->second.forgettable()) {
    aors_.erase(found);
  }
}

bool Registrar::is_saving(std::string_view aor) const {
  const auto found = aors_.find(std::string(aor));
  return found != aors_.end() && found->second.saves_in_flight > 0;
}

std::optional<std::string> Registrar::answer_again(const Message& request,
                                                   const ValidatedRequest& validated,
                                                   std::string_view user,
                                                   std::string_view to_tag) const {
  const std::string aor = unescape(validated.to.uri.user);
  if (aor != user) {
    return std::nullopt;
  }
  const auto found = aors_.find(aor);
  return ok_response(request, validated, bindings_in(found), to_tag);
}

std::optional<std::string> Registrar::repeat_answer(const Message& request,
                                                    const ValidatedRequest& validated,
                                                    std::string_view user,
                                                    std::string_view to_tag) const {
  const std::string aor = unescape(validated.to.uri.user);
  const auto found = aors_.find(aor);
  if (aor != user || (found != aors_.end() && found->second.saves_in_flight > 0)) {
    return std::nullopt;
  }
  const std::span<const CompactBinding> bindings = bindings_in(found);
  const bool answered = std::ranges::any_of(bindings, [&validated](const CompactBinding& binding) {
    return binding.call_id() == validated.call_id && binding.cseq() == validated.cseq.number;
  });
  return answered ? std::optional(ok_response(request, validated, bindings, to_tag)) : std::nullopt;
}

std::span<const CompactBinding> Registrar::bindings_in(AorTable::const_iterator found) const {
  return found == aors_.end() ? std::span<const CompactBinding>{} : found->second.bindings;
}

std::string Registrar::ok_response(const Message& request, const ValidatedRequest& validated,
                                   std::span<const CompactBinding> bindings,
                                   std::string_view to_tag) const {
  ResponseBuilder response(request, validated, 200, "OK", to_tag);
  const std::int64_t now = unix_now();
  for (const auto& binding : bindings) {
    const auto expires = std::to_string(std::max<std::int64_t>(binding.expires_at() - now, 0));
    response.add_header("Contact", {"<", binding.contact(), ">;expires=", expires});
  }
  // RFC 3327 §5.3: a registrar that stored a Path echoes it when the UA supports it.
  if (supports(request, "path")) {
    for (const auto& header : request.headers()) {
      if (header.id == HeaderId::path) {
        response.add_header("Path", header.value);
      }
    }
  }
  // RFC 3261 §10.3 step 8: Date lets simple phones without NTP set their clock.
  response.add_header("Date", date_text());
  return std::move(response).finish();
}

const std::string& Registrar::date_text() const {
  const auto now = clock_.system_now();
  if (const std::int64_t second = core::unix_seconds(now); second != date_second_) {
    date_ = fmt::format("{:%a, %d %b %Y %H:%M:%S} GMT", core::utc_fields(now));
    date_second_ = second;
  }
  return date_;
}

std::vector<store::Binding> Registrar::bindings_of(std::string_view aor) const {
  const auto found = aors_.find(std::string(aor));
  return found == aors_.end() ? std::vector<store::Binding>{}
                              : records_of(aor, found->second.bindings);
}

void Registrar::restore(const std::vector<store::Binding>& bindings) {
  const std::int64_t now = unix_now();
  for (const auto& binding : bindings) {
    if (binding.expires_at > now) {
      aors_[binding.aor].bindings.emplace_back(binding);
      ++binding_count_;
    }
  }
}

std::size_t Registrar::expire_due() {
  const std::int64_t now = unix_now();
  std::size_t expired = 0;
  std::vector<std::string> emptied;
  for (auto& [aor, state] : aors_) {
    auto& bindings = state.bindings;
    // Stable partition, not remove_if: the expired bindings are still read below.
    const auto due = std::ranges::stable_partition(
        bindings, [now](const CompactBinding& binding) { return binding.expires_at() > now; });
    if (due.empty()) {
      continue;
    }
    for (const auto& binding : due) {
      events_.publish(event_of(RegistrationEvent::Kind::expired, binding.record(aor), 0));
    }
    expired += due.size();
    bindings.erase(due.begin(), due.end());
    // Expiry needs no acknowledgement: a lost save only means the restart expires it again.
    persistence_.save({aor, records_of(aor, bindings)}, [](bool) {});
    if (state.forgettable()) {
      emptied.push_back(aor);
    }
  }
  for (const auto& aor : emptied) {
    aors_.erase(aor);
  }
  binding_count_ -= expired;
  return expired;
}

} // namespace starling::sip
