// The SQL of trunks, their numbers, outbound routes and trunk states. Each function runs
// inside SqliteStore's lock and throws SqliteFailure, which SqliteStore turns into errors.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "store/records.h"
#include "store/sqlite/database.h"

namespace starling::store::sqlite::trunk_rows {

Trunk add(Database& db, const Trunk& trunk);
std::optional<Trunk> find(Database& db, std::string_view name);
std::vector<Trunk> list(Database& db);
Trunk update(Database& db, const Trunk& trunk);
void remove(Database& db, Id trunk);

OutboundRoute add_route(Database& db, const OutboundRoute& route);
std::vector<OutboundRoute> list_routes(Database& db);
OutboundRoute update_route(Database& db, const OutboundRoute& route);
void remove_route(Database& db, Id route);

void save_status(Database& db, const TrunkStatus& status);
std::vector<TrunkStatus> list_status(Database& db);

} // namespace starling::store::sqlite::trunk_rows
