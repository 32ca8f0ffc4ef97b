// How a storage operation fails, independent of the backend behind it.
#pragma once

#include <expected>
#include <string>

namespace starling::store {

struct StoreError {
  enum class Kind {
    not_found,   // the row to change or remove does not exist
    conflict,    // a unique name or number is taken, or a referenced row is missing
    unavailable, // the database cannot be opened, is locked too long, or the disk is full
    incompatible // the database was written by a newer Starling
  };
  Kind kind;
  std::string message;
};

template <typename T> using Result = std::expected<T, StoreError>;

} // namespace starling::store
