// /contacts: each user's personal address book. Nobody, administrators included, reaches
// another user's contacts: someone else's contact is simply not found.
#include <charconv>
#include <memory>

#include <boost/json/array.hpp>
#include <fmt/format.h>

#include "api/attachment.h"
#include "api/contact_json.h"
#include "api/data_resources.h"
#include "api/directory_json.h"
#include "api/json_body.h"
#include "api/problem.h"

namespace starling::api {

namespace {

class ContactResource {
public:
  explicit ContactResource(ApiServices& services) : services_(services) {}

  http::Response list(const ApiCall& call) {
    auto page = page_of(call);
    if (!page) {
      return std::move(page.error());
    }
    auto contacts = services_.store.list_contacts(call.caller->user_id);
    if (!contacts) {
      return store_problem(call.request, contacts.error());
    }
    boost::json::array items;
    for (const auto& contact : *contacts) {
      items.push_back(contact_json(contact));
    }
    return json_response(call.request, http::Status::ok, paged(std::move(items), *page));
  }

  http::Response export_vcards(const ApiCall& call) {
    auto contacts = services_.store.list_contacts(call.caller->user_id);
    if (!contacts) {
      return store_problem(call.request, contacts.error());
    }
    std::string cards;
    for (const auto& contact : *contacts) {
      cards += vcard_text(contact_vcard(contact));
    }
    return attachment(call.request, kVCardType, std::move(cards), "contacts.vcf");
  }

  http::Response create(const ApiCall& call) {
    auto body = json_object_body(call.request);
    if (!body) {
      return std::move(body.error());
    }
    store::Contact contact;
    contact.user_id = call.caller->user_id;
    if (auto applied = apply_contact_body(call.request, *body, contact, true); !applied) {
      return std::move(applied.error());
    }
    auto added = services_.store.add_contact(contact);
    if (!added) {
      return store_problem(call.request, added.error());
    }
    const auto json = contact_json(*added);
    auto response = json_response(call.request, http::Status::created, json, etag_of(json));
    response.set(http::Field::location, fmt::format("{}/contacts/{}", kApiPrefix, added->id));
    return response;
  }

  http::Response read(const ApiCall& call) {
    auto contact = own_contact(call);
    if (!contact) {
      return std::move(contact.error());
    }
    const auto json = contact_json(*contact);
    return json_response(call.request, http::Status::ok, json, etag_of(json));
  }

  // PUT replaces the contact, PATCH changes the members it sends.
  http::Response replace(const ApiCall& call) { return change(call, true); }
  http::Response patch(const ApiCall& call) { return change(call, false); }

  http::Response remove(const ApiCall& call) {
    auto contact = own_contact(call);
    if (!contact) {
      return std::move(contact.error());
    }
    if (auto failed = failed_precondition(call.request, etag_of(contact_json(*contact)))) {
      return std::move(*failed);
    }
    if (auto removed = services_.store.remove_contact(call.caller->user_id, contact->id);
        !removed) {
      return store_problem(call.request, removed.error());
    }
    return no_content(call.request);
  }

private:
  http::Response change(const ApiCall& call, bool whole) {
    auto contact = own_contact(call);
    if (!contact) {
      return std::move(contact.error());
    }
    if (auto failed = failed_precondition(call.request, etag_of(contact_json(*contact)))) {
      return std::move(*failed);
    }
    auto body = json_object_body(call.request);
    if (!body) {
      return std::move(body.error());
    }
    if (auto applied = apply_contact_body(call.request, *body, *contact, whole); !applied) {
      return std::move(applied.error());
    }
    auto updated = services_.store.update_contact(*contact);
    if (!updated) {
      return store_problem(call.request, updated.error());
    }
    const auto json = contact_json(*updated);
    return json_response(call.request, http::Status::ok, json, etag_of(json));
  }

  std::expected<store::Contact, http::Response> own_contact(const ApiCall& call) {
    const auto text = call.path_param("id");
    store::Id id = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
    const auto missing = [&] {
      return std::unexpected(problem(call.request, http::Status::not_found,
                                     fmt::format("you have no contact {}", text)));
    };
    if (error != std::errc{} || end != text.data() + text.size()) {
      return missing();
    }
    auto contact = services_.store.find_contact(call.caller->user_id, id);
    if (!contact) {
      return std::unexpected(store_problem(call.request, contact.error()));
    }
    if (!*contact) {
      return missing();
    }
    return std::move(**contact);
  }

  ApiServices& services_;
};

} // namespace

void add_contact_routes(Router& router, ApiServices& services) {
  auto resource = std::make_shared<ContactResource>(services);
  const auto to = handlers_of(resource);
  router.add({http::Verb::get, "/contacts", Audience::users, Scope::contacts_read,
              to(&ContactResource::list)});
  router.add({http::Verb::post, "/contacts", Audience::users, Scope::contacts_write,
              to(&ContactResource::create)});
  router.add({http::Verb::get, "/contacts.vcf", Audience::users, Scope::contacts_read,
              to(&ContactResource::export_vcards)});
  router.add({http::Verb::get, "/contacts/{id}", Audience::users, Scope::contacts_read,
              to(&ContactResource::read)});
  router.add({http::Verb::put, "/contacts/{id}", Audience::users, Scope::contacts_write,
              to(&ContactResource::replace)});
  router.add({http::Verb::patch, "/contacts/{id}", Audience::users, Scope::contacts_write,
              to(&ContactResource::patch)});
  router.add({http::Verb::delete_, "/contacts/{id}", Audience::users, Scope::contacts_write,
              to(&ContactResource::remove)});
}

} // namespace starling::api
