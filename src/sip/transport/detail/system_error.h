// The error of the system call that just failed, for the transport's direct system calls
// (recvmmsg, sendmmsg, epoll_ctl) that Asio does not make for it.
#pragma once

#include <cerrno>

#include <boost/system/error_code.hpp>

namespace starling::sip::detail {

inline boost::system::error_code last_system_error() {
  return {errno, boost::system::system_category()};
}

} // namespace starling::sip::detail
