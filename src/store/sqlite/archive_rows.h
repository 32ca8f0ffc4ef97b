// The SQL of XMPP message archives (XEP-0313). Each function runs inside SqliteStore's lock
// and throws SqliteFailure, which SqliteStore turns into errors.
#pragma once

#include <cstddef>

#include "store/records.h"
#include "store/sqlite/database.h"

namespace starling::store::sqlite::archive_rows {

Id add(Database& db, const ArchivedMessage& message);
// Throws SQLITE_NOTFOUND when `after` or `before` names no message of the owner's archive.
ArchivePage query(Database& db, const ArchiveQuery& query);
std::size_t remove_before(Database& db, UnixTime cutoff);

} // namespace starling::store::sqlite::archive_rows
