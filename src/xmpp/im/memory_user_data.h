// UserData held in memory only: what the server's stored implementation reads from, and
// what unit tests use.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "xmpp/im/user_data.h"
#include "xmpp/xml/element.h"

namespace starling::xmpp::im {

class MemoryUserData final : public UserData {
public:
  [[nodiscard]] const xml::Element* find(std::string_view user, std::string_view kind,
                                         std::string_view key) const override;
  [[nodiscard]] std::vector<std::pair<std::string, const xml::Element*>>
  list(std::string_view user, std::string_view kind) const override;
  void put(std::string_view user, std::string_view kind, std::string_view key,
           xml::Element value) override;
  void remove(std::string_view user, std::string_view kind, std::string_view key) override;

  // Every entry of a user that is gone from the directory.
  void remove_user(std::string_view user);

private:
  // (user, kind, key); std::less<> so that lookups by string_view need no copies.
  using Address = std::tuple<std::string, std::string, std::string>;
  std::map<Address, xml::Element, std::less<>> entries_;
};

} // namespace starling::xmpp::im
