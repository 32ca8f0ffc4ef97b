// Opens the backend that the configuration names, migrated to the current schema.
#pragma once

#include <filesystem>
#include <memory>

#include "core/config.h"
#include "store/store.h"

namespace starling::store {

// An empty store.url selects SQLite at <data_dir>/starling.db; the directory is created.
[[nodiscard]] Result<std::unique_ptr<Store>> open_store(const core::StoreConfig& config,
                                                        const std::filesystem::path& data_dir);

} // namespace starling::store
