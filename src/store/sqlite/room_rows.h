// The SQL of persistent XMPP group chat rooms (XEP-0045) and their affiliations. Each function
// runs inside SqliteStore's lock and throws SqliteFailure, which SqliteStore turns into
// errors.
#pragma once

#include <string_view>
#include <vector>

#include "store/records.h"
#include "store/sqlite/database.h"

namespace starling::store::sqlite::room_rows {

// Inserts or replaces the room and all of its affiliations, in one transaction.
void save(Database& db, const XmppRoom& room);
std::vector<XmppRoom> list(Database& db); // by name
// The room, its affiliations and its archive; no error when it is not there.
void remove(Database& db, std::string_view name);

} // namespace starling::store::sqlite::room_rows
