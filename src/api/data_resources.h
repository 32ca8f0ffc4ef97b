// The REST API's resources for live and recorded data; Api's constructor adds their routes.
#pragma once

#include "api/router.h"
#include "api/services.h"

namespace starling::api {

// /registrations: the phones registered now (a user sees their own devices').
void add_registration_routes(Router& router, ApiServices& services);
// /calls: calls in progress; DELETE /calls/{id} hangs one up.
void add_call_routes(Router& router, ApiServices& services);
// /call-records: ended and active calls, searchable, also as CSV.
void add_call_record_routes(Router& router, ApiServices& services);
// /system, /system/ports, /system/certificates, /system/health, /system/metrics.
void add_system_routes(Router& router, ApiServices& services);
// /address-book, /address-book.vcf: colleagues and groups with their extensions.
void add_address_book_routes(Router& router, ApiServices& services);
// /contacts, /contacts/{id}, /contacts.vcf: each user's personal contacts.
void add_contact_routes(Router& router, ApiServices& services);

} // namespace starling::api
