// Ownership of a POSIX file descriptor, for the sockets and epoll sets that Starling drives
// with system calls Asio does not offer (recvmmsg, sendmmsg, an epoll set of its own).
#pragma once

namespace starling::core {

// Owns a file descriptor; closes it when destroyed.
class UniqueFd {
public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  ~UniqueFd() { reset(); }

  [[nodiscard]] int get() const { return fd_; }
  [[nodiscard]] explicit operator bool() const { return fd_ >= 0; }
  int release();
  void reset();

private:
  int fd_ = -1;
};

} // namespace starling::core
