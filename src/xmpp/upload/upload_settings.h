// What the file upload service (XEP-0363) allows, and where it keeps the files.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

namespace starling::xmpp::upload {

inline constexpr std::uint64_t kDefaultMaxFileSize = std::uint64_t{10} * 1024 * 1024;
inline constexpr std::uint64_t kDefaultQuota = std::uint64_t{200} * 1024 * 1024;
// XEP-0363 §7 recommends about 60 s, as a client uploads right after asking; twice that for
// a phone whose network drops between the two.
inline constexpr std::chrono::seconds kDefaultSlotLifetime{120};

struct UploadSettings {
  // One folder per slot below it: DATA_DIR/xmpp-upload.
  std::filesystem::path directory;
  // Scheme, host and port the clients reach the HTTPS server at, without a path:
  // "https://pbx.example.com". The URLs handed out are BASE/upload/SLOT/NAME.
  std::string base_url;
  // XEP-0363 §3 max-file-size: a request for more gets file-too-large.
  std::uint64_t max_file_size = kDefaultMaxFileSize;
  // What one user's stored files and unused slots may add up to; zero: no cap.
  std::uint64_t quota = kDefaultQuota;
  // Files are deleted this long after their upload; zero keeps them.
  std::chrono::days retention{30};
  // How long a PUT URL may be used.
  std::chrono::seconds slot_lifetime = kDefaultSlotLifetime;
};

} // namespace starling::xmpp::upload
