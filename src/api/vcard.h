// vCard 4.0 (RFC 6350) for the address books phones and mail programs import.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace starling::api {

// RFC 6350 §10.1; 4.0 cards are always UTF-8.
inline constexpr std::string_view kVCardType = "text/vcard; charset=utf-8";

struct VCardTelephone {
  std::string type; // a TYPE value such as "work", "home", "cell"; empty: none
  std::string number;
};

// One card. Empty members are left out.
struct VCard {
  std::string uid;            // UID, written as text (VALUE=text)
  bool group = false;         // KIND:group (RFC 6350 §6.1.4); else an individual
  std::string formatted_name; // FN, which every card has
  std::string family_name;    // N, for individuals
  std::string given_name;
  std::string organization; // ORG
  std::vector<VCardTelephone> telephones;
  std::string email;
  std::string note;
};

// "Anna Maria Meier" → family "Meier", given "Anna Maria": how most address books split a
// name they are given whole.
std::pair<std::string, std::string> family_and_given(std::string_view full_name);

// BEGIN:VCARD … END:VCARD: lines end in CRLF and fold at 75 octets without splitting a
// UTF-8 character (§3.2); text values escape \ , ; and newlines (§3.4); other control
// characters are dropped, as no vCard value may hold them.
std::string vcard_text(const VCard& card);

} // namespace starling::api
