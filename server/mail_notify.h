// Notification e-mails of domain events (issue 6): turns what happened into
// OutgoingMail for the Mailer. Kept out of the domain files so that they only call in.
#pragma once
#include <string>

#include "net/wire.h"
#include "server/mailer.h"
#include "server/policy.h"
#include "server/store.h"

namespace parley::server {

// A message was posted: the other party of the conversation gets a "new reply" mail
// with the text, attachment names and a link to PUBLIC_URL/requests/{id}. The buyer's
// message goes to the conversation's seller-side participants; a seller-side message
// to the buyer. Users without an e-mail address are skipped. (No sign-in token in the
// link yet: the recipient signs in as usual.)
void notify_new_reply(Mailer& mailer, Store& store, const RequestFacts& facts, int64_t conversation_id,
                      const Message& message, const std::string& public_url);

}  // namespace parley::server
