// XEP-0198 Stream Management without I/O: the counters of handled stanzas, the queue of
// stanzas the client has not acknowledged yet, and the protocol's elements.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include "xmpp/xml/element.h"

namespace starling::xmpp::c2s {

inline constexpr std::string_view kStreamManagementNamespace = "urn:xmpp:sm:3";

// XEP-0198 §5: how long a cut session waits for its client to resume it. Mobile clients
// lose their network for minutes (lifts, tunnels), and a detached session costs only its queue.
inline constexpr std::chrono::seconds kDefaultResumptionTimeout{300};

// XEP-0198 §4: a client that leaves more stanzas than this unacknowledged does not take part
// in stream management; its stream ends (the queue goes to offline storage) rather than the
// server's memory growing for it. A client that acks holds a round trip's worth; a resumption
// resends what waited while detached (server::kMaxQueuedWhileDetached) on top.
inline constexpr std::size_t kMaxUnackedStanzas = 2000;

// XEP-0198 §4: an <a/> acknowledging more stanzas than were sent.
struct HandledCountTooHigh {
  std::uint32_t h = 0;
  std::uint32_t send_count = 0;
};

// Where the counters start: XEP-0198 §4 says zero; other values let tests reach 2^32.
struct SequenceStart {
  std::uint32_t handled = 0;
  std::uint32_t acked = 0;
};

// One stream's XEP-0198 state once <enable/> was accepted. It outlives the stream's
// connection when the session is resumable: a resumed stream carries on with it.
class StreamManagement {
public:
  // `id` is empty unless the session may be resumed (XEP-0198 §5).
  StreamManagement(std::string id, std::chrono::seconds resumption_timeout,
                   SequenceStart start = {});

  [[nodiscard]] const std::string& id() const { return id_; }
  [[nodiscard]] bool resumable() const { return !id_.empty(); }
  [[nodiscard]] std::chrono::seconds resumption_timeout() const { return resumption_timeout_; }

  // XEP-0198 §4: one more stanza from the client was handled; h counts them mod 2^32.
  void on_stanza_handled() { ++handled_; }
  [[nodiscard]] std::uint32_t handled() const { return handled_; }

  // A stanza went to the client; it stays queued until acknowledged.
  void on_stanza_sent(xml::Element stanza);
  // Whether to ask for an acknowledgement now: something is unacknowledged and no <r/> is
  // out. One request per round trip keeps the queue short, so a client that goes away
  // after reading gets its messages again neither offline nor on its next resumption.
  [[nodiscard]] bool ack_request_due() const { return !unacked_.empty() && !ack_requested_; }
  void on_ack_requested() { ack_requested_ = true; }
  // The client's <a h='…'/> (or a <resume/>'s h): drops what it acknowledges.
  std::expected<void, HandledCountTooHigh> on_ack(std::uint32_t h);
  // The stanzas sent and not acknowledged, oldest first.
  [[nodiscard]] const std::deque<xml::Element>& unacked() const { return unacked_; }
  // Empties the queue, e.g. to store its messages offline when the session ends.
  [[nodiscard]] std::deque<xml::Element> take_unacked();
  // How many stanzas went to the client, mod 2^32 (XEP-0198 §4 'send-count').
  [[nodiscard]] std::uint32_t sent() const;

private:
  std::string id_;
  std::chrono::seconds resumption_timeout_;
  std::uint32_t handled_ = 0;
  std::uint32_t acked_ = 0; // the client's last h
  std::deque<xml::Element> unacked_;
  bool ack_requested_ = false; // an <r/> went out and its <a/> has not come back
};

// XEP-0198's counters are xs:unsignedInt: decimal, 0 to 2^32 - 1.
std::optional<std::uint32_t> parse_sequence_number(std::string_view text);

// <enabled/> (XEP-0198 §3, §5): with id, resume='true' and max when resumable.
xml::Element enabled_element(const StreamManagement& management);
// <a h='…'/> (XEP-0198 §4).
xml::Element ack_element(std::uint32_t h);
// <r/> (XEP-0198 §4).
xml::Element ack_request_element();
// <failed><CONDITION xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed> (XEP-0198 §3, §5).
xml::Element failed_element(std::string_view condition);
// <resumed previd='…' h='…'/> (XEP-0198 §5).
xml::Element resumed_element(std::string_view previd, std::uint32_t h);
// <handled-count-too-high/> for the undefined-condition stream error (XEP-0198 §4).
xml::Element handled_count_too_high_element(const HandledCountTooHigh& error);

} // namespace starling::xmpp::c2s
