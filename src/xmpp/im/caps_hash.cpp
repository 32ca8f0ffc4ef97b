// Entity capabilities hashing (XEP-0115 §5.1, §5.4).
#include "xmpp/im/caps_hash.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include <openssl/evp.h>

#include "core/base64.h"
#include "xmpp/im/namespaces.h"
#include "xmpp/xml/namespaces.h"

namespace starling::xmpp::im {

namespace {

struct Identity {
  std::string category;
  std::string type;
  std::string lang;
  std::string name;
  auto operator<=>(const Identity&) const = default;
};

struct Field {
  std::string var;
  std::vector<std::string> values;
};

struct Form {
  std::string form_type;
  std::vector<Field> fields; // without FORM_TYPE
};

std::string attribute_or_empty(const xml::Element& element, std::string_view name) {
  return std::string(element.attribute(name).value_or(""));
}

// XEP-0128 forms as §5.1 steps 6–8 read them; nothing for a second form of one FORM_TYPE.
std::optional<std::vector<Form>> extended_forms(const xml::Element& query) {
  std::vector<Form> forms;
  for (const auto& x : query.children(kDataFormsNamespace, "x")) {
    Form form;
    bool typed = false;
    for (const auto& field : x.children(kDataFormsNamespace, "field")) {
      Field parsed{.var = attribute_or_empty(field, "var"), .values = {}};
      for (const auto& value : field.children(kDataFormsNamespace, "value")) {
        parsed.values.push_back(value.text());
      }
      if (parsed.var == "FORM_TYPE") {
        typed = !parsed.values.empty();
        form.form_type = typed ? parsed.values.front() : "";
      } else {
        std::ranges::sort(parsed.values);
        form.fields.push_back(std::move(parsed));
      }
    }
    if (!typed) {
      continue; // §5.4 step 3.6: a form with no FORM_TYPE is ignored
    }
    std::ranges::sort(form.fields, {}, &Field::var);
    forms.push_back(std::move(form));
  }
  std::ranges::sort(forms, {}, &Form::form_type);
  if (std::ranges::adjacent_find(forms, {}, &Form::form_type) != forms.end()) {
    return std::nullopt; // §5.4 step 3.4
  }
  return forms;
}

} // namespace

std::optional<std::string> caps_verification_string(const xml::Element& query) {
  std::vector<Identity> identities;
  for (const auto& identity : query.children(kDiscoInfoNamespace, "identity")) {
    identities.push_back({attribute_or_empty(identity, "category"),
                          attribute_or_empty(identity, "type"),
                          std::string(identity.attribute(xml::kXmlNamespace, "lang").value_or("")),
                          attribute_or_empty(identity, "name")});
  }
  std::vector<std::string> features;
  for (const auto& feature : query.children(kDiscoInfoNamespace, "feature")) {
    features.push_back(attribute_or_empty(feature, "var"));
  }
  std::ranges::sort(identities);
  std::ranges::sort(features);
  // §5.4 steps 3.2 and 3.3: duplicates make the answer unusable.
  if (std::ranges::adjacent_find(identities) != identities.end() ||
      std::ranges::adjacent_find(features) != features.end()) {
    return std::nullopt;
  }
  auto forms = extended_forms(query);
  if (!forms) {
    return std::nullopt;
  }
  std::string s;
  for (const auto& i : identities) {
    s += i.category + '/' + i.type + '/' + i.lang + '/' + i.name + '<';
  }
  for (const auto& feature : features) {
    s += feature + '<';
  }
  for (const auto& form : *forms) {
    s += form.form_type + '<';
    for (const auto& field : form.fields) {
      s += field.var + '<';
      for (const auto& value : field.values) {
        s += value + '<';
      }
    }
  }
  return s;
}

std::optional<std::string> caps_ver(std::string_view hash, std::string_view verification_string) {
  const EVP_MD* md = hash == "sha-1" ? EVP_sha1() : hash == "sha-256" ? EVP_sha256() : nullptr;
  if (md == nullptr) {
    return std::nullopt;
  }
  std::array<std::uint8_t, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_Digest(verification_string.data(), verification_string.size(), digest.data(), &size, md,
                 nullptr) != 1) {
    return std::nullopt;
  }
  return core::encode_base64(std::span(digest.data(), size));
}

} // namespace starling::xmpp::im
