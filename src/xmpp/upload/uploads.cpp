// The upload service's shared state: slots, files, the disk and the metrics.
#include "xmpp/upload/uploads.h"

#include <array>
#include <stdexcept>

#include <openssl/rand.h>
#include <spdlog/spdlog.h>

#include "xmpp/upload/file_name.h"

namespace starling::xmpp::upload {

namespace {

std::string random_slot_id() {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::array<unsigned char, kSlotIdBytes> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("OpenSSL's random generator failed");
  }
  std::string id;
  // Three bytes are four characters; kSlotIdBytes is a multiple of three.
  for (std::size_t i = 0; i + 2 < bytes.size(); i += 3) {
    const std::uint32_t group = (std::uint32_t{bytes.at(i)} << 16U) |
                                (std::uint32_t{bytes.at(i + 1)} << 8U) | bytes.at(i + 2);
    for (const unsigned shift : {18U, 12U, 6U, 0U}) {
      id += kAlphabet[(group >> shift) & 0x3FU];
    }
  }
  return id;
}

} // namespace

Uploads::Uploads(UploadSettings settings, const core::Clock& clock, core::MetricsRegistry& metrics)
    : settings_(std::move(settings)), clock_(clock), slots_(settings_),
      directory_(settings_.directory),
      slots_granted_(metrics.counter("starling_xmpp_upload_slots_total",
                                     "HTTP upload slots handed out (XEP-0363)")),
      slots_refused_(metrics.counter("starling_xmpp_upload_slot_refusals_total",
                                     "HTTP upload slot requests refused: too large or over quota")),
      files_stored_(metrics.counter("starling_xmpp_uploads_total", "Files uploaded and stored")),
      puts_refused_(metrics.counter("starling_xmpp_upload_put_refusals_total",
                                    "Uploads (HTTP PUT) refused: unknown, used or expired slot, "
                                    "wrong size or type, disk failure")),
      files_expired_(metrics.counter("starling_xmpp_upload_files_expired_total",
                                     "Uploaded files deleted past their retention")) {}

std::expected<std::size_t, std::string> Uploads::load() {
  auto files = directory_.load();
  if (!files) {
    return std::unexpected(files.error());
  }
  const std::scoped_lock lock(mutex_);
  for (auto& file : *files) {
    slots_.restore(std::move(file));
  }
  return files->size();
}

std::expected<GrantedSlot, SlotRefusal> Uploads::grant(const std::string& owner,
                                                       const std::string& file_name,
                                                       std::uint64_t size,
                                                       const std::string& content_type) {
  auto id = random_slot_id();
  {
    const std::scoped_lock lock(mutex_);
    auto slot = slots_.grant(id, owner, file_name, size, content_type, clock_.system_now());
    if (!slot) {
      slots_refused_.increment();
      return std::unexpected(slot.error());
    }
  }
  slots_granted_.increment();
  const auto url =
      settings_.base_url + std::string(kUploadPath) + id + "/" + encode_path_segment(file_name);
  return GrantedSlot{.put_url = url, .get_url = url};
}

std::optional<std::uint64_t> Uploads::pending_size(std::string_view slot_id,
                                                   std::string_view file_name) const {
  const std::scoped_lock lock(mutex_);
  return slots_.pending_size(slot_id, file_name, clock_.system_now());
}

std::expected<void, PutRefusal> Uploads::put(std::string_view slot_id, std::string_view file_name,
                                             std::optional<std::string_view> content_type,
                                             std::string_view body) {
  std::expected<Slot, PutRefusal> slot;
  {
    const std::scoped_lock lock(mutex_);
    slot = slots_.claim(slot_id, file_name, body.size(), content_type, clock_.system_now());
  }
  if (!slot) {
    puts_refused_.increment();
    return std::unexpected(slot.error());
  }
  StoredFile file{.slot_id = slot->id,
                  .owner = slot->owner,
                  .file_name = slot->file_name,
                  .size = slot->size,
                  .content_type =
                      slot->content_type.empty() ? "application/octet-stream" : slot->content_type,
                  .stored_at = clock_.system_now()};
  if (auto written = directory_.write(file, body); !written) {
    spdlog::error("xmpp: upload of {} not stored: {}", slot->owner, written.error());
    directory_.remove(slot->id);
    const std::scoped_lock lock(mutex_);
    slots_.release(slot->id);
    puts_refused_.increment();
    return std::unexpected(PutRefusal::not_stored);
  }
  spdlog::info("xmpp: {} uploaded {} ({} bytes)", file.owner, file.file_name, file.size);
  const std::scoped_lock lock(mutex_);
  slots_.stored(std::move(file));
  files_stored_.increment();
  return {};
}

std::optional<StoredFile> Uploads::find(std::string_view slot_id,
                                        std::string_view file_name) const {
  const std::scoped_lock lock(mutex_);
  const auto* file = slots_.find(slot_id, file_name);
  return file == nullptr ? std::nullopt : std::optional(*file);
}

std::optional<Download> Uploads::download(std::string_view slot_id,
                                          std::string_view file_name) const {
  auto file = find(slot_id, file_name);
  if (!file) {
    return std::nullopt;
  }
  auto body = directory_.read(*file);
  if (!body) {
    // The sweep may have deleted it a moment ago; anything else is worth a line.
    if (find(slot_id, file_name)) {
      spdlog::error("xmpp: uploaded file unreadable: {}", body.error());
    }
    return std::nullopt;
  }
  return Download{.file = std::move(*file), .body = std::move(*body)};
}

std::size_t Uploads::sweep() {
  std::vector<StoredFile> expired;
  {
    const std::scoped_lock lock(mutex_);
    expired = slots_.expire(clock_.system_now());
  }
  for (const auto& file : expired) {
    if (!directory_.remove(file.slot_id)) {
      spdlog::error("xmpp: cannot delete the expired upload {}/{}", directory_.root().string(),
                    file.slot_id);
    }
  }
  files_expired_.increment(expired.size());
  if (!expired.empty()) {
    spdlog::info("xmpp: deleted {} uploaded files past their retention", expired.size());
  }
  return expired.size();
}

} // namespace starling::xmpp::upload
