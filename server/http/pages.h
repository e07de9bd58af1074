// The development mailbox page (issue 6): GET /dev/mailbox lists my notifications kept
// without SMTP; each can be answered "by e-mail" (POST /dev/mailbox/{id}/reply, form
// field `text`), which goes through the inbound path (Domain::dev_mail_reply).
#pragma once
#include <string>

#include "net/wire.h"

namespace parley::server {

class Domain;

// The page (HTML, every value escaped). `notice`: the result of the last reply.
std::string dev_mailbox_html(Domain& domain, const User& me, const std::string& notice, bool notice_ok);

}  // namespace parley::server
