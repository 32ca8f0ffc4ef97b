// The upload service's state shared by its two halves: the XMPP component hands out slots
// on the XMPP thread, the HTTP handler takes PUTs and serves GETs on the web server's
// threads. Thread-safe; the disk is used outside the lock.
#pragma once

#include <cstdint>
#include <expected>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/metrics.h"
#include "xmpp/upload/upload_directory.h"
#include "xmpp/upload/upload_settings.h"
#include "xmpp/upload/upload_slots.h"

namespace starling::xmpp::upload {

// 192 random bits in base64url: no one finds a file by trying (XEP-0363 §8).
inline constexpr std::size_t kSlotIdBytes = 24;
// Where the HTTP server routes uploads: BASE/upload/SLOT/NAME.
inline constexpr std::string_view kUploadPath = "/upload/";

struct GrantedSlot {
  std::string put_url;
  std::string get_url;
};

struct Download {
  StoredFile file;
  std::string body;
};

class Uploads {
public:
  // `clock` and `metrics` must outlive it.
  Uploads(UploadSettings settings, const core::Clock& clock, core::MetricsRegistry& metrics);
  Uploads(const Uploads&) = delete;
  Uploads& operator=(const Uploads&) = delete;

  // Reads the files of earlier runs; call before the first slot. Returns how many there are.
  std::expected<std::size_t, std::string> load();

  [[nodiscard]] const UploadSettings& settings() const { return settings_; }
  [[nodiscard]] std::uint64_t max_file_size() const { return slots_.max_file_size(); }

  // A slot for `owner` (a bare JID); `file_name` is already sanitised.
  std::expected<GrantedSlot, SlotRefusal> grant(const std::string& owner,
                                                const std::string& file_name, std::uint64_t size,
                                                const std::string& content_type);

  // The size a PUT to this slot and name must have, while it may still be made.
  [[nodiscard]] std::optional<std::uint64_t> pending_size(std::string_view slot_id,
                                                          std::string_view file_name) const;
  // Stores the body of a PUT, once per slot.
  std::expected<void, PutRefusal> put(std::string_view slot_id, std::string_view file_name,
                                      std::optional<std::string_view> content_type,
                                      std::string_view body);
  [[nodiscard]] std::optional<StoredFile> find(std::string_view slot_id,
                                               std::string_view file_name) const;
  // The file with its contents; nullopt when there is none (or it just expired).
  [[nodiscard]] std::optional<Download> download(std::string_view slot_id,
                                                 std::string_view file_name) const;

  // Deletes the files past the retention and forgets expired slots; how many files went.
  std::size_t sweep();

private:
  UploadSettings settings_;
  const core::Clock& clock_;
  mutable std::mutex mutex_;
  UploadSlots slots_; // guarded by mutex_
  UploadDirectory directory_;
  core::Counter& slots_granted_;
  core::Counter& slots_refused_;
  core::Counter& files_stored_;
  core::Counter& puts_refused_;
  core::Counter& files_expired_;
};

} // namespace starling::xmpp::upload
