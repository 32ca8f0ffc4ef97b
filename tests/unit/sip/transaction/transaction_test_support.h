// Test doubles for transaction tests: a transport that records the "wire", observers that
// record what the TU would see, and literal SIP messages.
#pragma once

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "sip/message.h"
#include "sip/parser.h"
#include "sip/transaction/manual_timer_service.h"
#include "sip/transaction/transaction_context.h"
#include "sip/transaction/transaction_observer.h"

namespace starling::sip::testing {

using std::chrono::milliseconds;

struct SentMessage {
  milliseconds at; // since the test started
  Destination to;
  std::string bytes;
  bool reliable = false;

  [[nodiscard]] std::string_view start_line() const {
    return std::string_view{bytes}.substr(0, bytes.find("\r\n"));
  }
};

class RecordingTransport final : public TransactionTransport {
public:
  explicit RecordingTransport(const core::Clock& clock) : clock_(clock), start_(clock.now()) {}

  bool send(const Destination& to, std::string_view bytes, bool reliable,
            std::uint64_t /*transaction*/) override {
    if (fail) {
      return false;
    }
    sent.push_back(SentMessage{std::chrono::duration_cast<milliseconds>(clock_.now() - start_), to,
                               std::string{bytes}, reliable});
    return true;
  }

  // When each message with this start line went out.
  [[nodiscard]] std::vector<milliseconds> times_of(std::string_view start_line) const {
    std::vector<milliseconds> times;
    for (const SentMessage& m : sent) {
      if (m.start_line() == start_line) {
        times.push_back(m.at);
      }
    }
    return times;
  }

  std::vector<SentMessage> sent;
  bool fail = false;

private:
  const core::Clock& clock_;
  core::Clock::TimePoint start_;
};

// A ManualClock, its timers and a recording transport, wired as a TransactionContext.
struct Wire {
  core::ManualClock clock;
  ManualTimerService timers{clock};
  RecordingTransport transport{clock};
  TransactionContext context{timers, transport, TimerSettings{}};
};

class RecordingClientObserver final : public ClientTransactionObserver {
public:
  void on_response(std::uint64_t /*transaction*/, const ClientResponse& response) override {
    statuses.push_back(response.status_code);
    with_message.push_back(response.message != nullptr);
  }
  void on_terminated(std::uint64_t /*transaction*/) override { ++terminated; }

  std::vector<std::uint16_t> statuses;
  std::vector<bool> with_message;
  int terminated = 0;
};

class RecordingServerObserver final : public ServerTransactionObserver {
public:
  void on_failure(std::uint64_t /*transaction*/, TransactionError error) override {
    failures.push_back(error);
  }
  void on_terminated(std::uint64_t /*transaction*/) override { ++terminated; }

  std::vector<TransactionError> failures;
  int terminated = 0;
};

inline const Destination kPeer{1, "127.0.0.1", 5070};

inline Message parse(std::string_view text) {
  auto message = parse_message(text);
  if (!message) {
    throw std::invalid_argument(std::string{"test message does not parse: "} +
                                std::string{message.error().reason});
  }
  return std::move(*message);
}

// A request from 127.0.0.1:5070 with the given method, branch and CSeq number.
inline std::string request_text(std::string_view method, std::string_view branch,
                                std::string_view from_tag = "ft1", int cseq = 1,
                                std::string_view to_tag = "") {
  std::string text = std::string{method} + " sip:bob@127.0.0.1 SIP/2.0\r\n";
  text += "Via: SIP/2.0/UDP 127.0.0.1:5070";
  if (!branch.empty()) {
    text += ";branch=" + std::string{branch};
  }
  text += "\r\nMax-Forwards: 70\r\nFrom: <sip:alice@127.0.0.1>;tag=" + std::string{from_tag};
  text += "\r\nTo: <sip:bob@127.0.0.1>";
  if (!to_tag.empty()) {
    text += ";tag=" + std::string{to_tag};
  }
  text += "\r\nCall-ID: call-1@127.0.0.1\r\nCSeq: " + std::to_string(cseq) + " " +
          std::string{method} + "\r\nContent-Length: 0\r\n\r\n";
  return text;
}

// A response to request_text(method, branch, …).
inline std::string response_text(int status, std::string_view reason, std::string_view method,
                                 std::string_view branch, std::string_view to_tag = "tt1",
                                 int cseq = 1) {
  std::string text = "SIP/2.0 " + std::to_string(status) + " " + std::string{reason} + "\r\n";
  text += "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=" + std::string{branch};
  text += "\r\nFrom: <sip:alice@127.0.0.1>;tag=ft1\r\nTo: <sip:bob@127.0.0.1>";
  if (!to_tag.empty()) {
    text += ";tag=" + std::string{to_tag};
  }
  text += "\r\nCall-ID: call-1@127.0.0.1\r\nCSeq: " + std::to_string(cseq) + " " +
          std::string{method} + "\r\nContent-Length: 0\r\n\r\n";
  return text;
}

} // namespace starling::sip::testing
