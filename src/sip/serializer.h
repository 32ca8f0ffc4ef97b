// Writes a sip::Message to bytes: received parts verbatim, edited parts as stored.
#pragma once

#include <cstddef>
#include <string>

#include "sip/message.h"

namespace starling::sip {

// A message parsed and not edited serializes to exactly its wire_bytes().
std::size_t serialized_size(const Message& message);
void serialize_to(const Message& message, std::string& out); // appends
std::string serialize(const Message& message);

} // namespace starling::sip
