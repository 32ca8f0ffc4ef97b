// A binding as the registrar keeps it in memory while the phone stays registered: its texts
// in one allocation, without the AOR, which is the key it is filed under. As store::Binding
// (nine std::strings) a contact took 516 bytes with the map around it, and 100,000 phones
// came within 6% of the 100 MB they may take.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>

#include "store/records.h"

namespace starling::sip {

class CompactBinding {
public:
  explicit CompactBinding(const store::Binding& binding);

  // The full record again, filed under `aor`.
  [[nodiscard]] store::Binding record(std::string_view aor) const;

  [[nodiscard]] std::string_view contact() const { return text(Field::contact); }
  [[nodiscard]] std::string_view call_id() const { return text(Field::call_id); }
  [[nodiscard]] store::UnixTime expires_at() const { return expires_at_; }
  [[nodiscard]] std::uint32_t cseq() const { return cseq_; }

private:
  enum class Field : std::uint8_t {
    contact,
    call_id,
    transport,
    source_address,
    local_address,
    path,
    instance_id,
    user_agent,
  };
  static constexpr std::size_t kFields = 8;

  [[nodiscard]] std::string_view text(Field field) const;

  // The fields one after another, in Field order.
  std::unique_ptr<char[]> texts_;             // NOLINT(modernize-avoid-c-arrays): a run-time size
  std::array<std::uint32_t, kFields> ends_{}; // where each field ends in texts_
  store::UnixTime expires_at_;
  std::uint32_t cseq_;
  std::uint16_t q_;
  std::uint16_t source_port_;
  std::uint16_t local_port_;
};

} // namespace starling::sip
