// The registrar (RFC 3261 §10.3): keeps the bindings of each address-of-record after the
// sender authenticated, answers REGISTER, and expires bindings that were not refreshed.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/event_bus.h"
#include "sip/message.h"
#include "sip/registrar/binding_persistence.h"
#include "sip/registrar/compact_binding.h"
#include "sip/registrar/registration_event.h"
#include "sip/validation.h"
#include "store/records.h"

namespace starling::sip {

struct RegistrarSettings {
  std::chrono::seconds default_expires{3600};
  std::chrono::seconds min_expires{60}; // shorter asks get 423 Interval Too Brief
  std::chrono::seconds max_expires{7200};
  std::size_t max_contacts_per_aor = 10;
  // Registrations waiting for the disk beyond which new ones get 503 with Retry-After,
  // so a slow disk costs retries instead of unbounded memory (RFC 3261 §21.5.4).
  std::size_t max_save_backlog = 20000;
};

// Where a REGISTER came from: what the registrar keeps to reach the phone behind NAT.
struct RegistrationSource {
  std::string transport; // "udp", "tcp", "tls"
  std::string address;
  std::uint16_t port = 0;
  std::string local_address;
  std::uint16_t local_port = 0;
};

class Registrar {
public:
  // `accepted`: the response is the 200 of a registration done (and durable).
  using Reply = std::function<void(std::string response, bool accepted)>;

  Registrar(RegistrarSettings settings, const core::Clock& clock, core::EventBus& events,
            BindingPersistence& persistence);

  // RFC 3261 §10.3 steps 5–8 for a REGISTER whose sender authenticated as `user`. The
  // reply comes once the change is durable (or at once, for a request that changes nothing).
  void handle_register(const Message& request, const ValidatedRequest& validated,
                       const RegistrationSource& source, std::string_view user,
                       std::string_view to_tag, Reply reply);

  // Whether a change to `aor`'s bindings is waiting for the disk: a retransmission of the
  // REGISTER that made it needs no answer, as its 200 comes when the change is durable.
  [[nodiscard]] bool is_saving(std::string_view aor) const;

  // The 200 again, with the bindings as they are now, for a copy of a REGISTER of `user`'s
  // that the caller knows was answered 200 already. Nothing when the To user is not `user`.
  [[nodiscard]] std::optional<std::string> answer_again(const Message& request,
                                                        const ValidatedRequest& validated,
                                                        std::string_view user,
                                                        std::string_view to_tag) const;
  // The same for a REGISTER the caller does not know about: only while the AOR has no save in
  // flight and a binding of `user`'s has the request's Call-ID and CSeq, so that it is a
  // retransmission of the change that binding holds. Nothing otherwise.
  [[nodiscard]] std::optional<std::string> repeat_answer(const Message& request,
                                                         const ValidatedRequest& validated,
                                                         std::string_view user,
                                                         std::string_view to_tag) const;

  // Bindings read from the store at start; expired ones are dropped.
  void restore(const std::vector<store::Binding>& bindings);
  // Removes bindings whose time is up; returns how many.
  std::size_t expire_due();

  [[nodiscard]] std::vector<store::Binding> bindings_of(std::string_view aor) const;
  [[nodiscard]] std::size_t binding_count() const { return binding_count_; }

private:
  [[nodiscard]] std::int64_t unix_now() const;
  // What the registrar knows of one AOR. Kept while a save is in flight even when it has no
  // bindings left, so that the save's completion finds it.
  struct AorState {
    std::vector<CompactBinding> bindings;
    std::size_t saves_in_flight = 0;

    // Nothing left to know: the entry can go.
    [[nodiscard]] bool forgettable() const { return bindings.empty() && saves_in_flight == 0; }
  };
  using AorTable = std::unordered_map<std::string, AorState>;

  // Makes `bindings` the AOR's current set in memory and counts a save of it in flight.
  AorState& start_save(AorTable::iterator found, const std::string& aor,
                       const std::vector<store::Binding>& bindings);
  void finish_save(const std::string& aor);
  // The AOR's bindings, none when `found` is the end.
  [[nodiscard]] std::span<const CompactBinding> bindings_in(AorTable::const_iterator found) const;
  [[nodiscard]] std::string ok_response(const Message& request, const ValidatedRequest& validated,
                                        std::span<const CompactBinding> bindings,
                                        std::string_view to_tag) const;
  // The Date header's value (RFC 3261 §20.17), formatted again only when the second changes.
  [[nodiscard]] const std::string& date_text() const;

  RegistrarSettings settings_;
  const core::Clock& clock_;
  core::EventBus& events_;
  BindingPersistence& persistence_;
  AorTable aors_;
  std::size_t binding_count_ = 0;
  mutable std::int64_t date_second_ = -1;
  mutable std::string date_;
};

} // namespace starling::sip
