// Where persistent rooms (XEP-0045 §10.1.3) are kept across restarts.
#pragma once

#include <chrono>
#include <string>

namespace starling::xmpp::muc {

// What outlives a restart of a room; its occupants and history do not.
struct RoomRecord {
  std::string name; // the room's localpart
  std::string subject;
  std::string created_by; // the creator's bare JID; the room's owner
  std::chrono::system_clock::time_point created_at;
  std::string title; // what its owner named it (§10.2); empty: the localpart is its name
  std::string description;
};

// Implemented by the owner over the store, written behind: save() must not block.
class RoomStore {
public:
  RoomStore() = default;
  RoomStore(const RoomStore&) = delete;
  RoomStore& operator=(const RoomStore&) = delete;
  virtual ~RoomStore() = default;

  // A new room, or one whose subject or configuration changed.
  virtual void save(const RoomRecord& room) = 0;
};

} // namespace starling::xmpp::muc
