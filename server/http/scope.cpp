// Scoped sessions at the router. See scope.h.
#include "server/http/scope.h"

namespace parley::server {

int64_t scoped_target(Scoped rule, Call& c) {
    if (!c.me) return 0;
    switch (rule) {
        case Scoped::request: return c.id;
        case Scoped::quote: return c.domain().request_of(Domain::Owned::quote, c.id);
        case Scoped::attachment: return c.domain().request_of(Domain::Owned::attachment, c.id);
        case Scoped::message: return c.domain().request_of(Domain::Owned::message, c.id);
        case Scoped::delivery: return c.domain().request_of(Domain::Owned::delivery, c.id);
        case Scoped::held: return c.domain().request_of(Domain::Owned::held_reply, c.id);
        case Scoped::upload: return c.site.uploads.request_of(*c.me, c.arg);
        case Scoped::no:
        case Scoped::session:
        case Scoped::narrowed: return 0;
    }
    return 0;
}

std::optional<std::string> scoped_refusal(const Route& r, Call& c) {
    if (c.scope <= 0) return std::nullopt;
    // Looked up only for the rules that need it: a refused row costs no query.
    const bool needs_target = r.scoped != Scoped::no && r.scoped != Scoped::session && r.scoped != Scoped::narrowed;
    const int64_t target = needs_target ? scoped_target(r.scoped, c) : 0;
    if (scoped_allows(r.scoped, c.scope, target)) return std::nullopt;
    return "This link opens only request " + std::to_string(c.scope) +
           ". Ask for a full sign-in link to open anything else.";
}

}  // namespace parley::server
