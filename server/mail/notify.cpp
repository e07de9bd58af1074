// Notification e-mails of domain events. See notify.h.
#include "server/mail/notify.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "net/quote.h"
#include "server/mail/texts.h"
#include "server/base/text.h"

namespace parley::server {

// ---------------------------------------------------------------- helpers

std::optional<UserRecord> MailContext::user(int64_t id) const {
    if (!cache) return store.user(id);
    auto it = cache->users.find(id);
    if (it == cache->users.end()) it = cache->users.emplace(id, store.user(id)).first;
    return it->second;
}

std::optional<RequestRecord> MailContext::request(int64_t id) const {
    if (!cache) return store.request(id);
    auto it = cache->requests.find(id);
    if (it == cache->requests.end()) it = cache->requests.emplace(id, store.request(id)).first;
    return it->second;
}

std::string url_encode(std::string_view s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '.' || c == '_' || c == '~' || c == '/';
        if (keep) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string mail_link(const std::string& public_url, const std::string& token, const std::string& next) {
    return public_url + "/login/" + token + "?next=" + url_encode(next);
}

std::string cap_body(std::string_view body, size_t cap, bool& cut) {
    cut = body.size() > cap;
    if (!cut) return std::string(body);
    size_t n = cap;
    while (n > 0 && (static_cast<unsigned char>(body[n]) & 0xC0) == 0x80) --n;
    // Prefer a word boundary when one is near (the last 200 bytes).
    size_t space = body.substr(0, n).find_last_of(" \n");
    if (space != std::string_view::npos && space + 200 >= n) n = space;
    return std::string(trim(body.substr(0, n))) + "\xE2\x80\xA6";
}

namespace {

const char* kButtonStyle =
    "display:inline-block;padding:.7em 1.6em;background:#1a56db;color:#fff;font-size:1.1em;font-weight:bold;"
    "text-decoration:none;border-radius:6px";
const char* kQuoteStyle = "margin:0 0 1em;padding-left:1em;border-left:3px solid #ccc";

// One mail's text and HTML parts, written side by side so that both carry the same
// content and the same links.
struct Body {
    std::string text, html;

    void para(const std::string& s) {
        text += s + "\n\n";
        html += "<p>" + html_escape(s, true) + "</p>\n";
    }
    void quoted(const std::string& s) {
        text += s + "\n\n";
        html += "<blockquote style=\"" + std::string(kQuoteStyle) + "\">" + html_escape(s, true) + "</blockquote>\n";
    }
    void link(const std::string& label, const std::string& url) {
        text += label + ": " + url + "\n\n";
        html += "<p><a href=\"" + html_escape(url) + "\">" + html_escape(label) + "</a></p>\n";
    }
    void button(const std::string& label, const std::string& url) {
        text += label + ": " + url + "\n\n";
        html += "<p><a href=\"" + html_escape(url) + "\" style=\"" + kButtonStyle + "\">" + html_escape(label) +
                "</a></p>\n";
    }
    void files(const std::string& title, const std::vector<std::pair<std::string, std::string>>& items) {
        if (items.empty()) return;
        text += title + "\n";
        html += "<p>" + html_escape(title) + "</p><ul>\n";
        for (const auto& [name, url] : items) {
            text += "- " + name + ": " + url + "\n";
            html += "<li><a href=\"" + html_escape(url) + "\">" + html_escape(name) + "</a></li>\n";
        }
        text += "\n";
        html += "</ul>\n";
    }
    void footer(const std::string& s) {
        text += "-- \n" + s + "\n";
        html = "<!doctype html><html><body style=\"font-family:sans-serif\">\n" + html +
               "<p style=\"color:#666;font-size:small\">" + html_escape(s) + "</p>\n</body></html>\n";
    }
};

// What every mail about one request needs.
struct Facts {
    const MailContext& mc;
    const RequestFacts& f;
    RequestRecord request;
    UserRecord buyer;
};

std::optional<Facts> load(const MailContext& mc, const RequestFacts& f) {
    auto r = mc.request(f.id);
    auto b = mc.user(f.buyer_id);
    if (!r || !b) return std::nullopt;
    return Facts{mc, f, std::move(*r), std::move(*b)};
}

// "Name (Company)" — what a seller is to a mail reader.
std::string name_of(const UserRecord& u) { return u.company.empty() ? u.name : u.name + " (" + u.company + ")"; }

// The buyer as sellers may see them: name, company, country (named in the mail's
// language) — never e-mail or phone.
std::string buyer_of(const UserRecord& b, const std::string& lang) {
    std::string extra = b.company;
    if (!b.country.empty()) extra += (extra.empty() ? "" : ", ") + locale::country_name(b.country, lang);
    return extra.empty() ? b.name : b.name + " (" + extra + ")";
}

// The users who may see an event with this audience (the policy), minus the actor and
// those without an address; `buyer_side` keeps only the buyer (true), only the seller
// side (false), or everyone (nullopt).
std::vector<UserRecord> recipients(const Facts& x, Audience audience, int64_t conversation, int64_t actor,
                                   std::optional<bool> buyer_side) {
    std::vector<UserRecord> out;
    for (int64_t uid : audience_users(x.f, audience, conversation, actor)) {
        if (uid == actor) continue;
        if (buyer_side && (uid == x.f.buyer_id) != *buyer_side) continue;
        auto u = x.mc.user(uid);
        if (u && !u->email.empty()) out.push_back(std::move(*u));
    }
    return out;
}

// Whether `u` may see the messages of `conversation` (for mails addressed to one person).
bool sees(const RequestFacts& f, const UserRecord& u, int64_t conversation) {
    return access_of(u.id, u.role, f).in(conversation);
}

struct Draft {
    std::string kind;
    int64_t conversation_id = 0, message_ref = 0;
    std::string from_name, subject;
    Body body;
};

void send(const Facts& x, const UserRecord& to, Draft d) {
    OutgoingMail m;
    m.to_user_id = to.id;
    m.to_address = to.email;
    m.to_name = to.name;
    m.kind = std::move(d.kind);
    m.request_id = x.f.id;
    m.conversation_id = d.conversation_id;
    m.message_ref = d.message_ref;
    m.from_name = std::move(d.from_name);
    m.subject = std::move(d.subject);
    m.text = std::move(d.body.text);
    m.html = std::move(d.body.html);
    x.mc.mailer.enqueue(m);
}

// The sign-in links of one mail to one recipient (one token for all its links).
struct Links {
    std::string reply, open, quote;
};
Links links_for(const Facts& x, const UserRecord& to, int64_t quote_id = 0) {
    std::string token = x.mc.link_token(to.id, x.f.id);
    std::string page = "/requests/" + std::to_string(x.f.id);
    Links l;
    l.reply = mail_link(x.mc.public_url, token, page + "?reply=1");
    l.open = mail_link(x.mc.public_url, token, page);
    if (quote_id > 0) l.quote = mail_link(x.mc.public_url, token, page + "?quote=" + std::to_string(quote_id));
    return l;
}

// A quoted text, cut at kMailBodyCap with the "continue on the page" link.
void quoted_capped(Body& b, const std::string& lang, std::string_view s, const Links& l) {
    bool cut = false;
    b.quoted(cap_body(s, kMailBodyCap, cut));
    if (cut) b.link(mail_text(lang, "body_truncated"), l.open);
}

std::string via(const std::string& name) { return name + " via Parley"; }

}  // namespace

// ---------------------------------------------------------------- kinds

void notify_new_request(const MailContext& mc, const RequestFacts& facts) {
    auto x = load(mc, facts);
    if (!x) return;
    std::vector<int64_t> done;
    for (const auto& c : facts.conversations) {
        for (const auto& to : recipients(*x, Audience::conversation_sellers, c.id, facts.buyer_id, false)) {
            if (std::find(done.begin(), done.end(), to.id) != done.end()) continue;  // one mail each
            done.push_back(to.id);
            std::string lang = mail_language(to.language);
            Links l = links_for(*x, to);
            Draft d{"new_request", c.id, 0, via(x->buyer.name),
                    mail_t(lang, "subject_new_request", {{"product", x->request.product}}), {}};
            d.body.para(mail_t(lang, "intro_new_request",
                               {{"buyer", buyer_of(x->buyer, lang)}, {"product", x->request.product}}));
            quoted_capped(d.body, lang, x->request.message, l);
            d.body.button(mail_text(lang, "button_reply"), l.reply);
            d.body.footer(mail_text(lang, "footer"));
            send(*x, to, std::move(d));
        }
    }
}

void notify_new_reply(const MailContext& mc, const RequestFacts& facts, int64_t conversation_id,
                      const Message& message, bool own_copy) {
    const ConversationFacts* conv = facts.conversation(conversation_id);
    auto x = load(mc, facts);
    auto author = mc.user(message.author_id);
    if (!conv || !x || !author) return;
    const bool from_buyer = message.author_id == facts.buyer_id;

    // The mail around the message, in one recipient's language.
    auto compose = [&](const UserRecord& to, const std::string& kind, const std::string& intro_id,
                       const std::string& recipient_name) {
        std::string lang = mail_language(to.language);
        Links l = links_for(*x, to);
        Draft d{kind, conversation_id, message.id, kind == "own_copy" ? "" : via(author->name),
                mail_t(lang, kind == "own_copy" ? "subject_own_copy" : "subject_reply",
                       {{"product", x->request.product}}),
                {}};
        std::string who = from_buyer ? buyer_of(*author, lang) : name_of(*author);
        d.body.para(mail_t(lang, intro_id,
                           {{"author", who}, {"recipient", recipient_name}, {"product", x->request.product}}));
        if (!trim(message.body).empty()) quoted_capped(d.body, lang, message.body, l);
        std::vector<std::pair<std::string, std::string>> files;
        for (const auto& a : message.attachments)
            files.emplace_back(a.name, mc.public_url + "/api/v1/attachments/" + std::to_string(a.id));
        d.body.files(mail_text(lang, "label_attachments"), files);
        if (kind == "own_copy") d.body.button(mail_text(lang, "button_open"), l.open);
        else d.body.button(mail_text(lang, "button_reply"), l.reply);
        d.body.footer(mail_text(lang, "footer"));
        send(*x, to, std::move(d));
    };

    std::vector<std::string> others;
    for (const auto& to : recipients(*x, Audience::conversation, conversation_id, message.author_id, !from_buyer)) {
        others.push_back(from_buyer ? name_of(to) : to.name);
        compose(to, "new_reply", "intro_reply", "");
    }
    // The author's copy names who the message went to (as the page would show them).
    if (own_copy && !author->email.empty() && sees(facts, *author, conversation_id)) {
        std::string to_name;
        if (from_buyer) {
            if (auto owner = mc.user(conv->seller_id)) to_name = name_of(*owner);
        } else {
            to_name = buyer_of(x->buyer, mail_language(author->language));
        }
        compose(*author, "own_copy", "intro_own_copy", to_name);
    }
}

void notify_recipient_added(const MailContext& mc, const RequestFacts& facts, int64_t conversation_id,
                            int64_t actor_id, int64_t target_id, const std::string& note, bool forward) {
    auto x = load(mc, facts);
    auto actor = mc.user(actor_id);
    auto to = mc.user(target_id);
    if (!x || !actor || !to || to->id == actor_id || to->email.empty()) return;
    // They get exactly the rights of whoever added them: only a conversation they now see.
    Access a = access_of(to->id, to->role, facts);
    if (!may_see(a, facts, Audience::conversation_sellers, conversation_id, actor_id)) return;
    std::string lang = mail_language(to->language);
    Links l = links_for(*x, *to);
    std::string kind = forward ? "forwarded" : "cc_added";
    Draft d{kind, conversation_id, 0, via(actor->name),
            mail_t(lang, forward ? "subject_forwarded" : "subject_cc_added", {{"product", x->request.product}}), {}};
    d.body.para(mail_t(lang, forward ? "intro_forwarded" : "intro_cc_added",
                       {{"actor", name_of(*actor)}, {"product", x->request.product}}));
    if (!trim(note).empty()) {
        d.body.para(mail_t(lang, "label_note", {{"actor", actor->name}}));
        d.body.quoted(note);
    }
    d.body.para(mail_t(lang, "label_request", {{"buyer", buyer_of(x->buyer, lang)}}));
    quoted_capped(d.body, lang, x->request.message, l);
    d.body.button(mail_text(lang, "button_reply"), l.reply);
    d.body.footer(mail_text(lang, "footer"));
    send(*x, *to, std::move(d));
}

void notify_declined(const MailContext& mc, const RequestFacts& facts, int64_t conversation_id, int64_t actor_id,
                     const std::string& reason, const std::string& text) {
    auto x = load(mc, facts);
    auto actor = mc.user(actor_id);
    if (!x || !actor) return;
    // The decline event's audience (Audience::conversation): the buyer and the seller side
    // of that conversation; the buyer is told the reason, not the free text.
    for (const auto& to : recipients(*x, Audience::conversation, conversation_id, actor_id, std::nullopt)) {
        bool buyer = to.id == facts.buyer_id;
        std::string lang = mail_language(to.language);
        Links l = links_for(*x, to);
        Draft d{"declined", conversation_id, 0, via(actor->name),
                mail_t(lang, "subject_declined", {{"product", x->request.product}}), {}};
        d.body.para(mail_t(lang, buyer ? "intro_declined_buyer" : "intro_declined_seller",
                           {{"actor", name_of(*actor)}, {"product", x->request.product}}));
        std::string why = mail_text(lang, "reason_" + reason);
        if (!why.empty()) d.body.para(mail_t(lang, "label_reason", {{"reason", why}}));
        if (!buyer && !trim(text).empty()) d.body.quoted(text);
        d.body.button(mail_text(lang, "button_open"), l.open);
        d.body.footer(mail_text(lang, "footer"));
        send(*x, to, std::move(d));
    }
}

void notify_reply_held(const MailContext& mc, const RequestFacts& facts, int64_t conversation_id, int64_t owner_id,
                       const std::string& subject) {
    auto x = load(mc, facts);
    auto to = mc.user(owner_id);
    if (!x || !to || to->email.empty() || !sees(facts, *to, conversation_id)) return;
    std::string lang = mail_language(to->language);
    Links l = links_for(*x, *to);
    // No conversation: an answer to this mail must not be taken as a reply in the thread.
    Draft d{"reply_held", 0, 0, "Parley", mail_t(lang, "subject_reply_held", {{"product", x->request.product}}), {}};
    d.body.para(mail_t(lang, "intro_reply_held",
                       {{"product", x->request.product}, {"subject", utf8_prefix(subject, 200)}}));
    d.body.button(mail_text(lang, "button_open"), l.open);
    d.body.footer(mail_text(lang, "footer"));
    send(*x, *to, std::move(d));
}

void notify_quote(const MailContext& mc, const RequestFacts& facts, const Quote& q, std::string_view kind,
                  int64_t actor_id) {
    auto x = load(mc, facts);
    if (!x || !facts.conversation(q.conversation_id)) return;
    auto actor = mc.user(actor_id);
    const ConversationFacts* conv = facts.conversation(q.conversation_id);
    auto seller = mc.user(conv->seller_id);
    std::string seller_name = seller ? name_of(*seller) : "";

    auto compose = [&](const UserRecord& to, const std::string& mail_kind, const char* subject_id,
                       const char* intro_id, const std::string& from) {
        std::string lang = mail_language(to.language);
        Links l = links_for(*x, to, q.id);
        std::string total = format_money(q.totals.total, q.currency, lang);
        Draft d{mail_kind, q.conversation_id, 0, from,
                mail_t(lang, subject_id, {{"number", q.number}, {"product", x->request.product}}), {}};
        d.body.para(mail_t(lang, intro_id,
                           {{"actor", actor ? name_of(*actor) : seller_name},
                            {"buyer", buyer_of(x->buyer, lang)},
                            {"seller", seller_name},
                            {"number", q.number},
                            {"version", std::to_string(q.version)},
                            {"total", total},
                            {"product", x->request.product}}));
        d.body.button(mail_text(lang, "button_view_quote"), l.quote);
        d.body.footer(mail_text(lang, "footer"));
        send(*x, to, std::move(d));
    };

    if (kind == "quote_sent") {
        for (const auto& to : recipients(*x, Audience::conversation, q.conversation_id, actor_id, true))
            compose(to, "quote_sent", "subject_quote_sent", "intro_quote_sent", actor ? via(actor->name) : "");
    } else if (kind == "quote_accepted") {
        for (const auto& to : recipients(*x, Audience::conversation_sellers, q.conversation_id, actor_id, false))
            compose(to, "quote_accepted", "subject_quote_accepted", "intro_quote_accepted", via(x->buyer.name));
    } else if (kind == "quote_paid") {
        for (const auto& to : recipients(*x, Audience::conversation_sellers, q.conversation_id, actor_id, false))
            compose(to, "quote_paid", "subject_quote_paid", "intro_quote_paid", "");
        // The buyer's receipt: confirmed by the payment provider, not something they did here.
        if (!x->buyer.email.empty() && sees(facts, x->buyer, q.conversation_id))
            compose(x->buyer, "payment_receipt", "subject_receipt", "intro_receipt", "");
    }
}

void notify_sign_in_link(Mailer& mailer, const UserRecord& to, const std::string& url) {
    if (to.email.empty()) return;
    const std::string lang = mail_language(to.language);
    Body b;
    b.para(mail_t(lang, "intro_sign_in", {{"name", to.name}}));
    b.button(mail_text(lang, "button_sign_in"), url);
    b.para(mail_text(lang, "note_sign_in"));
    b.footer(mail_text(lang, "footer_sign_in"));
    OutgoingMail m;
    m.to_user_id = to.id;
    m.to_address = to.email;
    m.to_name = to.name;
    m.kind = "sign_in";
    m.subject = mail_text(lang, "subject_sign_in");
    m.text = std::move(b.text);
    m.html = std::move(b.html);
    m.reply_via_relay = false;
    mailer.enqueue(m);
}

}  // namespace parley::server
