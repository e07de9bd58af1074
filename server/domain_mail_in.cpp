// Inbound replies (issue 6): a raw e-mail to a relay address becomes a message of that
// participant, through post_message (events, live long-poll, notifications). See
// mail_in.h. Threading is by relay token only here (In-Reply-To/References fallback:
// not yet). Attachments of inbound mails are not imported yet.
#include <cctype>

#include <nlohmann/json.hpp>

#include "server/attachments.h"
#include "server/domain.h"
#include "server/log.h"
#include "server/mail_parse.h"
#include "server/reply_strip.h"
#include "server/workflow.h"

namespace parley::server {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string_view trim_ws(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

// At most `max` bytes of valid UTF-8 `s`, cut before a continuation byte.
std::string utf8_prefix(const std::string& s, size_t max) {
    if (s.size() <= max) return s;
    while (max > 0 && (static_cast<unsigned char>(s[max]) & 0xC0) == 0x80) --max;
    return s.substr(0, max);
}

MailInResult refused(std::string reason, std::string detail) {
    MailInResult r;
    r.status = kMailInRefused;
    r.reason = std::move(reason);
    r.detail = std::move(detail);
    return r;
}

}  // namespace

// ---------------------------------------------------------------- pure helpers

std::vector<std::string> mail_envelope_recipients(std::string_view raw) {
    std::vector<std::string> out;
    std::string field, value;
    bool in_wanted = false;
    auto flush = [&] {
        if (in_wanted) {
            std::string_view v = trim_ws(value);
            if (!v.empty() && v.front() == '<') v.remove_prefix(1);
            if (!v.empty() && v.back() == '>') v.remove_suffix(1);
            v = trim_ws(v);
            if (!v.empty()) out.emplace_back(v);
        }
        in_wanted = false;
        value.clear();
    };
    size_t pos = 0;
    while (pos < raw.size()) {
        size_t eol = raw.find('\n', pos);
        std::string_view line = raw.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
        pos = eol == std::string_view::npos ? raw.size() : eol + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty()) break;  // end of the header block
        if (line.front() == ' ' || line.front() == '\t') {  // folded continuation
            if (in_wanted) value += std::string(line);
            continue;
        }
        flush();
        size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        std::string name = lower(trim_ws(line.substr(0, colon)));
        if (name == "delivered-to" || name == "x-original-to") {
            in_wanted = true;
            value = std::string(line.substr(colon + 1));
        }
        if (out.size() > 20) break;
    }
    flush();
    return out;
}

std::optional<RelayId> find_relay_recipient(const RelayKey& key, const std::vector<std::string>& candidates,
                                            bool* saw_relay) {
    if (saw_relay) *saw_relay = false;
    for (const auto& a : candidates) {
        size_t at = a.rfind('@');
        if (at == std::string::npos || at < 2) continue;
        std::string local = lower(std::string_view(a).substr(0, at));
        if (local.rfind("r+", 0) != 0) continue;
        if (saw_relay) *saw_relay = true;
        if (auto id = verify_relay_token(key, std::string_view(local).substr(2))) return id;
    }
    return std::nullopt;
}

std::string mail_in_key(std::string_view message_id, std::string_view raw) {
    std::string_view id = trim_ws(message_id);
    if (!id.empty() && id.size() <= 500) return std::string(id);
    return "sha256:" + sha256_hex(raw);
}

// ---------------------------------------------------------------- the store

SqliteMailInStore::SqliteMailInStore(const std::string& db_path) : db_(db_path) {}

std::optional<SqliteMailInStore::Row> SqliteMailInStore::find(const std::string& key) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt(
        "SELECT key, conversation_id, user_id, status, message_id, event_id, subject, received "
        "FROM mail_in WHERE key = ?1");
    s.bind(1, key);
    if (!s.step()) return std::nullopt;
    Row r;
    r.key = s.text(0);
    r.conversation_id = s.i64(1);
    r.user_id = s.i64(2);
    r.status = s.text(3);
    r.message_id = s.i64(4);
    r.event_id = s.i64(5);
    r.subject = s.text(6);
    r.received = s.i64(7);
    return r;
}

bool SqliteMailInStore::add(const Row& r) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt(
        "INSERT OR IGNORE INTO mail_in(key, conversation_id, user_id, status, message_id, event_id, subject, raw, "
        "received) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    s.bind(1, r.key).bind(2, r.conversation_id).bind(3, r.user_id).bind(4, r.status).bind(5, r.message_id);
    s.bind(6, r.event_id).bind(7, r.subject).bind(8, r.raw).bind(9, r.received);
    s.run();
    return db_.changes() > 0;
}

std::optional<std::string> SqliteMailInStore::raw_of_message(int64_t message_id) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt("SELECT raw FROM mail_in WHERE message_id = ?1 AND message_id > 0");
    s.bind(1, message_id);
    if (!s.step()) return std::nullopt;
    return s.text(0);
}

int64_t SqliteMailInStore::request_of(int64_t conversation_id) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt("SELECT request_id FROM conversations WHERE id = ?1");
    s.bind(1, conversation_id);
    return s.step() ? s.i64(0) : 0;
}

// ---------------------------------------------------------------- the domain

void Domain::set_mail_in(const RelayKey& key, const std::string& db_path) {
    relay_key_ = key;
    mail_in_ = std::make_unique<SqliteMailInStore>(db_path);
}

MailInResult Domain::receive_mail(std::string_view raw) {
    if (!mail_in_) return refused("not_configured", "Inbound e-mail is not configured.");
    std::string error;
    auto mail = parse_mail(raw, &error);
    if (!mail) return refused("unparseable", "The message cannot be read: " + error);

    // The relay address: envelope recipient first, then To and Cc.
    std::vector<std::string> candidates = mail_envelope_recipients(raw);
    candidates.insert(candidates.end(), mail->to.begin(), mail->to.end());
    candidates.insert(candidates.end(), mail->cc.begin(), mail->cc.end());
    bool saw_relay = false;
    auto id = find_relay_recipient(relay_key_, candidates, &saw_relay);
    if (!id)
        return saw_relay ? refused("invalid_relay_address", "The reply address is not valid (unknown or altered).")
                         : refused("no_relay_address", "The message is not addressed to a Parley reply address.");
    auto user = store_.user(id->user_id);
    int64_t request_id = mail_in_->request_of(id->conversation_id);
    if (!user || request_id == 0) return refused("invalid_relay_address", "The conversation no longer exists.");
    if (user->email.empty() || lower(trim_ws(mail->from_address)) != lower(trim_ws(user->email)))
        return refused("sender_mismatch", "Only the participant this reply address belongs to may write to it.");
    User me = user->to_wire();
    if (!view(me, request_id)) return refused("not_participant", "You no longer take part in this request.");

    MailInResult out;
    out.request_id = request_id;
    out.conversation_id = id->conversation_id;
    out.user_id = id->user_id;
    std::lock_guard lk(mail_in_mu_);  // one inbound mail at a time: check-then-insert below
    // Scoped to the relay address: nobody can pre-empt another's Message-ID.
    const std::string key = "c" + std::to_string(id->conversation_id) + ".u" + std::to_string(id->user_id) + ":" +
                            mail_in_key(mail->message_id, raw);
    if (auto earlier = mail_in_->find(key)) {
        out.status = kMailInDuplicate;
        out.message_id = earlier->message_id;
        return out;
    }
    SqliteMailInStore::Row row;
    row.key = key;
    row.conversation_id = id->conversation_id;
    row.user_id = id->user_id;
    row.subject = mail->subject;
    row.raw = std::string(raw);
    row.received = now_();

    if (mail->auto_reply) {
        Hub::Wakeups wake;
        {
            std::lock_guard wl(write_mu_);
            EventRecord e = make_event(request_id, id->conversation_id, "auto_reply", Audience::conversation,
                                       id->user_id, now_());
            e.event.text = utf8_prefix(mail->subject, 300);
            Event stored = store_.add_event(e);
            e.event = stored;
            publish({e}, wake);
            row.event_id = stored.id;
        }
        wake.deliver();
        row.status = kMailInAutoReply;
        mail_in_->add(row);
        out.status = kMailInAutoReply;
        return out;
    }

    std::string text = strip_reply(mail->text);
    if (trim_ws(text).empty())
        return refused("empty_message", "No new text was found above the quoted message.");
    // The idempotency key of the post: a second delivery (even from another process
    // racing this one) finds the same message.
    std::string idem = "mail:" + sha256_hex(key);
    nlohmann::json body = {{"body", text}, {"conversation_id", id->conversation_id}};
    auto posted = post_message(me, request_id, &idem, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    if (!posted) return refused(posted.error.code, posted.error.message);
    row.status = kMailInPosted;
    row.message_id = posted->message.id;
    mail_in_->add(row);
    out.status = posted->created ? kMailInPosted : kMailInDuplicate;
    out.message_id = posted->message.id;
    if (!mail->attachments.empty())
        log_line("parley: inbound mail " + std::to_string(mail->attachments.size()) +
                 " attachment(s) not imported (not supported yet)");
    return out;
}

}  // namespace parley::server
