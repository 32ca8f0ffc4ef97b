// Element names of the SASL failure conditions.
#include "xmpp/sasl/condition.h"

namespace starling::xmpp::sasl {

std::string_view to_string(Condition condition) {
  switch (condition) {
  case Condition::aborted:
    return "aborted";
  case Condition::account_disabled:
    return "account-disabled";
  case Condition::credentials_expired:
    return "credentials-expired";
  case Condition::encryption_required:
    return "encryption-required";
  case Condition::incorrect_encoding:
    return "incorrect-encoding";
  case Condition::invalid_authzid:
    return "invalid-authzid";
  case Condition::invalid_mechanism:
    return "invalid-mechanism";
  case Condition::malformed_request:
    return "malformed-request";
  case Condition::mechanism_too_weak:
    return "mechanism-too-weak";
  case Condition::not_authorized:
    return "not-authorized";
  case Condition::temporary_auth_failure:
    return "temporary-auth-failure";
  }
  return "not-authorized";
}

} // namespace starling::xmpp::sasl
