// XEP-0198 Stream Management: counting, acknowledgements and the unacknowledged queue.
#include "xmpp/c2s/stream_management.h"

#include <charconv>
#include <utility>

#include "xmpp/xml/namespaces.h"

namespace starling::xmpp::c2s {

using xml::Element;

StreamManagement::StreamManagement(std::string id, std::chrono::seconds resumption_timeout,
                                   SequenceStart start)
    : id_(std::move(id)), resumption_timeout_(resumption_timeout), handled_(start.handled),
      acked_(start.acked) {}

void StreamManagement::on_stanza_sent(Element stanza) {
  unacked_.push_back(std::move(stanza));
}

std::expected<void, HandledCountTooHigh> StreamManagement::on_ack(std::uint32_t h) {
  // XEP-0198 §4: h wraps at 2^32, so the difference is taken mod 2^32 too.
  const std::uint32_t newly_acked = h - acked_;
  if (newly_acked > unacked_.size()) {
    return std::unexpected(HandledCountTooHigh{.h = h, .send_count = sent()});
  }
  unacked_.erase(unacked_.begin(), unacked_.begin() + newly_acked);
  acked_ = h;
  ack_requested_ = false;
  return {};
}

std::deque<Element> StreamManagement::take_unacked() {
  acked_ = sent();
  return std::exchange(unacked_, {});
}

std::uint32_t StreamManagement::sent() const {
  return acked_ + static_cast<std::uint32_t>(unacked_.size());
}

std::optional<std::uint32_t> parse_sequence_number(std::string_view text) {
  std::uint32_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc{} || ptr != end) {
    return std::nullopt;
  }
  return value;
}

Element enabled_element(const StreamManagement& management) {
  Element enabled(kStreamManagementNamespace, "enabled");
  if (management.resumable()) {
    enabled.set_attribute("id", management.id())
        .set_attribute("resume", "true")
        .set_attribute("max", std::to_string(management.resumption_timeout().count()));
  }
  return enabled;
}

Element ack_element(std::uint32_t h) {
  return Element(kStreamManagementNamespace, "a").set_attribute("h", std::to_string(h));
}

Element ack_request_element() {
  return {kStreamManagementNamespace, "r"};
}

Element failed_element(std::string_view condition) {
  Element failed(kStreamManagementNamespace, "failed");
  failed.append(Element(xml::kStanzaErrorNamespace, condition));
  return failed;
}

Element resumed_element(std::string_view previd, std::uint32_t h) {
  return Element(kStreamManagementNamespace, "resumed")
      .set_attribute("previd", previd)
      .set_attribute("h", std::to_string(h));
}

Element handled_count_too_high_element(const HandledCountTooHigh& error) {
  return Element(kStreamManagementNamespace, "handled-count-too-high")
      .set_attribute("h", std::to_string(error.h))
      .set_attribute("send-count", std::to_string(error.send_count));
}

} // namespace starling::xmpp::c2s
