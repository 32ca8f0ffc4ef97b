// The rows Starling keeps: users, devices (SIP accounts), extensions and groups.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace starling::store {

using Id = std::int64_t;
using UnixTime = std::int64_t; // seconds since 1970-01-01 UTC

enum class Role { admin, user };

struct User {
  Id id = 0;
  std::string name; // login name, unique
  std::string display_name;
  Role role = Role::user;
  std::string password_hash; // argon2id, in libsodium's encoded form
  UnixTime created_at = 0;
};

struct NewUser {
  std::string name;
  std::string display_name;
  Role role = Role::user;
  std::string password_hash;
};

// A SIP account of a user: one phone, softphone or app. The password itself is never
// stored, only the digest HA1 hashes for each algorithm (RFC 7616 §3.4.2).
struct Device {
  Id id = 0;
  Id user_id = 0;
  std::string user_name;
  std::string auth_name; // SIP digest username, unique
  std::string realm;     // the realm the HA1 hashes were computed over
  std::string ha1_md5;
  std::string ha1_sha256;
  std::string description;
  UnixTime created_at = 0;
};

struct NewDevice {
  Id user_id = 0;
  std::string auth_name;
  std::string realm;
  std::string ha1_md5;
  std::string ha1_sha256;
  std::string description;
};

struct Group {
  Id id = 0;
  std::string name;
  std::string display_name;
  std::vector<std::string> member_names;
};

// A dialable number that leads to exactly one user or one group.
struct Extension {
  std::string number;
  std::optional<Id> user_id;
  std::optional<Id> group_id;
  std::string target_name; // the user's or group's name, filled in when read
};

} // namespace starling::store
