// Reads and writes the upload folders.
#include "xmpp/upload/upload_directory.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include <fcntl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

namespace starling::xmpp::upload {

namespace fs = std::filesystem;

namespace {

// Starts with a dot: sanitize_file_name never makes such a name, so it cannot clash.
constexpr std::string_view kRecordName = ".upload";
constexpr std::string_view kPartialName = ".partial";

// Slot ids are made of base64url characters; anything else in the folder is not ours.
bool is_slot_id(std::string_view name) {
  return !name.empty() && name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
                                                 "vwxyz0123456789-_") == std::string_view::npos;
}

std::string system_error(int error) {
  return std::system_category().message(error);
}

// Writes `data` to `path` and flushes it to the disk.
std::expected<void, std::string> write_synced(const fs::path& path, std::string_view data) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return std::unexpected(fmt::format("cannot create {}: {}", path.string(), system_error(errno)));
  }
  std::size_t written = 0;
  while (written < data.size()) {
    const auto n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      const int error = errno;
      ::close(fd);
      return std::unexpected(
          fmt::format("cannot write {}: {}", path.string(), system_error(error)));
    }
    written += static_cast<std::size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  const int error = errno;
  ::close(fd);
  if (!synced) {
    return std::unexpected(fmt::format("cannot flush {}: {}", path.string(), system_error(error)));
  }
  return {};
}

// The rename into a folder lasts only once the folder itself is flushed.
void sync_directory(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

std::string record_text(const StoredFile& file) {
  return fmt::format(
      "owner {}\ncontent-type {}\nsize {}\nstored-at {}\n", file.owner, file.content_type,
      file.size,
      std::chrono::duration_cast<std::chrono::seconds>(file.stored_at.time_since_epoch()).count());
}

template <typename Integer> std::optional<Integer> parse_integer(std::string_view text) {
  Integer value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

// The record of a slot folder; nullopt when it is missing or damaged.
std::optional<StoredFile> read_record(const fs::path& folder) {
  std::ifstream in(folder / kRecordName);
  if (!in) {
    return std::nullopt;
  }
  StoredFile file;
  file.slot_id = folder.filename().string();
  std::optional<std::uint64_t> size;
  std::optional<std::int64_t> stored_at;
  std::string line;
  while (std::getline(in, line)) {
    const auto space = line.find(' ');
    const auto key = std::string_view(line).substr(0, space);
    const auto value =
        space == std::string::npos ? std::string_view{} : std::string_view(line).substr(space + 1);
    if (key == "owner") {
      file.owner = value;
    } else if (key == "content-type") {
      file.content_type = value;
    } else if (key == "size") {
      size = parse_integer<std::uint64_t>(value);
    } else if (key == "stored-at") {
      stored_at = parse_integer<std::int64_t>(value);
    }
  }
  if (file.owner.empty() || file.content_type.empty() || !size || !stored_at) {
    return std::nullopt;
  }
  file.size = *size;
  file.stored_at = TimePoint(std::chrono::seconds(*stored_at));
  return file;
}

// The one file in the folder besides the record.
std::optional<std::string> stored_name(const fs::path& folder) {
  std::error_code error;
  std::optional<std::string> name;
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    const auto entry_name = entry.path().filename().string();
    if (entry_name.starts_with('.')) {
      continue;
    }
    if (name || !entry.is_regular_file(error)) {
      return std::nullopt;
    }
    name = entry_name;
  }
  return name;
}

} // namespace

std::expected<std::vector<StoredFile>, std::string> UploadDirectory::load() {
  std::error_code error;
  fs::create_directories(root_, error);
  if (error) {
    return std::unexpected(fmt::format("cannot create {}: {}", root_.string(), error.message()));
  }
  fs::permissions(root_, fs::perms::owner_all, error);
  std::vector<StoredFile> files;
  std::vector<fs::path> unfinished;
  for (const auto& entry : fs::directory_iterator(root_, error)) {
    // Its own error: one folder that cannot be looked at is unfinished, not the whole root
    // unreadable.
    std::error_code entry_error;
    const auto slot_id = entry.path().filename().string();
    if (!is_slot_id(slot_id) || !entry.is_directory(entry_error)) {
      continue;
    }
    auto file = read_record(entry.path());
    const auto name = stored_name(entry.path());
    if (!file || !name || fs::file_size(entry.path() / *name, entry_error) != file->size ||
        entry_error) {
      unfinished.push_back(entry.path());
      continue;
    }
    file->file_name = *name;
    files.push_back(std::move(*file));
  }
  if (error) {
    return std::unexpected(fmt::format("cannot read {}: {}", root_.string(), error.message()));
  }
  for (const auto& folder : unfinished) {
    spdlog::warn("xmpp: deleting {}, an upload that did not finish", folder.string());
    fs::remove_all(folder, error);
  }
  return files;
}

std::expected<void, std::string> UploadDirectory::write(const StoredFile& file,
                                                        std::string_view body) {
  const auto folder = root_ / file.slot_id;
  std::error_code error;
  fs::create_directory(folder, error);
  if (error) {
    return std::unexpected(fmt::format("cannot create {}: {}", folder.string(), error.message()));
  }
  // The record goes last: a folder with a record has its whole file (load() relies on it).
  if (auto written = write_synced(folder / kPartialName, body); !written) {
    return written;
  }
  fs::rename(folder / kPartialName, folder / file.file_name, error);
  if (error) {
    return std::unexpected(
        fmt::format("cannot rename in {}: {}", folder.string(), error.message()));
  }
  const auto record_partial = folder / (std::string(kRecordName) + std::string(kPartialName));
  if (auto written = write_synced(record_partial, record_text(file)); !written) {
    return written;
  }
  fs::rename(record_partial, folder / kRecordName, error);
  if (error) {
    return std::unexpected(
        fmt::format("cannot rename in {}: {}", folder.string(), error.message()));
  }
  sync_directory(folder);
  sync_directory(root_);
  return {};
}

std::expected<std::string, std::string> UploadDirectory::read(const StoredFile& file) const {
  const auto path = root_ / file.slot_id / file.file_name;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::unexpected(fmt::format("cannot open {}", path.string()));
  }
  std::string body;
  body.resize(file.size);
  in.read(body.data(), static_cast<std::streamsize>(body.size()));
  if (static_cast<std::uint64_t>(in.gcount()) != file.size) {
    return std::unexpected(
        fmt::format("{} is shorter than its {} bytes", path.string(), file.size));
  }
  return body;
}

bool UploadDirectory::remove(std::string_view slot_id) {
  if (!is_slot_id(slot_id)) {
    return false;
  }
  std::error_code error;
  fs::remove_all(root_ / slot_id, error);
  return !error;
}

} // namespace starling::xmpp::upload
