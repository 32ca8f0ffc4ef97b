// Opens the backend that the configuration names, migrated to the current schema.
#include "store/open_store.h"

#include <system_error>

#include <fmt/format.h>

#include "store/sqlite/sqlite_store.h"

namespace starling::store {

Result<std::unique_ptr<Store>> open_store(const core::StoreConfig& config,
                                          const std::filesystem::path& data_dir) {
  if (config.url.starts_with("postgresql://")) {
    return std::unexpected(StoreError{
        StoreError::Kind::unavailable,
        "PostgreSQL is not supported by this build yet; leave store.url empty to use SQLite"});
  }
  std::filesystem::path file = data_dir / "starling.db";
  if (config.url.starts_with("sqlite:")) {
    file = config.url.substr(std::string_view("sqlite:").size());
  }
  std::error_code error;
  if (file.has_parent_path()) {
    std::filesystem::create_directories(file.parent_path(), error);
  }
  if (error) {
    return std::unexpected(StoreError{StoreError::Kind::unavailable,
                                      fmt::format("cannot create the directory {}: {}",
                                                  file.parent_path().string(), error.message())});
  }
  try {
    return std::make_unique<sqlite::SqliteStore>(file);
  } catch (const sqlite::SqliteFailure& failure) {
    const auto kind = (failure.code() & 0xff) == SQLITE_MISMATCH ? StoreError::Kind::incompatible
                                                                 : StoreError::Kind::unavailable;
    return std::unexpected(StoreError{
        kind, fmt::format("cannot open the database {}: {}", file.string(), failure.what())});
  }
}

} // namespace starling::store
