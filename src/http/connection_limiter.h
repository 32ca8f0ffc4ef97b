// Caps open connections in total and per source address, so one client cannot starve others.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include <boost/asio/ip/address.hpp>

#include "http/http_metrics.h"

namespace starling::http {

class ConnectionLimiter {
public:
  // A connection's place; giving it up (destroying it) makes room for another.
  class Admission {
  public:
    Admission(ConnectionLimiter& limiter, boost::asio::ip::address address);
    Admission(const Admission&) = delete;
    Admission& operator=(const Admission&) = delete;
    Admission(Admission&& other) noexcept;
    Admission& operator=(Admission&&) = delete;
    ~Admission();

  private:
    ConnectionLimiter* limiter_;
    boost::asio::ip::address address_;
  };

  ConnectionLimiter(std::size_t total, std::size_t per_address, HttpMetrics& metrics);

  // A place for a new connection from `address`, or nothing (counted) when it is over a cap.
  // Thread-safe.
  [[nodiscard]] std::optional<Admission> admit(const boost::asio::ip::address& address);

  [[nodiscard]] std::size_t open() const;

private:
  void release(const boost::asio::ip::address& address);

  const std::size_t total_;
  const std::size_t per_address_;
  HttpMetrics& metrics_;
  mutable std::mutex mutex_;
  std::size_t open_ = 0;
  std::map<boost::asio::ip::address, std::size_t> by_address_;
};

} // namespace starling::http
