// Inbound replies: a raw e-mail to a relay address becomes a message of that
// participant, through post_message (events, live long-poll, notifications). See
// server/mail/inbound.h. Threading: the relay token first (envelope, Delivered-To, To, Cc), then
// In-Reply-To/References against our outbox's Message-IDs. Attachments are imported
// as the author's uploads under the upload rules; refused ones are named in a note.
#include <cctype>

#include <nlohmann/json.hpp>

#include "server/documents/files.h"
#include "server/domain/domain.h"
#include "server/base/log.h"
#include "server/base/text.h"
#include "server/mail/inbound.h"
#include "server/mail/parse.h"
#include "server/mail/reply_strip.h"
#include "server/mail/sender_auth.h"
#include "server/mail/texts.h"
#include "server/mail/notify.h"
#include "server/domain/workflow.h"

namespace parley::server {

namespace {

MailInResult refused(std::string reason, std::string detail) {
    return mail_in_refused(std::move(reason), std::move(detail));
}

}  // namespace

void Domain::set_mail_in(const RelayKey& key, MailInStore* received, std::string relay_domain) {
    relay_key_ = key;
    relay_domain_ = std::move(relay_domain);
    mail_in_ = received;
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

MailInResult Domain::receive_mail(std::string_view raw, const std::vector<std::string>& envelope_to,
                                  const MailInOrigin& origin) {
    if (!mail_in_) return refused("not_configured", "Inbound e-mail is not configured.");
    std::string error, reason;
    auto mail = parse_mail(raw, &error, &reason);
    if (!mail && reason != "unparseable" && !reason.empty())  // beyond a documented limit
        return refused(reason, "The message is refused: " + error + ".");
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
            if (auto t = mail_in_->thread_of(ref)) {
                id = RelayId{t->conversation_id, t->user_id};
                break;
            }
        if (!id)
            return refused("no_relay_address",
                           "The message is not addressed to a Parley reply address and answers no Parley e-mail.");
    }
    auto user = store_.user(id->user_id);
    int64_t request_id = mail_in_->request_of(id->conversation_id);
    if (!user || request_id == 0) return refused("invalid_relay_address", "The conversation no longer exists.");
    if (user->email.empty() || ascii_lower(trim(mail->from_address)) != ascii_lower(trim(user->email)))
        return refused("sender_mismatch", "Only the participant this reply address belongs to may write to it.");
    User me = user->to_wire();
    if (!view(me, request_id)) return refused("not_participant", "You no longer take part in this request.");
    // The From header is a claim: the receiving MTA's verdict must prove it.
    SenderVerdict verdict;
    if (origin.signed_in) verdict.verified = true;
    else verdict = check_sender(raw, mail->from_address, mail_authserv_id_, origin.has_envelope_from,
                                origin.envelope_from);

    MailInResult out;
    out.request_id = request_id;
    out.conversation_id = id->conversation_id;
    out.user_id = id->user_id;
    std::lock_guard lk(mail_in_mu_);  // one inbound mail at a time: check-then-insert below
    // Scoped to the relay address: nobody can pre-empt another's Message-ID.
    const std::string key = "c" + std::to_string(id->conversation_id) + ".u" + std::to_string(id->user_id) + ":" +
                            mail_in_key(mail->message_id, raw);
    if (auto earlier = mail_in_->find(key)) {
        out.status = earlier->status == kMailInHeld ? kMailInHeld : kMailInDuplicate;
        out.message_id = earlier->message_id;
        out.reason = earlier->hold_reason;
        return out;
    }
    MailInStore::Row row;
    row.key = key;
    row.conversation_id = id->conversation_id;
    row.user_id = id->user_id;
    row.subject = mail->subject;
    row.raw = std::string(raw);
    row.received = now_();

    if (mail->auto_reply && !verdict.verified) {  // kept, but no event in anyone's name
        row.status = kMailInDiscarded;
        row.hold_reason = verdict.reason;
        mail_in_->add(row);
        out.status = kMailInDiscarded;
        out.reason = verdict.reason;
        return out;
    }
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
    if (!verdict.verified) {
        // Held for the owner of the relay address: the page shows it to them alone, with
        // "Post" and "Discard"; a mail at their real address tells them (a forger never
        // reads it).
        row.status = kMailInHeld;
        row.hold_reason = verdict.reason;
        row.preview = utf8_prefix(std::string(trim(strip_reply_keep(mail->text).text)), 300);
        if (!mail_in_->add(row)) {  // another process stored it first
            out.status = kMailInDuplicate;
            return out;
        }
        {
            std::lock_guard wl(write_mu_);
            forget(request_id);
        }
        const int64_t conversation = id->conversation_id, owner = id->user_id;
        const std::string subject = mail->subject;
        notify("reply held", [&](const MailContext& mc) {
            if (auto f = facts(request_id)) notify_reply_held(mc, *f, conversation, owner, subject);
        });
        out.status = kMailInHeld;
        out.reason = verdict.reason;
        return out;
    }
    MailInResult posted = post_mail_reply(me, request_id, id->conversation_id, *mail, key);
    if (posted.status == kMailInRefused) return posted;
    row.status = kMailInPosted;
    row.message_id = posted.message_id;
    mail_in_->add(row);
    {
        // The detail shows via_email from mail_in: a copy cached before this row is stale.
        std::lock_guard wl(write_mu_);
        forget(request_id);
    }
    out.status = posted.status;
    out.message_id = posted.message_id;
    return out;
}

MailInResult Domain::post_mail_reply(const User& me, int64_t request_id, int64_t conversation, ParsedMail& mail,
                                     const std::string& key) {
    // Reply stripping never loses a real reply: when it leaves nothing although
    // something was written, the whole text is posted under a note saying so.
    StrippedReply stripped = strip_reply_keep(mail.text);
    std::string text = std::move(stripped.text);
    if (stripped.whole) text = mail_t(me.language, "mail_in_whole_note") + "\n\n" + text;
    bool has_parts = !mail.attachments.empty();
    if (trim(text).empty() && !has_parts)
        return refused("empty_message", "No new text was found above the quoted message.");
    // Attachments become the author's pending uploads, named by the post below.
    std::string notes;
    std::vector<int64_t> attachment_ids = import_mail_attachments(me, request_id, conversation, mail.attachments, &notes);
    if (!notes.empty()) text = trim(text).empty() ? notes : std::string(trim(text)) + "\n\n" + notes;
    text = utf8_prefix(text, kMaxMessageChars);
    // The idempotency key of the post: a second delivery (even from another process
    // racing this one) finds the same message.
    std::string idem = "mail:" + sha256_hex(key);
    nlohmann::json body = {{"body", text}, {"conversation_id", conversation}};
    if (!attachment_ids.empty()) body["attachments"] = attachment_ids;
    auto posted = post_message(me, request_id, &idem, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    if (!posted) return refused(posted.error.code, posted.error.message);
    MailInResult out;
    out.status = posted->created ? kMailInPosted : kMailInDuplicate;
    out.request_id = request_id;
    out.conversation_id = conversation;
    out.user_id = me.id;
    out.message_id = posted->message.id;
    return out;
}

std::vector<HeldReply> Domain::held_replies(const User& me, const RequestFacts& facts) {
    std::vector<HeldReply> out;
    if (!mail_in_) return out;
    // Rows are mine by user id, so every conversation of the request may be asked.
    std::vector<int64_t> conversations;
    for (const auto& c : facts.conversations) conversations.push_back(c.id);
    for (const auto& r : mail_in_->held(me.id, conversations, 20)) {
        HeldReply h;
        h.id = r.id;
        h.conversation_id = r.conversation_id;
        h.subject = r.subject;
        h.preview = r.preview;
        h.reason = r.hold_reason;
        h.received = r.received;
        out.push_back(std::move(h));
    }
    return out;
}

Result<RequestDetail> Domain::post_held_reply(const User& me, int64_t held_id) {
    return settle_held_reply(me, held_id, true);
}

Result<RequestDetail> Domain::discard_held_reply(const User& me, int64_t held_id) {
    return settle_held_reply(me, held_id, false);
}

Result<RequestDetail> Domain::settle_held_reply(const User& me, int64_t held_id, bool post) {
    DomainError missing{404, "not_found", "No such held reply."};
    if (!mail_in_) return missing;
    auto row = mail_in_->by_id(held_id);
    if (!row || row->user_id != me.id) return missing;  // nobody else learns it exists
    int64_t request_id = mail_in_->request_of(row->conversation_id);
    if (request_id == 0 || !view(me, request_id)) return missing;
    if (row->status != kMailInHeld)
        return DomainError{409, "not_held", "This reply was already posted or discarded."};
    int64_t message_id = 0;
    if (post) {
        std::string error;
        auto mail = parse_mail(row->raw, &error);
        if (!mail) return DomainError{409, "unparseable", "The held mail cannot be read any more: " + error};
        std::lock_guard lk(mail_in_mu_);
        // Posting twice (two clicks, two tabs) finds the same message: the key is the post's.
        MailInResult r = post_mail_reply(me, request_id, row->conversation_id, *mail, row->key);
        if (r.status == kMailInRefused) return DomainError{409, r.reason, r.detail};
        message_id = r.message_id;
    }
    mail_in_->settle_held(held_id, post ? kMailInPosted : kMailInDiscarded, message_id);
    {
        std::lock_guard wl(write_mu_);
        forget(request_id);
    }
    return fresh_detail(me, request_id);
}

}  // namespace parley::server
