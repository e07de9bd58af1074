// HTML pages served outside the single-page client: the small pages of sign-in and
// errors, and the development mailbox (GET /dev/mailbox lists my notifications kept
// without SMTP; each can be answered "by e-mail" with POST /dev/mailbox/{id}/reply,
// form field `text`, which goes through the inbound path: Domain::dev_mail_reply).
#pragma once
#include <string>

#include "net/wire.h"
#include "server/http/exchange.h"

namespace parley::server {

class Domain;

// A one-paragraph page; `title` and `text` are HTML (escape what comes from users).
std::string html_page(const std::string& title, const std::string& text);
// The headers of such pages: nosniff, same-origin referrer, not cached.
Headers page_headers();

// The mailbox page (HTML, every value escaped). `notice`: the result of the last reply.
std::string dev_mailbox_html(Domain& domain, const User& me, const std::string& notice, bool notice_ok);

}  // namespace parley::server
