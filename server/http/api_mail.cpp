// E-mail over HTTP: the development mailbox as JSON, Retry of a failed delivery, the
// original of a message that came by e-mail, and mail inbound from a provider's
// webhook. Handlers of the route table (handlers.h).
#include <nlohmann/json.hpp>

#include "server/http/handlers.h"

namespace parley::server {

// GET /dev/mailbox (JSON): my notifications and their delivery status (the mails of
// every post so far included: they are queued off the request path).
void get_dev_mailbox_json(Call& c) {
    Mailer* m = c.domain().mailer();
    if (!m) return c.ex.error(404, "not_found", "E-mail is not enabled.");
    c.domain().settle_notifications();
    c.ex.json(200, m->mailbox_json(c.me->id, 50));
}

// POST /deliveries/{id}/retry: answers the request's detail as the author sees it.
void post_retry_delivery(Call& c) { c.ex.reply(200, c.domain().retry_delivery(*c.me, c.id)); }

// GET /messages/{id}/original: the raw mail, shown as text, never rendered.
void get_message_original(Call& c) {
    auto raw = c.domain().original_mail(*c.me, c.id);
    if (!raw) return c.ex.fail(raw.error);
    c.ex.send(200, "text/plain; charset=utf-8", std::move(*raw),
              {{"Content-Disposition", "inline; filename=\"message-" + std::to_string(c.id) + ".eml.txt\""},
               {"X-Content-Type-Options", "nosniff"},
               {"Cache-Control", "private, no-store"},
               {"Content-Security-Policy", "default-src 'none'; sandbox"}});
}

// POST /mail/inbound: one raw e-mail from a mail provider's inbound webhook,
// authenticated by the shared secret (Authorization: Bearer <secret>), handed to
// Domain::receive_mail on the e-mail-in threads (mail_in_queue.h), answered when read.
// 200 {status, request_id, conversation_id, message_id} | 422 refused (error.code = the
// reason) | 401 bad secret | 413 over 10 MB | 503 + Retry-After when too many mails are
// being read | 404 when e-mail in is not configured. The row exists only with
// --inbound-secret.
void post_mail_inbound(Call& c) {
    const std::string& secret = c.site.options.inbound_secret;
    if (secret.empty() || !c.domain().mail_in_enabled()) return c.ex.error(404, "not_found", "No such API endpoint.");
    const std::string expected = "Bearer " + secret;
    const std::string authorization = c.ex.header("Authorization");
    unsigned char diff = authorization.size() == expected.size() ? 0 : 1;
    for (size_t i = 0; i < expected.size() && i < authorization.size(); ++i)  // constant time in the secret
        diff |= static_cast<unsigned char>(authorization[i] ^ expected[i]);
    if (diff != 0)
        return c.ex.error(401, "unauthorized", "A valid inbound secret is required.", {{"WWW-Authenticate", "Bearer"}});
    // The HTTP parser's body limit (1.5 × kMaxUploadBytes) closes the connection on
    // larger bodies; up to it the answer is a JSON 413 above kMaxUploadBytes (10 MB).
    if (c.ex.body().size() > kMaxUploadBytes)
        return c.ex.error(413, "message_too_large", "The message is larger than 10 MB.");
    std::shared_ptr<const std::string> raw = c.ex.shared_body();
    Domain& domain = c.domain();
    answer_from_mail_in(c, raw->size(), [raw, &domain]() mutable {
        MailInResult r = domain.receive_mail(*raw);
        raw.reset();  // the request is let go on its worker, with the answer
        if (r.status == kMailInRefused)
            return Answer{422, kJsonType, error_body(r.reason, r.detail), {{"Cache-Control", "no-store"}}};
        return Answer{200, kJsonType,
                      nlohmann::json{{"status", r.status},
                                     {"request_id", r.request_id},
                                     {"conversation_id", r.conversation_id},
                                     {"message_id", r.message_id}}
                          .dump(),
                      {{"Cache-Control", "no-store"}}};
    }, mail_in_busy_json());
}

}  // namespace parley::server
