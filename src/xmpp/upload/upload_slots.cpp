// Slots, stored files and quotas of the upload service.
#include "xmpp/upload/upload_slots.h"

#include <algorithm>
#include <utility>

namespace starling::xmpp::upload {

namespace {

// HTTP compares media types case-insensitively (RFC 9110 §8.3.1); the rest must match.
bool same_content_type(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    return lower(x) == lower(y);
  });
}

// Every file costs at least this much of its owner's quota: on disk it takes a block and an
// inode, in the store a row. Charged by size alone, empty files would be free, and one client
// could ask for them until the disk or the store was full.
constexpr std::uint64_t kSmallestCharge = 4096;

} // namespace

std::uint64_t UploadSlots::charge(std::uint64_t size) const {
  // A quota smaller than the smallest charge still takes one file at a time.
  return std::max(size, std::min(kSmallestCharge, settings_.quota));
}

std::uint64_t UploadSlots::max_file_size() const {
  return settings_.quota == 0 ? settings_.max_file_size
                              : std::min(settings_.max_file_size, settings_.quota);
}

bool UploadSlots::past_retention(const StoredFile& file, TimePoint now) const {
  return settings_.retention.count() != 0 && file.stored_at + settings_.retention <= now;
}

std::uint64_t UploadSlots::used_by(std::string_view owner, TimePoint now) const {
  std::uint64_t used = 0;
  for (const auto& [id, file] : files_) {
    if (file.owner == owner && !past_retention(file, now)) {
      used += charge(file.size);
    }
  }
  for (const auto& [id, slot] : slots_) {
    if (slot.owner == owner && (slot.uploading || slot.expires > now)) {
      used += charge(slot.size);
    }
  }
  return used;
}

std::optional<TimePoint> UploadSlots::room_at(std::string_view owner, std::uint64_t size,
                                              TimePoint now) const {
  // What frees space, and when: unused slots expire, files reach the retention.
  std::vector<std::pair<TimePoint, std::uint64_t>> releases;
  for (const auto& [id, slot] : slots_) {
    if (slot.owner == owner && !slot.uploading && slot.expires > now) {
      releases.emplace_back(slot.expires, charge(slot.size));
    }
  }
  if (settings_.retention.count() != 0) {
    for (const auto& [id, file] : files_) {
      if (file.owner == owner && !past_retention(file, now)) {
        releases.emplace_back(file.stored_at + settings_.retention, charge(file.size));
      }
    }
  }
  std::ranges::sort(releases);
  auto used = used_by(owner, now);
  for (const auto& [when, freed] : releases) {
    used -= freed;
    if (used + charge(size) <= settings_.quota) {
      return when;
    }
  }
  return std::nullopt;
}

std::expected<Slot, SlotRefusal> UploadSlots::grant(std::string id, std::string owner,
                                                    std::string file_name, std::uint64_t size,
                                                    std::string content_type, TimePoint now) {
  if (size > max_file_size()) {
    return std::unexpected(SlotRefusal{.reason = SlotRefusal::Reason::file_too_large,
                                       .max_file_size = max_file_size(),
                                       .retry = std::nullopt});
  }
  if (settings_.quota != 0 && used_by(owner, now) + charge(size) > settings_.quota) {
    return std::unexpected(SlotRefusal{.reason = SlotRefusal::Reason::quota_reached,
                                       .max_file_size = max_file_size(),
                                       .retry = room_at(owner, size, now)});
  }
  Slot slot{.id = std::move(id),
            .owner = std::move(owner),
            .file_name = std::move(file_name),
            .size = size,
            .content_type = std::move(content_type),
            .expires = now + settings_.slot_lifetime,
            .uploading = false};
  slots_.insert_or_assign(slot.id, slot);
  return slot;
}

std::optional<std::uint64_t>
UploadSlots::pending_size(std::string_view id, std::string_view file_name, TimePoint now) const {
  const auto slot = slots_.find(id);
  if (slot == slots_.end() || slot->second.file_name != file_name || slot->second.uploading ||
      slot->second.expires <= now) {
    return std::nullopt;
  }
  return slot->second.size;
}

std::expected<Slot, PutRefusal> UploadSlots::claim(std::string_view id, std::string_view file_name,
                                                   std::uint64_t length,
                                                   std::optional<std::string_view> content_type,
                                                   TimePoint now) {
  if (const auto file = files_.find(id); file != files_.end()) {
    return std::unexpected(file->second.file_name == file_name ? PutRefusal::already_used
                                                               : PutRefusal::unknown_slot);
  }
  const auto found = slots_.find(id);
  if (found == slots_.end() || found->second.file_name != file_name) {
    return std::unexpected(PutRefusal::unknown_slot);
  }
  auto& slot = found->second;
  if (slot.uploading) {
    return std::unexpected(PutRefusal::already_used);
  }
  if (slot.expires <= now) {
    return std::unexpected(PutRefusal::expired_slot);
  }
  if (length != slot.size) {
    return std::unexpected(PutRefusal::wrong_length);
  }
  // A type asked for must be repeated; without one, any type goes and is stored as
  // application/octet-stream (§6 allows assuming it).
  if (!slot.content_type.empty() &&
      (!content_type || !same_content_type(*content_type, slot.content_type))) {
    return std::unexpected(PutRefusal::wrong_type);
  }
  slot.uploading = true;
  return slot;
}

void UploadSlots::stored(StoredFile file) {
  slots_.erase(file.slot_id);
  auto id = file.slot_id;
  files_.insert_or_assign(std::move(id), std::move(file));
}

void UploadSlots::release(std::string_view id) {
  if (const auto slot = slots_.find(id); slot != slots_.end()) {
    slots_.erase(slot);
  }
}

void UploadSlots::restore(StoredFile file) {
  auto id = file.slot_id;
  files_.insert_or_assign(std::move(id), std::move(file));
}

const StoredFile* UploadSlots::find(std::string_view id, std::string_view file_name) const {
  const auto file = files_.find(id);
  return file == files_.end() || file->second.file_name != file_name ? nullptr : &file->second;
}

std::vector<StoredFile> UploadSlots::expire(TimePoint now) {
  std::erase_if(slots_, [now](const auto& entry) {
    return !entry.second.uploading && entry.second.expires <= now;
  });
  std::vector<StoredFile> expired;
  for (auto file = files_.begin(); file != files_.end();) {
    if (past_retention(file->second, now)) {
      expired.push_back(std::move(file->second));
      file = files_.erase(file);
    } else {
      ++file;
    }
  }
  return expired;
}

} // namespace starling::xmpp::upload
