// HTML pages served outside the single-page client: sign-in links and the development
// mailbox. See pages.h; the handlers are rows of the route table (handlers.h).
#include "server/http/pages.h"

#include <regex>

#include <nlohmann/json.hpp>

#include "server/base/text.h"
#include "server/domain/domain.h"
#include "server/http/handlers.h"
#include "server/http/util.h"

namespace parley::server {

std::string html_page(const std::string& title, const std::string& text) {
    return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
           "<title>" + title + "</title></head><body style=\"font-family:sans-serif;max-width:36em;"
           "margin:4em auto;padding:0 1em\"><h1>" + title + "</h1><p>" + text + "</p></body></html>\n";
}

Headers page_headers() {
    return {{"X-Content-Type-Options", "nosniff"}, {"Referrer-Policy", "same-origin"}, {"Cache-Control", "no-store"}};
}

std::string session_cookie(const HttpOptions& o, const std::string& token, Millis max_age_ms) {
    std::string c = std::string(kSessionCookie) + "=" + token + "; HttpOnly; SameSite=Lax; Path=/; Max-Age=" +
                    std::to_string(max_age_ms / 1000);
    if (o.secure_cookies) c += "; Secure";
    return c;
}

// GET /login/{token}: a new session, then on to ?next= (a local path) or, for a link
// from an e-mail, to its request whatever `next` says.
void get_login(Call& c) {
    auto session = c.domain().login(c.arg);
    if (!session)
        return c.ex.send(401, kHtmlType,
                         html_page("This sign-in link is invalid",
                                   "The link is invalid or has expired. Ask for a new sign-in link."),
                         page_headers());
    std::string location = "/";
    auto next = query_param(c.ex.query(), "next");
    if (session->request_id > 0) location = scoped_landing(session->request_id, next.value_or(""));
    else if (next && is_local_path(*next)) location = *next;
    Headers h = page_headers();
    h.emplace_back("Location", location);
    // A notification's link makes a scoped session; one who is already signed in to the
    // whole account as the same person keeps that session instead.
    const std::string cookie = c.ex.header("Cookie");
    const std::string_view held = cookie_value(cookie, kSessionCookie);
    auto current = session->request_id > 0 && !held.empty() ? c.domain().session(held) : std::nullopt;
    if (current && current->scope == 0 && current->user.id == session->user.id)
        c.domain().logout(session->session_token);
    else
        h.emplace_back("Set-Cookie", session_cookie(c.site.options, session->session_token, session->max_age_ms));
    c.ex.send(302, kHtmlType, html_page("Signed in", "Continue to <a href=\"/\">Parley</a>."), h);
}

namespace {
Headers mailbox_headers() {
    Headers h = page_headers();
    h.emplace_back("Content-Security-Policy",
                   "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
    return h;
}
}  // namespace

// GET /dev/mailbox: my mails (kept without SMTP), with the result of the last reply.
void get_dev_mailbox_page(Call& c) {
    if (!c.domain().mailer())
        return c.ex.send(404, kHtmlType, html_page("Not found", "E-mail is not enabled."), mailbox_headers());
    std::string_view q = c.ex.query();
    std::string result = query_param(q, "result").value_or("");
    std::string notice = result == "posted"      ? "Your reply was posted: it is in the request's page now."
                         : result == "duplicate" ? "This reply had already been posted."
                         : result.empty()        ? ""
                                                 : "Not posted: " + query_param(q, "why").value_or(result);
    c.ex.send(200, kHtmlType, dev_mailbox_html(c.domain(), *c.me, notice, result == "posted"), mailbox_headers());
}

// POST /dev/mailbox/{id}/reply (form field `text`): answers one mail by e-mail, then
// 303 back to the mailbox (no resubmission on reload). The reply goes through e-mail in,
// read on its own threads (mail_in_queue.h); 503 when too many mails are being read.
void post_dev_mailbox_reply(Call& c) {
    if (!c.domain().mailer())
        return c.ex.send(404, kHtmlType, html_page("Not found", "E-mail is not enabled."), mailbox_headers());
    Domain& domain = c.domain();
    std::string text = query_param(c.ex.body(), "text").value_or("");
    const size_t bytes = text.size();
    Headers busy = mailbox_headers();
    busy.emplace_back("Retry-After", "5");
    answer_from_mail_in(c, bytes, [&domain, me = *c.me, id = c.id, text = std::move(text)] {
        auto r = domain.dev_mail_reply(me, id, text);
        std::string to = "/dev/mailbox?result=";
        if (!r) to += "error&why=" + form_encode(r.error.message);
        else if (r->status == kMailInRefused) to += "error&why=" + form_encode(r->detail);
        else to += r->status;
        Headers h = mailbox_headers();
        h.emplace_back("Location", to);
        return Answer{303, kHtmlType, html_page("Sent", "Back to <a href=\"/dev/mailbox\">the mailbox</a>."), h};
    }, Answer{503, kHtmlType, html_page("Busy", "Too many e-mails are being read right now: go back and send it again "
                                                "in a few seconds."), busy});
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
    domain.settle_notifications();  // the mails of every post so far
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
