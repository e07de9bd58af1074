// The route table: every endpoint of the server is one row — method, path pattern,
// handler, who may call it. The router (server.cpp) answers 404 and 405 (with its Allow
// header) from the table, and 401 for rows that need a signed-in user; docs/API.md's
// endpoint list is checked against it (tests/unit/server/test_routes.cpp).
//
// To add an endpoint: write the handler (handlers.h), add its row to kRoutes
// (routes.cpp) and its line to docs/API.md.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "server/http/handlers.h"
#include "server/http/options.h"

namespace parley::server {

// Who may call an endpoint. Only `user` is enforced by the router; the others name
// what the handler checks itself.
enum class Who {
    anyone,     // sign-in links, the demo checkout page
    user,       // a signed-in user (session cookie), else 401
    operators,  // the metrics token (--metrics-token), else this machine only (api_ops.cpp)
    secret,     // the inbound-mail bearer secret (--inbound-secret)
    signature,  // the payment provider's signature of the body
};
const char* who_name(Who w);  // as docs/API.md writes it

// What a scoped session (signed in by the link of a notification e-mail, which opens one
// request) may call, and how the router finds the request a call is about. Enforced by
// the router for Who::user rows; a row that says nothing is refused with 403
// scoped_session (default deny).
enum class Scoped {
    no,          // refused
    request,     // {id} is the request: only the session's own
    quote,       // {id} is a quote of the session's request
    attachment,  // {id} is an attachment of it
    upload,      // {token} is a chunked upload of mine into it
    message,     // {id} is a message of it (the original of a mailed message)
    delivery,    // {id} is the delivery of a message of it (Retry)
    held,        // {id} is a reply by e-mail of it held for its owner (e-mail in)
    session,     // about the session itself, not about a request (me, sign-out, the
                 // step-up link), or what the request's own dialogs need (contacts for
                 // CC and forward, the translation languages)
    narrowed,    // the handler answers for the session's request alone (inbox, events)
};
const char* scoped_name(Scoped s);  // as docs/API.md writes it

// Whether a scoped session opening request `scope` may make a call under `rule` whose
// target request (found by the router from the row's {id} or {token}) is `target`.
bool scoped_allows(Scoped rule, int64_t scope, int64_t target);

// How refusals from the router look: JSON errors or an HTML page.
enum class Format { json, html };

// What a state-changing request's body is: JSON (Content-Type: application/json
// required when there is one) or bytes (uploads: any type).
enum class Body { json, bytes };

struct Route {
    const char* method;   // GET | POST | PUT | DELETE
    const char* pattern;  // "/api/v1/requests/{id}/messages": {name} is one non-empty segment
    Handler handler;
    Who who;
    Scoped scoped = Scoped::no;  // what a scoped session may do here (default: refused)
    Format format = Format::json;
    const char* missing = "No such request.";    // 404 when {id} is not a positive number
    bool (*enabled)(const HttpOptions&) = nullptr;  // nullptr: always; false: as if absent (404)
    Body body = Body::json;
};

// Every row, in the order the router tries them.
const std::vector<Route>& route_table();

struct RouteMatch {
    const Route* route = nullptr;  // nullptr: 404 when `allow` is empty, else 405
    std::string allow;             // the methods of the rows whose pattern matched: "GET, POST"
    Format format = Format::json;  // of those rows (for the 405), or of the pages under the path's prefix (404)
    std::string_view id_text;      // the {id} segment
    std::string_view arg;          // any other {name} segment
    int index = -1;                // in route_table(): the row, or for a 405 the first row of the pattern
};

// The row for `method` on `path` (without the query), among the enabled rows.
RouteMatch match_route(std::string_view path, std::string_view method, const HttpOptions& options);

// Operators: on their own listener (--metrics-listen), the rows of /healthz and /metrics
// alone, whatever the options.
RouteMatch match_ops_route(std::string_view path, std::string_view method);

// Whether `path` fits `pattern`; fills id_text ({id}) and arg (any other {name}).
bool match_pattern(std::string_view pattern, std::string_view path, std::string_view& id_text,
                   std::string_view& arg);

}  // namespace parley::server
