// The slots handed out and the files stored, with each user's quota: the bookkeeping of the
// upload service, without I/O or locks (Uploads adds both) and on a clock it is given.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "xmpp/upload/upload_settings.h"

namespace starling::xmpp::upload {

using TimePoint = std::chrono::system_clock::time_point;

// A file as it is kept: in UploadDirectory on disk, here in memory.
struct StoredFile {
  std::string slot_id;
  std::string owner; // bare JID
  std::string file_name;
  std::uint64_t size = 0;
  std::string content_type;
  TimePoint stored_at;
};

// A PUT URL not yet used.
struct Slot {
  std::string id;
  std::string owner;
  std::string file_name; // sanitised
  std::uint64_t size = 0;
  std::string content_type; // as asked for; empty: the client named none
  TimePoint expires;
  bool uploading = false; // a PUT is being written
};

// Why a slot request is refused (XEP-0363 §5).
struct SlotRefusal {
  enum class Reason { file_too_large, quota_reached } reason;
  std::uint64_t max_file_size = 0; // file_too_large
  std::optional<TimePoint> retry;  // quota_reached: when enough will have expired
};

// Why a PUT is refused; each has its HTTP status (UploadHttp).
enum class PutRefusal {
  unknown_slot, // 404: no such slot, or another file name
  expired_slot, // 403: the PUT URL is too old
  already_used, // 409: a file is there, or a PUT is being written
  wrong_length, // 400: not the size asked for (§6 MUST)
  wrong_type,   // 415: not the content type asked for (§6 SHOULD)
  not_stored,   // 500: the disk failed (Uploads)
};

class UploadSlots {
public:
  explicit UploadSlots(const UploadSettings& settings) : settings_(settings) {}

  // The largest file a request may name: the limit, or the quota when that is smaller.
  [[nodiscard]] std::uint64_t max_file_size() const;

  // A slot `id` (random, from the caller) for `owner`'s file, unless it is too large or the
  // owner's stored files and unused slots would pass the quota.
  std::expected<Slot, SlotRefusal> grant(std::string id, std::string owner, std::string file_name,
                                         std::uint64_t size, std::string content_type,
                                         TimePoint now);

  // The size a PUT to this slot and name must have, while the slot is unused and valid.
  [[nodiscard]] std::optional<std::uint64_t>
  pending_size(std::string_view id, std::string_view file_name, TimePoint now) const;
  // Takes the slot for a PUT of `length` bytes of `content_type` (nullopt: no Content-Type
  // header); from then on other PUTs to it are refused. stored() or release() follows.
  std::expected<Slot, PutRefusal> claim(std::string_view id, std::string_view file_name,
                                        std::uint64_t length,
                                        std::optional<std::string_view> content_type,
                                        TimePoint now);
  // The claimed slot's file is on disk.
  void stored(StoredFile file);
  // Writing the claimed slot's file failed: the slot is gone, the client may ask again.
  void release(std::string_view id);

  // A file of an earlier run, found on disk.
  void restore(StoredFile file);
  [[nodiscard]] const StoredFile* find(std::string_view id, std::string_view file_name) const;

  // Forgets expired unused slots and the files past the retention, and returns those files
  // (for the caller to delete).
  std::vector<StoredFile> expire(TimePoint now);

  // What the owner's files and valid unused slots take of the quota.
  [[nodiscard]] std::uint64_t used_by(std::string_view owner, TimePoint now) const;

private:
  // What a file of `size` bytes takes of the quota.
  [[nodiscard]] std::uint64_t charge(std::uint64_t size) const;
  [[nodiscard]] bool past_retention(const StoredFile& file, TimePoint now) const;
  // When the owner's usage will have dropped enough for `size` more; nullopt: never.
  [[nodiscard]] std::optional<TimePoint> room_at(std::string_view owner, std::uint64_t size,
                                                 TimePoint now) const;

  const UploadSettings& settings_;
  std::map<std::string, Slot, std::less<>> slots_;
  std::map<std::string, StoredFile, std::less<>> files_;
};

} // namespace starling::xmpp::upload
