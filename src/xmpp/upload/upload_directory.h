// The uploaded files on disk: DIRECTORY/SLOT/NAME, with what the service must know about
// each (owner, type, time) in DIRECTORY/SLOT/.upload next to it.
//
// Kept on disk rather than in the store: a file and its record cannot disagree when one
// folder holds both and one removal deletes both; and when several nodes share one
// PostgreSQL store, each node's files are still on its own disk, where a shared table would
// point at files another node does not have. Nothing is lost with a restart: the folders are
// read again at start.
#pragma once

#include <expected>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "xmpp/upload/upload_slots.h"

namespace starling::xmpp::upload {

class UploadDirectory {
public:
  explicit UploadDirectory(std::filesystem::path root) : root_(std::move(root)) {}

  // Creates the folder (owner-only access) and reads what is in it. Folders of uploads that
  // never finished (Starling stopped during a PUT) or that are not the service's are left
  // out; the unfinished ones are deleted. The error names the folder and the cause.
  std::expected<std::vector<StoredFile>, std::string> load();

  // Writes the file and its record, flushed to disk before it returns (what the client is
  // told was stored survives a crash).
  std::expected<void, std::string> write(const StoredFile& file, std::string_view body);
  [[nodiscard]] std::expected<std::string, std::string> read(const StoredFile& file) const;
  // Deletes the slot's folder; false when it could not.
  bool remove(std::string_view slot_id);

  [[nodiscard]] const std::filesystem::path& root() const { return root_; }

private:
  std::filesystem::path root_;
};

} // namespace starling::xmpp::upload
