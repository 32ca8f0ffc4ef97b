// /address-book: the colleagues and groups a user can call, with their extensions, for the
// web UI and (as vCards) for phones and mail programs. Every logged-in user may read it.
#include <memory>
#include <vector>

#include <boost/json/array.hpp>
#include <fmt/format.h>

#include "api/attachment.h"
#include "api/data_resources.h"
#include "api/directory_json.h"
#include "api/json_body.h"
#include "api/vcard.h"

namespace starling::api {

namespace {

struct Entry {
  bool group = false;
  std::string name;
  std::string display_name;
  std::vector<std::string> extensions;
};

// Users and groups that have an extension, by name: without one they cannot be dialled
// from a phone's address book.
store::Result<std::vector<Entry>> address_book(store::Store& store) {
  auto extensions = store.list_extensions();
  if (!extensions) {
    return std::unexpected(std::move(extensions.error()));
  }
  auto users = store.list_users();
  if (!users) {
    return std::unexpected(std::move(users.error()));
  }
  auto groups = store.list_groups();
  if (!groups) {
    return std::unexpected(std::move(groups.error()));
  }
  std::vector<Entry> entries;
  const auto add = [&](bool group, store::Id id, const std::string& name,
                       const std::string& display_name) {
    Entry entry{group, name, display_name, {}};
    for (const auto& extension : *extensions) {
      if ((group ? extension.group_id : extension.user_id) == id) {
        entry.extensions.push_back(extension.number);
      }
    }
    if (!entry.extensions.empty()) {
      entries.push_back(std::move(entry));
    }
  };
  for (const auto& user : *users) {
    add(false, user.id, user.name, user.display_name);
  }
  for (const auto& group : *groups) {
    add(true, group.id, group.name, group.display_name);
  }
  return entries;
}

VCard entry_vcard(const Entry& entry) {
  VCard card;
  card.uid = fmt::format("starling-{}-{}", entry.group ? "group" : "user", entry.name);
  card.group = entry.group;
  card.formatted_name = entry.display_name.empty() ? entry.name : entry.display_name;
  if (!entry.group) {
    std::tie(card.family_name, card.given_name) = family_and_given(card.formatted_name);
  }
  for (const auto& number : entry.extensions) {
    card.telephones.push_back({"work", number});
  }
  return card;
}

class AddressBookResource {
public:
  explicit AddressBookResource(ApiServices& services) : services_(services) {}

  http::Response list(const ApiCall& call) {
    auto page = page_of(call);
    if (!page) {
      return std::move(page.error());
    }
    auto entries = address_book(services_.store);
    if (!entries) {
      return store_problem(call.request, entries.error());
    }
    boost::json::array items;
    for (const auto& entry : *entries) {
      boost::json::array numbers;
      for (const auto& number : entry.extensions) {
        numbers.emplace_back(number);
      }
      items.push_back(boost::json::object{{"kind", entry.group ? "group" : "user"},
                                          {"name", entry.name},
                                          {"display_name", entry.display_name},
                                          {"extensions", std::move(numbers)}});
    }
    return json_response(call.request, http::Status::ok, paged(std::move(items), *page));
  }

  http::Response export_vcards(const ApiCall& call) {
    auto entries = address_book(services_.store);
    if (!entries) {
      return store_problem(call.request, entries.error());
    }
    std::string cards;
    for (const auto& entry : *entries) {
      cards += vcard_text(entry_vcard(entry));
    }
    return attachment(call.request, kVCardType, std::move(cards), "address-book.vcf");
  }

private:
  ApiServices& services_;
};

} // namespace

void add_address_book_routes(Router& router, ApiServices& services) {
  auto resource = std::make_shared<AddressBookResource>(services);
  router.add({http::Verb::get, "/address-book", Audience::users, Scope::directory_read,
              [resource](const ApiCall& call) { return resource->list(call); }});
  router.add({http::Verb::get, "/address-book.vcf", Audience::users, Scope::directory_read,
              [resource](const ApiCall& call) { return resource->export_vcards(call); }});
}

} // namespace starling::api
