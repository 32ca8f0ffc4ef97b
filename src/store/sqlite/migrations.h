// The numbered schema migrations of the SQLite backend, applied at start.
#pragma once

#include "store/sqlite/database.h"

namespace starling::store::sqlite {

// Brings the schema to the newest version this build knows. Throws SqliteFailure, and
// refuses (with SQLITE_MISMATCH) a database written by a newer Starling.
void migrate(Database& db);

} // namespace starling::store::sqlite
