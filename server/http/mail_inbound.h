// POST /api/v1/mail/inbound (issue 6): one raw e-mail from a mail provider's inbound
// webhook, authenticated by a shared secret (Authorization: Bearer <secret>), handed to
// Domain::receive_mail. Without a configured secret the endpoint answers 404 (hidden).
#pragma once
#include <string>
#include <string_view>

#include "server/domain/domain.h"

namespace parley::server {

struct MailInAnswer {
    int status = 200;
    std::string body;   // JSON
    bool www_authenticate = false;  // add WWW-Authenticate: Bearer (401)
    bool allow_post = false;        // add Allow: POST (405)
};

// 200 {status, request_id, conversation_id, message_id} | 422 refused (error.code = the
// reason) | 401 bad secret | 413 over 10 MB | 405 not POST | 404 no secret configured.
MailInAnswer mail_inbound_answer(Domain& domain, const std::string& secret, std::string_view method,
                                 std::string_view authorization, const std::string& raw);

}  // namespace parley::server
