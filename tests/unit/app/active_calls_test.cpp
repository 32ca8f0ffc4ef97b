// Hang-ups from HTTP threads run on the SIP thread, and never wait forever.
#include <chrono>
#include <string>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <gtest/gtest.h>

#include "app/active_calls.h"

namespace starling::app {
namespace {

using namespace std::chrono_literals;

TEST(SipActiveCalls, HangsUpOnTheSipThreadAndReturnsItsAnswer) {
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  std::thread sip_thread([&io] { io.run(); });
  std::thread::id ran_on;
  std::string asked;
  SipActiveCalls calls(io, [&](std::string_view id) {
    ran_on = std::this_thread::get_id();
    asked = id;
    return id == "c1";
  });
  EXPECT_TRUE(calls.hang_up("c1"));
  EXPECT_EQ(asked, "c1");
  EXPECT_EQ(ran_on, sip_thread.get_id());
  EXPECT_FALSE(calls.hang_up("c2"));
  work.reset();
  sip_thread.join();
}

TEST(SipActiveCalls, GivesUpWhenTheSipThreadDoesNotAnswer) {
  boost::asio::io_context io; // never run: a stopped or stuck SIP thread
  SipActiveCalls calls(
      io, [](std::string_view) { return true; }, 50ms);
  const auto started = std::chrono::steady_clock::now();
  EXPECT_FALSE(calls.hang_up("c1"));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

TEST(SipActiveCalls, RunsAtOnceWhenAskedOnTheSipThreadItself) {
  boost::asio::io_context io;
  SipActiveCalls calls(
      io, [](std::string_view id) { return id == "c1"; }, 50ms);
  bool answer = false;
  boost::asio::post(io, [&] { answer = calls.hang_up("c1"); });
  io.run();
  EXPECT_TRUE(answer);
}

} // namespace
} // namespace starling::app
