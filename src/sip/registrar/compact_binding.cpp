#include "sip/registrar/compact_binding.h"

#include <algorithm>
#include <string>

namespace starling::sip {

CompactBinding::CompactBinding(const store::Binding& binding)
    : expires_at_(binding.expires_at), cseq_(binding.cseq), q_(binding.q),
      source_port_(binding.source_port), local_port_(binding.local_port) {
  const std::array<std::string_view, kFields> fields = {
      binding.contact,       binding.call_id, binding.transport,   binding.source_address,
      binding.local_address, binding.path,    binding.instance_id, binding.user_agent};
  std::size_t size = 0;
  for (const auto field : fields) {
    size += field.size();
  }
  // NOLINTNEXTLINE(modernize-avoid-c-arrays): as texts_
  texts_ = std::make_unique_for_overwrite<char[]>(size);
  std::size_t end = 0;
  for (std::size_t i = 0; i < kFields; ++i) {
    std::ranges::copy(fields[i], texts_.get() + end);
    end += fields[i].size();
    // A binding's texts come from one SIP message, far below 4 GiB.
    ends_[i] = static_cast<std::uint32_t>(end);
  }
}

std::string_view CompactBinding::text(Field field) const {
  const auto index = static_cast<std::size_t>(field);
  const std::uint32_t begin = index == 0 ? 0 : ends_[index - 1];
  return {texts_.get() + begin, ends_[index] - begin};
}

store::Binding CompactBinding::record(std::string_view aor) const {
  return {.aor = std::string(aor),
          .contact = std::string(text(Field::contact)),
          .call_id = std::string(text(Field::call_id)),
          .transport = std::string(text(Field::transport)),
          .source_address = std::string(text(Field::source_address)),
          .local_address = std::string(text(Field::local_address)),
          .path = std::string(text(Field::path)),
          .instance_id = std::string(text(Field::instance_id)),
          .user_agent = std::string(text(Field::user_agent)),
          .expires_at = expires_at_,
          .cseq = cseq_,
          .q = q_,
          .source_port = source_port_,
          .local_port = local_port_};
}

} // namespace starling::sip
