// Quotes over HTTP: send, revise, view, open, accept, pay. Handlers of the route table
// (handlers.h); the rules are the domain's (domain/quotes.cpp, domain/payments.cpp).
#include "server/http/handlers.h"

namespace parley::server {

void post_quote(Call& c) { c.ex.reply(201, c.domain().create_quote(*c.me, c.id, c.ex.body())); }
void get_quote(Call& c) { c.ex.reply(200, c.domain().quote(*c.me, c.id)); }
void post_revise_quote(Call& c) { c.ex.reply(201, c.domain().revise_quote(*c.me, c.id, c.ex.body())); }
void post_open_quote(Call& c) { c.ex.done(c.domain().open_quote(*c.me, c.id)); }
void post_accept_quote(Call& c) { c.ex.reply(200, c.domain().accept_quote(*c.me, c.id, c.ex.body())); }
void post_pay_quote(Call& c) { c.ex.reply(200, c.domain().pay_quote(*c.me, c.id)); }

}  // namespace parley::server
