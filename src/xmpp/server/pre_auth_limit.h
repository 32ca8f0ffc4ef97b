// Caps the connections that have not authenticated yet, per source address: they cost TLS
// handshakes and SASL work, and are what a flood of half-open logins consists of.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <utility>

#include <boost/asio/ip/address.hpp>

namespace starling::xmpp::server {

inline constexpr std::size_t kMaxUnauthenticatedPerAddress = 20;

// Single-threaded: used on the service's thread only.
class PreAuthLimit {
public:
  using Counts = std::map<boost::asio::ip::address, std::size_t>;

  // A connection's place among the unauthenticated; destroying it (on authentication or
  // when the connection ends) frees the place.
  class Slot {
  public:
    Slot(PreAuthLimit& limit, Counts::iterator count) : limit_(&limit), count_(count) {}
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    Slot(Slot&& other) noexcept
        : limit_(std::exchange(other.limit_, nullptr)), count_(other.count_) {}
    Slot& operator=(Slot&&) = delete;
    ~Slot() {
      if (limit_ != nullptr) {
        limit_->release(count_);
      }
    }

  private:
    PreAuthLimit* limit_;
    Counts::iterator count_; // std::map iterators stay valid while the entry exists
  };

  explicit PreAuthLimit(std::size_t per_address = kMaxUnauthenticatedPerAddress)
      : per_address_(per_address) {}

  // Nothing when `address` already has per_address connections negotiating.
  [[nodiscard]] std::optional<Slot> admit(const boost::asio::ip::address& address) {
    const auto count = open_.try_emplace(address, 0).first;
    if (count->second >= per_address_) {
      return std::nullopt;
    }
    ++count->second;
    return Slot(*this, count);
  }

private:
  void release(Counts::iterator count) {
    if (--count->second == 0) {
      open_.erase(count);
    }
  }

  std::size_t per_address_;
  Counts open_;
};

} // namespace starling::xmpp::server
