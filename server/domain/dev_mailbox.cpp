// The development mailbox (issue 6): without SMTP settings notifications stay in the
// outbox; this page lists mine and lets me answer one as if from my own mail client, so
// that the demo shows a reply threaded back into the page, live.
#include "server/http/pages.h"

#include <regex>

#include "server/domain/domain.h"
#include "server/mail/compose.h"
#include "server/mail/outbox.h"
#include "server/base/text.h"

namespace parley::server {

Result<MailInResult> Domain::dev_mail_reply(const User& me, int64_t mail_id, const std::string& text) {
    DomainError missing{404, "not_found", "No such mail in your development mailbox."};
    if (!outbox_ || !outbox_->dev_mailbox() || !mail_in_) return missing;
    auto row = outbox_->store().get(mail_id);
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
    return receive_mail(compose_message(in));
}

namespace {
// Links of an escaped text made clickable, as a mail client shows them (the demo's
// "Reply" link signs in and opens the composer).
std::string linkify(const std::string& escaped) {
    static const std::regex url(R"((https?://[^\s<"]+))");
    return std::regex_replace(escaped, url, "<a href=\"$1\">$1</a>");
}
}  // namespace

std::string dev_mailbox_html(Domain& domain, const User& me, const std::string& notice, bool notice_ok) {
    std::string s =
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<title>Development mailbox</title><style>"
        "body{font-family:sans-serif;max-width:48em;margin:1.5em auto;padding:0 1em;color:#111827}"
        ".dev{background:#fef3c7;border:1px solid #f59e0b;padding:.6em 1em;border-radius:8px}"
        ".mail{border:1px solid #e5e7eb;border-radius:10px;padding:1em;margin:1em 0}"
        ".meta{color:#6b7280;font-size:.9em}pre{white-space:pre-wrap;font-family:inherit}"
        "textarea{width:100%;min-height:5em;font:inherit;box-sizing:border-box}"
        "button{font:inherit;padding:.5em 1.2em;margin-top:.4em}"
        ".ok{color:#047857}.bad{color:#dc2626}</style></head><body>"
        "<p class=\"dev\"><b>Development mailbox.</b> No SMTP server is configured, so e-mail to you "
        "is kept here instead of being sent. Answering a mail here sends a real reply e-mail "
        "to its Reply-To address, as your mail client would.</p>"
        "<h1>Mail to " + html_escape(me.name) + "</h1><p><a href=\"/\">Back to Parley</a></p>";
    if (!notice.empty())
        s += "<p role=\"status\" class=\"" + std::string(notice_ok ? "ok" : "bad") + "\">" + html_escape(notice) + "</p>";
    Mailer* m = domain.mailer();
    auto box = nlohmann::json::parse(m ? m->mailbox_json(me.id, 50) : "{}", nullptr, false);
    if (!box.is_object() || !box.contains("messages") || box["messages"].empty()) s += "<p>No mail yet.</p>";
    else
        for (const auto& x : box["messages"]) {
            const std::string id = std::to_string(x.value("id", int64_t{0}));
            const auto& hd = x.contains("headers") ? x["headers"] : nlohmann::json::object();
            s += "<div class=\"mail\"><div class=\"meta\">" + html_escape(hd.value("From", std::string())) + " · " +
                 html_escape(hd.value("Date", std::string())) + " · " + html_escape(x.value("kind", std::string())) +
                 "</div><h2>" + html_escape(x.value("subject", std::string())) + "</h2><pre>" +
                 linkify(html_escape(x.value("text", std::string()))) + "</pre>";
            if (!hd.value("Reply-To", std::string()).empty())
                s += "<form method=\"post\" action=\"/dev/mailbox/" + id + "/reply\"><label for=\"r" + id +
                     "\">Reply by e-mail</label><textarea id=\"r" + id + "\" name=\"text\"></textarea>"
                     "<button type=\"submit\">Send reply</button></form>";
            s += "</div>";
        }
    return s + "</body></html>\n";
}

}  // namespace parley::server
