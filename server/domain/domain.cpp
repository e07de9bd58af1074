// Domain: the core of every request's page. See domain.h.
//
// Index:
//   authentication   magic links, sessions (cached), logout
//   visibility       facts (cached), view(), permit(): the policy asked for every call
//   reading          inbox, a request's detail (serialised once per viewer, cached)
//   writing          posting a message (idempotent; stored by post_commit.cpp), read marks,
//                    publication to the hub
//   events           long-poll: the batch now, or a waiter on the hub
#include "server/domain/domain.h"

#include <nlohmann/json.hpp>

#include "server/base/crypto.h"
#include "server/domain/detail.h"
#include "server/domain/util.h"
#include "server/base/log.h"
#include "server/mail/notify.h"
#include "server/base/text.h"
#include "server/domain/workflow.h"
#include "server/translate/detect.h"

namespace parley::server {

Millis system_now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Domain::Domain(Store& store, Hub& hub, Now now) : store_(store), hub_(hub), now_(std::move(now)) {
    crypto_init();
}

DomainError Domain::not_found() { return {404, "not_found", "No such request."}; }

void Domain::notify(const char* what, const std::function<void(const MailContext&)>& fn) {
    if (!mailer_) return;
    try {
        std::string base = mail_url_;
        while (!base.empty() && base.back() == '/') base.pop_back();  // links append "/login/..."
        MailContext mc{*mailer_, store_, base,
                       [this](int64_t user, int64_t request) { return issue_mail_link(user, request); }};
        fn(mc);
    } catch (const std::exception& e) {
        log_line(std::string("parley: cannot queue the ") + what + " notification: " + e.what());
    }
}

// ---------------------------------------------------------------- authentication

std::string Domain::issue_magic_link(int64_t user_id, Millis ttl, bool reusable) {
    std::string token = random_token();
    store_.add_magic_link(token_hash(token), user_id, now_() + ttl, reusable);
    return token;
}

std::string Domain::issue_mail_link(int64_t user_id, int64_t request_id) {
    std::string token = random_token();
    store_.add_magic_link(token_hash(token), user_id, now_() + kMailLinkTtl, /*reusable=*/true, request_id);
    return token;
}

std::string scoped_landing(int64_t request_id, std::string_view next) {
    const std::string page = "/requests/" + std::to_string(request_id);
    const std::string fallback = page + "?reply=1";
    if (next.substr(0, page.size()) != page) return fallback;
    std::string_view rest = next.substr(page.size());
    if (rest.empty()) return std::string(next);
    if (rest.front() != '?') return fallback;  // "/requests/12" must not accept "/requests/123"
    rest.remove_prefix(1);
    // Only the parameters the page itself understands; each at most once.
    bool reply = false, quote = false, paid = false;
    while (!rest.empty()) {
        size_t amp = rest.find('&');
        std::string_view p = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
        if (p == "reply=1" && !reply) reply = true;
        else if (p == "paid=1" && !paid) paid = true;
        else if (p.substr(0, 6) == "quote=" && !quote && p.size() > 6 && p.size() <= 6 + 18 &&
                 p.find_first_not_of("0123456789", 6) == std::string_view::npos)
            quote = true;
        else
            return fallback;
        if (amp != std::string_view::npos && rest.empty()) return fallback;  // trailing '&'
    }
    if (!reply && !quote && !paid) return fallback;  // a lone "?"
    return std::string(next);
}

std::optional<Domain::Login> Domain::login(std::string_view magic_token) {
    if (!plausible_token(magic_token)) return std::nullopt;
    Millis now = now_();
    auto link = store_.redeem_magic_link(token_hash(magic_token), now);
    if (!link) return std::nullopt;
    auto user = store_.user(link->user_id);
    if (!user) return std::nullopt;
    Login out;
    out.session_token = random_token();
    out.max_age_ms = kSessionTtl;
    out.user = user->to_wire();
    out.request_id = link->request_id;
    // A notification's link makes a scoped session: that request only, short-lived.
    if (out.request_id > 0) out.max_age_ms = kScopedSessionTtl;
    std::string h = token_hash(out.session_token);
    store_.add_session(h, link->user_id, now, now + out.max_age_ms, out.request_id);
    std::unique_lock lk(sessions_mu_);
    if (sessions_.size() > 100000) sessions_.clear();  // crude bound; entries reload on demand
    sessions_[h] = CachedSession{out.user, now + out.max_age_ms};
    return out;
}

std::optional<Domain::Session> Domain::session(std::string_view session_token) {
    if (!plausible_token(session_token)) return std::nullopt;
    std::string h = token_hash(session_token);
    Millis now = now_();
    // The session row is read on every request: a session deleted in the database
    // (signed out on another instance, revoked by hand) ends at once everywhere. The
    // cache only saves reading the user.
    // The scope comes from the row too, never from the cache.
    auto s = store_.session(h, now);
    if (s) {
        std::shared_lock lk(sessions_mu_);
        auto it = sessions_.find(h);
        if (it != sessions_.end() && it->second.user.id == s->user_id) return Session{it->second.user, s->request_id};
    }
    std::optional<UserRecord> user;
    if (s) user = store_.user(s->user_id);
    std::unique_lock lk(sessions_mu_);
    if (!s || !user) {
        sessions_.erase(h);
        return std::nullopt;
    }
    if (sessions_.size() > 100000) sessions_.clear();
    sessions_[h] = CachedSession{user->to_wire(), s->expires};
    return Session{user->to_wire(), s->request_id};
}

Result<std::string> Domain::mail_full_link(const Session& s) {
    if (s.scope <= 0) return DomainError{409, "already_full", "This session already opens the whole account."};
    if (!mailer_) return DomainError{503, "mail_disabled", "E-mail is not enabled on this server."};
    auto user = store_.user(s.user.id);
    if (!user || user->email.empty())
        return DomainError{409, "no_address", "We know no e-mail address of yours to send a sign-in link to."};
    std::string token = issue_magic_link(user->id, kFullLinkTtl, /*reusable=*/false);
    std::string base = mail_url_;
    while (!base.empty() && base.back() == '/') base.pop_back();
    notify_sign_in_link(*mailer_, *user, mail_link(base, token, "/requests/" + std::to_string(s.scope)));
    return user->email;
}

int64_t Domain::request_of(Owned kind, int64_t id) {
    if (id <= 0) return 0;
    switch (kind) {
        case Owned::quote: {
            auto q = store_.quote(id);
            return q ? q->quote.request_id : 0;
        }
        case Owned::attachment: {
            auto a = store_.attachment(id);
            return a ? a->request_id : 0;
        }
        case Owned::message: {
            auto o = mail_in_ ? mail_in_->original(id) : std::nullopt;
            return o ? o->request_id : 0;
        }
        case Owned::delivery: {
            auto d = outbox_ ? outbox_->delivery(id) : std::nullopt;
            return d ? d->row.request_id : 0;
        }
        case Owned::held_reply: {
            auto h = mail_in_ ? mail_in_->by_id(id) : std::nullopt;
            return h ? mail_in_->request_of(h->conversation_id) : 0;
        }
    }
    return 0;
}

void Domain::logout(std::string_view session_token) {
    std::string h = token_hash(session_token);
    store_.delete_session(h);
    std::unique_lock lk(sessions_mu_);
    sessions_.erase(h);
}

// ---------------------------------------------------------------- visibility

std::optional<RequestFacts> Domain::facts(int64_t request_id) {
    if (request_id <= 0) return std::nullopt;
    {
        std::shared_lock lk(facts_mu_);
        auto it = facts_.find(request_id);
        if (it != facts_.end()) return it->second;
    }
    uint64_t gen = facts_gen_.load();
    auto f = store_.facts(request_id);
    if (!f) return std::nullopt;  // not cached: requests may be created later
    std::unique_lock lk(facts_mu_);
    if (facts_.size() > 100000) facts_.clear();
    if (facts_gen_.load() == gen) facts_[request_id] = *f;
    return f;
}

std::optional<Domain::View> Domain::view(const User& me, int64_t request_id) {
    auto f = facts(request_id);
    if (!f) return std::nullopt;
    View v{std::move(*f), {}};
    v.access = access_of(me.id, me.role, v.facts);
    if (!v.access.any()) return std::nullopt;  // looks exactly like a missing request
    return v;
}

Result<Domain::View> Domain::permit(const User& me, int64_t request_id, Action action, int64_t& conversation) {
    auto v = view(me, request_id);
    if (!v) return not_found();
    if (conversation == 0) conversation = v->access.default_conversation;
    // A conversation they may not see is as missing as a request they may not see.
    if (!v->access.in(conversation)) return DomainError{404, "not_found", "No such conversation."};
    if (!allowed(v->access, v->facts, action, conversation)) {
        std::string what = action_name(action);
        return DomainError{403, "forbidden", "You cannot " + what + " on this request now."};
    }
    return std::move(*v);
}

void Domain::forget(int64_t request_id) {
    {
        std::unique_lock lk(facts_mu_);
        ++facts_gen_;
        facts_.erase(request_id);
    }
    std::unique_lock dl(details_mu_);
    ++details_gen_;
    details_.erase(request_id);
}

void Domain::publish(const std::vector<EventRecord>& events, Hub::Wakeups& wake) {
    // Event ids are the long-polls' cursors: they go out in id order, none left behind.
    // Ids below ours that this process has not published were written by another process
    // (e-mail in, another instance on the database) and committed before ours (writers
    // take turns): they go first, whether or not the change watch has seen them yet.
    if (!events.empty() && events.front().event.id > hub_.last_id() + 1) {
        for (int64_t after = hub_.last_id();;) {
            auto earlier = store_.events_between(after, events.front().event.id, 1000);
            if (earlier.empty()) break;
            after = earlier.back().event.id;
            publish_in_order(earlier, wake);
        }
    }
    publish_in_order(events, wake);
}

void Domain::publish_in_order(const std::vector<EventRecord>& events, Hub::Wakeups& wake) {
    for (const auto& e : events) {
        // A message or a read mark leaves the facts as they were (the first seller-side
        // message of a conversation comes with "answered", which does not): only the
        // cached details go, and the facts are not read again.
        if (e.event.kind == "message" || e.event.kind == "read") forget_details(e.event.request_id);
        else forget(e.event.request_id);
        auto f = facts(e.event.request_id);
        if (!f) continue;
        auto more = hub_.publish(e.event, audience_users(*f, e.audience, e.event.conversation_id, e.event.actor_id));
        for (auto& item : more.items) wake.items.push_back(std::move(item));
    }
}

// ---------------------------------------------------------------- reading

Result<RequestDetail> Domain::detail(const User& me, int64_t request_id, int64_t down_to) {
    ThreadWindow w;
    w.limit = kThreadPage;
    w.down_to = down_to;
    return detail_window(me, request_id, std::move(w));
}

Result<RequestDetail> Domain::fresh_detail(const User& me, int64_t request_id) { return detail(me, request_id); }

Result<std::shared_ptr<const std::string>> Domain::detail_json(const User& me, int64_t request_id) {
    auto v = view(me, request_id);
    if (!v) return not_found();
    // A reply held for me (e-mail in) may be stored by another process (the mail-in
    // command) without any event: while one is there the detail is built, not cached.
    const bool held = mail_in_ && !held_replies(me, v->facts).empty();
    if (!held) {
        std::shared_lock lk(details_mu_);
        auto it = details_.find(request_id);
        if (it != details_.end()) {
            auto jt = it->second.find(me.id);
            if (jt != it->second.end()) return jt->second;
        }
    }
    // Build outside the lock; only cache it if nothing changed meanwhile.
    uint64_t gen = details_gen_.load();
    auto d = detail(me, request_id);
    if (!d) return d.error;
    auto body = std::make_shared<const std::string>(nlohmann::json(*d).dump());
    // A quote that may still expire changes the detail without any write: not cached.
    for (const auto& q : d->quotes)
        if (q.status == kQuoteSent || q.status == kQuoteOpened) return body;
    if (!d->held_replies.empty()) return body;
    std::unique_lock lk(details_mu_);
    if (details_gen_.load() == gen) details_[request_id][me.id] = body;
    return body;
}

// ---------------------------------------------------------------- writing

Result<Domain::Posted> Domain::post_message(const User& me, int64_t request_id, const std::string* key,
                                            const std::string& json_body) {
    if (!view(me, request_id)) return not_found();
    if (!key || trim(*key).empty())
        return DomainError{400, "idempotency_key_required", "The Idempotency-Key header is required."};
    if (key->size() > kMaxIdempotencyKey)
        return DomainError{400, "idempotency_key_too_long",
                           "The Idempotency-Key header is longer than 200 characters."};
    auto nm = parse_body<NewMessage>(json_body, "\"body\" is required and must be a string.");
    if (!nm) return nm.error;
    std::string text(trim(nm->body));
    if (nm->attachments.size() > kMaxAttachmentsPerMessage)
        return DomainError{400, "too_many_attachments", "A message may carry at most 10 attachments."};
    if (text.empty() && nm->attachments.empty()) return DomainError{400, "empty_message", "The message is empty."};
    if (text.size() > kMaxMessageChars)
        return DomainError{413, "message_too_long", "The message is longer than 20000 bytes."};
    int64_t conversation = nm->conversation_id;
    auto v = permit(me, request_id, Action::reply, conversation);
    if (!v) return v.error;
    // The "From" case: without a working address of mine the buyer could not
    // answer me by e-mail; the address typed in the composer becomes mine.
    if (auto from = check_from(me, nm->from_email); !from) return from.error;
    // Translation: a translation sent along is made first, so that a failure keeps the draft.
    std::optional<Translation> sent;
    if (!nm->translate_to.empty()) {
        if (text.empty()) return DomainError{400, "empty_message", "There is no text to translate."};
        auto t = translate_for_sending(text, me.language, nm->translate_to);
        if (!t) return t.error;
        sent = std::move(*t);
    }

    // Stored together with whatever other posts are waiting (post_commit.cpp). The
    // language is told now (CPU only, no lock held) and stored with the message, so that
    // whoever the event wakes reads it.
    PendingPost p;
    p.request_id = request_id;
    p.conversation = conversation;
    p.author = me.id;
    p.text = &text;
    p.key = key;
    p.attachments = &nm->attachments;
    p.lang = detect_language(text, me.language);
    p.sent = sent ? &*sent : nullptr;
    // When mails are far behind, posts wait for them (outside every lock of the domain).
    if (notify_queue_) notify_queue_->wait_below(kMaxNotifyBacklog);
    commit_post(p);
    if (p.error) std::rethrow_exception(p.error);
    PostOutcome& r = p.outcome;
    if (r.key_conflict)
        return DomainError{409, "idempotency_key_reused", "This Idempotency-Key was already used for another request."};
    if (r.invalid_attachment)
        return DomainError{400, "invalid_attachment",
                           "Attach only your own uploads to this conversation, each once, not yet sent."};
    if (p.notice && !notify_queue_) {
        std::vector<PostNotice> one{std::move(*p.notice)};
        try {
            notify_posts(one);
        } catch (const std::exception& e) {
            log_line(std::string("parley: cannot queue the reply notification: ") + e.what());
        }
    }
    return Posted{std::move(r.message), r.created};
}

Result<bool> Domain::check_from(const User& me, const std::string& from_email) {
    // Buyers wrote in by e-mail; a seller's address may be missing or bouncing.
    if (me.role == kRoleBuyer || !email_undeliverable(me.id)) return true;
    std::string email(trim(from_email));
    if (email.empty())
        return DomainError{422, "from_required",
                           "Type your e-mail address in the From field so that the buyer can answer you."};
    if (email.size() > 254 || !valid_email(email))
        return DomainError{400, "invalid_from", "\"" + email + "\" is not a valid e-mail address."};
    std::string lower = email;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    size_t at = lower.rfind('@');
    if (lower.rfind("r+", 0) == 0 && lower.substr(at + 1) == relay_domain_)
        return DomainError{400, "invalid_from", "This is a Parley relay address; type your own address."};
    if (auto other = store_.user_by_email(email); other && other->id != me.id)
        return DomainError{409, "email_taken", "This address belongs to someone else on Parley."};
    store_.set_user_email(me.id, email);
    forget_undeliverable(me.id);
    forget_user_details(me.id);  // every cached page of mine asked for the address
    return true;
}

bool Domain::email_undeliverable(int64_t user_id) {
    uint64_t gen = 0;
    const Millis now = now_();
    {
        std::lock_guard lk(undeliverable_mu_);
        auto it = undeliverable_.find(user_id);
        if (it != undeliverable_.end() && now - it->second.read < kUndeliverableTtl) return it->second.value;
        gen = undeliverable_gen_;
    }
    bool v = store_.email_undeliverable(user_id);
    std::lock_guard lk(undeliverable_mu_);
    if (undeliverable_.size() > 100000) undeliverable_.clear();  // crude bound; entries reload on demand
    if (undeliverable_gen_ == gen) undeliverable_[user_id] = Undeliverable{v, now};  // nothing changed meanwhile
    return v;
}

void Domain::forget_undeliverable(int64_t user_id) {
    std::lock_guard lk(undeliverable_mu_);
    ++undeliverable_gen_;
    undeliverable_.erase(user_id);
}

void Domain::forget_user_details(int64_t user_id) {
    std::unique_lock lk(details_mu_);
    for (auto& [request, per_user] : details_) per_user.erase(user_id);
    details_gen_++;
}

Result<bool> Domain::mark_read(const User& me, int64_t request_id, const std::string& json_body) {
    ReadMark mark;
    if (!trim(json_body).empty()) {
        auto m = parse_body<ReadMark>(json_body, "\"conversation_id\" and \"message_id\" must be integers.");
        if (!m) return m.error;
        mark = *m;
    }
    if (mark.message_id < 0) return DomainError{400, "invalid_field", "\"message_id\" must not be negative."};
    auto v = permit(me, request_id, Action::mark_read, mark.conversation_id);
    if (!v) return v.error;
    Hub::Wakeups wake;
    bool moved = false;
    {
        std::lock_guard lk(write_mu_);
        ReadOutcome r = store_.mark_read(me.id, mark.conversation_id, mark.message_id, now_());
        moved = r.moved;
        if (moved) publish({r.event}, wake);
    }
    wake.deliver();
    return moved;
}

// ---------------------------------------------------------------- events

std::optional<EventBatch> Domain::poll_events(const User& me, int64_t after, Hub::Clock::time_point deadline,
                                              const Hub::Reply& reply, int64_t scope) {
    if (after < 0) after = 0;
    for (int attempt = 0;; ++attempt) {
        int64_t snapshot = hub_.last_id();
        // Skip past batches the user may not see (other conversations' seller events).
        std::vector<Event> events;
        for (;;) {
            auto candidates = store_.events_for_user(me.id, after, kMaxEventsPerBatch);
            if (candidates.empty()) break;
            after = candidates.back().event.id;
            for (auto& e : candidates) {
                if (scope > 0 && e.event.request_id != scope) continue;  // a scoped session: its request only
                auto v = view(me, e.event.request_id);
                if (v && may_see(v->access, v->facts, e.audience, e.event.conversation_id, e.event.actor_id))
                    events.push_back(std::move(e.event));
            }
            if (!events.empty()) return EventBatch{std::move(events), after};
        }
        // Nothing visible up to the snapshot: invisible events may be skipped.
        EventBatch empty{{}, std::max(after, snapshot)};
        if (!reply || deadline <= Hub::Clock::now() || attempt >= 3) return empty;
        std::vector<Event> ready;
        switch (hub_.wait(me.id, after, snapshot, deadline, reply, &ready, scope)) {
            case Hub::WaitResult::registered:
                return std::nullopt;
            case Hub::WaitResult::immediate: {
                int64_t cursor = ready.back().id;
                return EventBatch{std::move(ready), cursor};
            }
            case Hub::WaitResult::retry:
                break;
        }
    }
}

void Domain::expire_waiters() { hub_.expire(Hub::Clock::now()).deliver(); }

}  // namespace parley::server
