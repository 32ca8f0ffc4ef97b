// The REST API's handle on call control: a hang-up asked on an HTTP thread runs on the SIP
// thread, which owns every call, and the HTTP thread waits for its answer.
#pragma once

#include <chrono>
#include <functional>
#include <string_view>

#include <boost/asio/io_context.hpp>

#include "api/services.h"

namespace starling::app {

class SipActiveCalls final : public api::ActiveCalls {
public:
  // Long enough for a busy SIP thread, short enough that an HTTP client is not left hanging.
  static constexpr std::chrono::milliseconds kDefaultTimeout{2000};

  // `hang_up_on_sip_thread` runs on `sip_io`'s thread; it is given the call id and says
  // whether that call was in progress (Server passes one asking pbx::CallControl, while it
  // exists).
  SipActiveCalls(boost::asio::io_context& sip_io,
                 std::function<bool(std::string_view)> hang_up_on_sip_thread,
                 std::chrono::milliseconds timeout = kDefaultTimeout);

  // False also when the SIP thread did not answer in time (it is stopping, or stuck).
  bool hang_up(std::string_view call_id) override;

private:
  boost::asio::io_context& sip_io_;
  std::function<bool(std::string_view)> hang_up_;
  std::chrono::milliseconds timeout_;
};

} // namespace starling::app
