// Inbound replies (issue 6): a raw e-mail to a relay address becomes a message of that
// participant, through post_message (events, live long-poll, notifications). See
// mail_in.h. Threading: the relay token first (envelope, Delivered-To, To, Cc), then
// In-Reply-To/References against our outbox's Message-IDs. Attachments are imported
// as the author's uploads under the upload rules; refused ones are named in a note.
#include <cctype>

#include <nlohmann/json.hpp>

#include "server/documents/files.h"
#include "server/domain/domain.h"
#include "server/base/log.h"
#include "server/mail/parse.h"
#include "server/mail/reply_strip.h"
#include "server/domain/workflow.h"

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

std::vector<std::string> mail_thread_candidates(const std::string& in_reply_to,
                                                const std::vector<std::string>& references) {
    std::vector<std::string> out;
    auto add = [&](std::string_view id) {
        id = trim_ws(id);
        if (id.empty() || id.size() > 500 || out.size() >= 20) return;
        for (const auto& o : out)
            if (o == id) return;
        out.emplace_back(id);
    };
    add(in_reply_to);
    for (auto it = references.rbegin(); it != references.rend(); ++it) add(*it);  // newest last in the header
    return out;
}

std::string mask_address(std::string_view raw, std::string_view address, std::string_view replacement) {
    address = trim_ws(address);
    if (address.empty()) return std::string(raw);
    const std::string needle = lower(address);
    std::string out;
    out.reserve(raw.size());
    size_t i = 0;
    while (i < raw.size()) {
        bool hit = raw.size() - i >= needle.size();
        for (size_t k = 0; hit && k < needle.size(); ++k)
            hit = std::tolower(static_cast<unsigned char>(raw[i + k])) == static_cast<unsigned char>(needle[k]);
        if (hit) {
            out += replacement;
            i += needle.size();
        } else {
            out += raw[i++];
        }
    }
    return out;
}

std::string refused_attachment_note(std::string_view name, std::string_view why) {
    std::string n(name);
    for (char& c : n)
        if (c == '"' || c == '[' || c == ']') c = '\'';
    return "[attachment \"" + n + "\" not accepted: " + std::string(why) + "]";
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

std::optional<SqliteMailInStore::Original> SqliteMailInStore::original(int64_t message_id) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt(
        "SELECT m.request_id, m.conversation_id, m.author_id, i.raw FROM mail_in i "
        "JOIN messages m ON m.id = i.message_id WHERE i.message_id = ?1 AND i.message_id > 0 ORDER BY i.id LIMIT 1");
    s.bind(1, message_id);
    if (!s.step()) return std::nullopt;
    return Original{s.i64(0), s.i64(1), s.i64(2), s.text(3)};
}

std::optional<RelayId> SqliteMailInStore::thread_of(const std::string& message_id) {
    std::lock_guard lk(db_.mu);
    // outbox.message_id is stored with its angle brackets (UNIQUE index).
    auto s = db_.stmt("SELECT conversation_id, to_user_id FROM outbox WHERE message_id = ?1");
    s.bind(1, "<" + message_id + ">");
    if (!s.step() || s.i64(0) <= 0 || s.i64(1) <= 0) return std::nullopt;
    return RelayId{s.i64(0), s.i64(1)};
}

int64_t SqliteMailInStore::request_of(int64_t conversation_id) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt("SELECT request_id FROM conversations WHERE id = ?1");
    s.bind(1, conversation_id);
    return s.step() ? s.i64(0) : 0;
}

// ---------------------------------------------------------------- the domain

void Domain::set_mail_in(const RelayKey& key, const std::string& db_path, std::string relay_domain) {
    relay_key_ = key;
    relay_domain_ = std::move(relay_domain);
    mail_in_ = std::make_unique<SqliteMailInStore>(db_path);
}

std::vector<int64_t> Domain::import_mail_attachments(const User& me, int64_t request_id, int64_t conversation,
                                                     std::vector<ParsedAttachment>& parts, std::string* notes) {
    std::vector<int64_t> ids;
    auto note = [&](const std::string& name, const char* why) {
        if (!notes->empty()) *notes += "\n";
        *notes += refused_attachment_note(name, why);
    };
    for (auto& part : parts) {
        std::string name = sanitize_file_name(part.name);
        if (part.refused || ids.size() >= kMaxAttachmentsPerMessage) {
            bool large = part.refused && part.refusal == "too_large";
            note(name, large ? "larger than 10 MB" : "more than 10 attachments");
            continue;
        }
        if (part.bytes.empty()) {
            note(name, "empty file");
            continue;
        }
        UploadParams p;
        p.kind = "other";
        p.name = name;
        p.conversation_id = conversation;
        // The same checks as an upload: reply right, size, type by content.
        auto a = upload(me, request_id, p, part.bytes);
        if (a) {
            ids.push_back(a->id);
        } else {
            note(name, a.error.code == "unsupported_type" ? "type not allowed"
                       : a.error.code == "file_too_large" ? "larger than 10 MB"
                                                           : "not allowed here");
        }
        std::string().swap(part.bytes);  // a 10 MB part need not live until the post
    }
    return ids;
}

MailInResult Domain::receive_mail(std::string_view raw, const std::vector<std::string>& envelope_to) {
    if (!mail_in_) return refused("not_configured", "Inbound e-mail is not configured.");
    std::string error;
    auto mail = parse_mail(raw, &error);
    if (!mail) return refused("unparseable", "The message cannot be read: " + error);

    // The relay address: envelope recipients first, then Delivered-To, To and Cc.
    std::vector<std::string> candidates = envelope_to;
    auto headers = mail_envelope_recipients(raw);
    candidates.insert(candidates.end(), headers.begin(), headers.end());
    candidates.insert(candidates.end(), mail->to.begin(), mail->to.end());
    candidates.insert(candidates.end(), mail->cc.begin(), mail->cc.end());
    bool saw_relay = false;
    auto id = find_relay_recipient(relay_key_, candidates, &saw_relay);
    if (!id && saw_relay)  // a forged token is never rescued by the threading headers
        return refused("invalid_relay_address", "The reply address is not valid (unknown or altered).");
    if (!id) {
        // Replies to our From address: In-Reply-To, then References newest first, against
        // the Message-IDs of the mails we sent (conversation + the user it went to).
        for (const auto& ref : mail_thread_candidates(mail->in_reply_to, mail->references))
            if ((id = mail_in_->thread_of(ref))) break;
        if (!id)
            return refused("no_relay_address",
                           "The message is not addressed to a Parley reply address and answers no Parley e-mail.");
    }
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
    bool has_parts = !mail->attachments.empty();
    if (trim_ws(text).empty() && !has_parts)
        return refused("empty_message", "No new text was found above the quoted message.");
    // Attachments become the author's pending uploads, named by the post below.
    std::string notes;
    std::vector<int64_t> attachment_ids =
        import_mail_attachments(me, request_id, id->conversation_id, mail->attachments, &notes);
    if (!notes.empty()) text = trim_ws(text).empty() ? notes : std::string(trim_ws(text)) + "\n\n" + notes;
    text = utf8_prefix(text, kMaxMessageChars);
    // The idempotency key of the post: a second delivery (even from another process
    // racing this one) finds the same message.
    std::string idem = "mail:" + sha256_hex(key);
    nlohmann::json body = {{"body", text}, {"conversation_id", id->conversation_id}};
    if (!attachment_ids.empty()) body["attachments"] = attachment_ids;
    auto posted = post_message(me, request_id, &idem, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    if (!posted) return refused(posted.error.code, posted.error.message);
    row.status = kMailInPosted;
    row.message_id = posted->message.id;
    mail_in_->add(row);
    {
        // The detail shows via_email from mail_in: a copy cached before this row is stale.
        std::lock_guard wl(write_mu_);
        forget(request_id);
    }
    out.status = posted->created ? kMailInPosted : kMailInDuplicate;
    out.message_id = posted->message.id;
    return out;
}

}  // namespace parley::server
