// The keys under which the transaction layer finds a message's transaction: RFC 3261
// §17.2.3 (server), §17.1.3 (client) and §8.2.2.2 (merged requests).
#pragma once

#include <string>
#include <string_view>

#include "sip/validation.h"

namespace starling::sip {

// The method a request matches its server transaction by: ACK matches the INVITE it
// acknowledges (RFC 3261 §17.2.3); any other method itself.
std::string_view matching_method(const ValidatedRequest& request);

// Writes into `out` (cleared first; a reused buffer does not allocate) the key of the server
// transaction `request` belongs to, as if its method were `method` (§9.2: a CANCEL looks for
// the INVITE). With an RFC 3261 branch: branch, sent-by and method. Without one (RFC 2543
// peers): Request-URI, `to_tag`, From tag, Call-ID, CSeq number, top Via and method — the
// To tag is a parameter because an RFC 2543 ACK carries the tag of the response, not of
// the INVITE.
void server_key(const ValidatedRequest& request, std::string_view method, std::string_view to_tag,
                std::string& out);

// RFC 3261 §17.1.3: a response belongs to the client transaction with its top Via branch
// and its CSeq method (a CANCEL shares the INVITE's branch).
void client_key(std::string_view branch, std::string_view cseq_method, std::string& out);

// RFC 3261 §8.2.2.2: requests with the same From tag, Call-ID and CSeq are the same request;
// arriving by another branch, one of them reached us twice through a fork.
void merge_key(const ValidatedRequest& request, std::string& out);

} // namespace starling::sip
