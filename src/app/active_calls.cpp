// The REST API's handle on call control: a hang-up asked on an HTTP thread runs on the SIP
// thread, which owns every call, and the HTTP thread waits for its answer.
#include "app/active_calls.h"

#include <future>
#include <memory>
#include <string>

#include <boost/asio/post.hpp>

namespace starling::app {

SipActiveCalls::SipActiveCalls(boost::asio::io_context& sip_io,
                               std::function<bool(std::string_view)> hang_up_on_sip_thread,
                               std::chrono::milliseconds timeout)
    : sip_io_(sip_io), hang_up_(std::move(hang_up_on_sip_thread)), timeout_(timeout) {}

bool SipActiveCalls::hang_up(std::string_view call_id) {
  if (sip_io_.get_executor().running_in_this_thread()) {
    return hang_up_(call_id);
  }
  // Shared, so that a hang-up that runs after the wait gave up still has its promise.
  auto answer = std::make_shared<std::promise<bool>>();
  auto answered = answer->get_future();
  boost::asio::post(sip_io_, [answer, hang_up = hang_up_, id = std::string(call_id)] {
    answer->set_value(hang_up(id));
  });
  if (answered.wait_for(timeout_) != std::future_status::ready) {
    return false;
  }
  try {
    return answered.get();
  } catch (const std::future_error&) {
    // The io_context was destroyed with the hang-up still queued: Starling is stopping.
    return false;
  }
}

} // namespace starling::app
