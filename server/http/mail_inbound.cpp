// POST /api/v1/mail/inbound. See http_mail_in.h.
#include "server/http/mail_inbound.h"

#include <nlohmann/json.hpp>

namespace parley::server {

namespace {
MailInAnswer error(int status, const std::string& code, const std::string& message) {
    MailInAnswer a;
    a.status = status;
    a.body = error_body(code, message);
    return a;
}
}  // namespace

MailInAnswer mail_inbound_answer(Domain& domain, const std::string& secret, std::string_view method,
                                 std::string_view authorization, const std::string& raw) {
    if (secret.empty() || !domain.mail_in_enabled()) return error(404, "not_found", "No such API endpoint.");
    if (method != "POST") {
        MailInAnswer a = error(405, "method_not_allowed", "Use POST for this endpoint.");
        a.allow_post = true;
        return a;
    }
    const std::string expected = "Bearer " + secret;
    unsigned char diff = authorization.size() == expected.size() ? 0 : 1;
    for (size_t i = 0; i < expected.size() && i < authorization.size(); ++i)  // constant time in the secret
        diff |= static_cast<unsigned char>(authorization[i] ^ expected[i]);
    if (diff != 0) {
        MailInAnswer a = error(401, "unauthorized", "A valid inbound secret is required.");
        a.www_authenticate = true;
        return a;
    }
    // The HTTP parser's body limit (1.5 × kMaxUploadBytes) closes the connection on
    // larger bodies; up to it the answer is a JSON 413 above kMaxUploadBytes (10 MB).
    if (raw.size() > kMaxUploadBytes) return error(413, "message_too_large", "The message is larger than 10 MB.");
    MailInResult r = domain.receive_mail(raw);
    if (r.status == kMailInRefused) return error(422, r.reason, r.detail);
    MailInAnswer a;
    a.body = nlohmann::json{{"status", r.status},
                            {"request_id", r.request_id},
                            {"conversation_id", r.conversation_id},
                            {"message_id", r.message_id}}
                 .dump();
    return a;
}

}  // namespace parley::server
