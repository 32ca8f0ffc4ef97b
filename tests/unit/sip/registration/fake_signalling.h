// A sip::Signalling that records the requests a client sends and lets the test answer them
// as a provider would.
#pragma once

#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "sip/dialog/signalling.h"
#include "sip/parser.h"
#include "sip/response_builder.h"
#include "sip/validation.h"

namespace starling::sip::test {

struct SentRequest {
  Message message;
  Destination destination;
  ResponseHandler on_response;

  [[nodiscard]] std::string_view header(HeaderId id) const { return message.value(id); }
};

inline Message parse_or_fail(std::string_view bytes) {
  auto message = parse_message(bytes);
  if (!message) {
    ADD_FAILURE() << "unparseable: " << message.error().reason << "\n" << bytes;
    return std::move(*parse_message("SIP/2.0 500 Unparseable\r\n\r\n"));
  }
  return std::move(*message);
}

class FakeSignalling final : public Signalling {
public:
  std::expected<void, RespondError> respond(ServerTransactionHandle /*transaction*/,
                                            std::string /*response*/) override {
    return std::unexpected(RespondError::unknown_transaction);
  }
  [[nodiscard]] const Message* request(ServerTransactionHandle /*transaction*/) const override {
    return nullptr;
  }
  std::expected<ClientTransactionHandle, SendRequestError>
  send_request(std::string request, const Destination& destination,
               ResponseHandler on_response) override {
    if (refuse_requests) {
      return std::unexpected(SendRequestError::overloaded);
    }
    auto message = parse_or_fail(request);
    EXPECT_TRUE(validate_request(message)) << request;
    requests.push_back({std::move(message), destination, std::move(on_response)});
    return ClientTransactionHandle{requests.size()};
  }
  void send_stateless(const Destination& /*destination*/, std::string /*bytes*/) override {}
  [[nodiscard]] std::vector<store::Binding> bindings_of(std::string_view /*aor*/) const override {
    return {};
  }
  [[nodiscard]] Destination destination_of(const store::Binding& /*binding*/) const override {
    return {};
  }
  [[nodiscard]] std::string advertised_address(const Destination& /*peer*/) const override {
    return "192.0.2.1";
  }
  [[nodiscard]] std::string via(const Destination& /*peer*/,
                                std::string_view branch) const override {
    return fmt::format("SIP/2.0/UDP 192.0.2.1:5060;branch={};rport", branch);
  }
  [[nodiscard]] std::string contact(const Destination& /*peer*/) const override {
    return "<sip:192.0.2.1:5060>";
  }

  using Headers = std::vector<std::pair<std::string, std::string>>;

  // The provider's answer to `request`, with `headers` added.
  static void reply(const SentRequest& request, std::uint16_t status, std::string_view reason,
                    const Headers& headers = {}) {
    ResponseBuilder builder(request.message, status, reason, "provider-tag");
    for (const auto& [name, value] : headers) {
      builder.add_header(name, value);
    }
    const Message response = parse_or_fail(std::move(builder).finish());
    request.on_response({&response, status});
  }
  // What the transaction layer reports when Timer F fires.
  static void time_out(const SentRequest& request) { request.on_response({nullptr, 408}); }

  // A deque: answering one request makes the client send the next while the test holds it.
  std::deque<SentRequest> requests;
  bool refuse_requests = false;
};

} // namespace starling::sip::test
