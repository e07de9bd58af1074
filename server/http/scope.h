// Scoped sessions at the router: a session made from the sign-in link of a notification
// e-mail opens one request. Each row of the route table says what such a session may do
// there (routes.h: Scoped); this finds the request a call is about and refuses the rest.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "server/http/handlers.h"
#include "server/http/routes.h"

namespace parley::server {

// The request a call is about, from the row's {id} or {token} as `rule` says (a quote's,
// an attachment's, an upload's…); 0 when the rule names none or the object is not found.
int64_t scoped_target(Scoped rule, Call& c);

// nullopt when the call may go on: a full session, or a scoped session the row allows;
// else the message of the 403 scoped_session refusal.
std::optional<std::string> scoped_refusal(const Route& r, Call& c);

}  // namespace parley::server
