// Where the registrar keeps bindings so that a restart keeps them: an interface, so the
// registrar is tested without a database and the store is written off the signalling thread.
#pragma once

#include <cstddef>
#include <functional>

#include "store/records.h"

namespace starling::sip {

class BindingPersistence {
public:
  BindingPersistence() = default;
  BindingPersistence(const BindingPersistence&) = delete;
  BindingPersistence& operator=(const BindingPersistence&) = delete;
  BindingPersistence(BindingPersistence&&) = delete;
  BindingPersistence& operator=(BindingPersistence&&) = delete;
  virtual ~BindingPersistence() = default;

  // Called on the caller's thread once the AOR's bindings survive kill -9 (saved == true) or
  // could not be written. Saves of one AOR complete in the order they were asked for.
  using Done = std::function<void(bool saved)>;
  virtual void save(store::AorBindings bindings, Done done) = 0;
  // Saves asked for and not yet written: how far the disk is behind.
  [[nodiscard]] virtual std::size_t backlog() const = 0;
};

} // namespace starling::sip
