// The development mailbox: without SMTP settings notifications stay in the
// outbox; this page lists mine and lets me answer one as if from my own mail client, so
// that the demo shows a reply threaded back into the page, live.
#include "server/domain/domain.h"
#include "server/mail/compose.h"
#include "server/base/text.h"

namespace parley::server {

Result<MailInResult> Domain::dev_mail_reply(const User& me, int64_t mail_id, const std::string& text) {
    DomainError missing{404, "not_found", "No such mail in your development mailbox."};
    if (!outbox_ || !mailer_ || !mailer_->dev_mailbox() || !mail_in_) return missing;
    auto row = outbox_->get(mail_id);
    if (!row || row->to_user_id != me.id) return missing;
    std::string body(trim(text));
    if (body.empty()) return DomainError{400, "empty_message", "Write a reply first."};
    auto user = store_.user(me.id);
    if (!user) return missing;
    const nlohmann::json h = mail_headers(row->raw);
    auto header = [&](const char* name) { return h.contains(name) ? h[name].get<std::string>() : std::string(); };
    std::string reply_to = header("Reply-To");
    if (reply_to.empty()) return DomainError{409, "no_reply_address", "This mail cannot be answered by e-mail."};

    // What a mail client writes: the new text on top, the mail quoted below.
    std::string quoted;
    for (size_t a = 0; a <= row->text.size();) {
        size_t b = row->text.find('\n', a);
        if (b == std::string::npos) b = row->text.size();
        quoted += "> " + row->text.substr(a, b - a) + "\n";
        a = b + 1;
    }
    ComposeInput in;
    in.from = {user->name, user->email};
    in.to = {"", reply_to};
    in.subject = "Re: " + row->subject;
    in.text = body + "\n\nOn " + rfc5322_date(row->created) + ", Parley wrote:\n" + quoted;
    in.message_id = new_message_id(relay_domain_);
    in.in_reply_to = row->message_id;
    in.references = {row->message_id};
    in.date_ms = now_();
    MailInOrigin origin;
    origin.signed_in = true;  // written on the page by the signed-in owner of the address
    return receive_mail(compose_message(in), {}, origin);
}

}  // namespace parley::server
