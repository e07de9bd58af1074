#include "server/domain.h"

#include <nlohmann/json.hpp>

#include "server/auth.h"
#include "server/text.h"

namespace parley::server {

Millis system_now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Domain::Domain(Store& store, Hub& hub, Now now) : store_(store), hub_(hub), now_(std::move(now)) {
    crypto_init();
}

DomainError Domain::not_found() { return {404, "not_found", "No such request."}; }

// ---------------------------------------------------------------- authentication

std::string Domain::issue_magic_link(int64_t user_id, Millis ttl, bool reusable) {
    std::string token = random_token();
    store_.add_magic_link(token_hash(token), user_id, now_() + ttl, reusable);
    return token;
}

std::optional<Domain::Login> Domain::login(std::string_view magic_token) {
    if (!plausible_token(magic_token)) return std::nullopt;
    Millis now = now_();
    auto uid = store_.use_magic_link(token_hash(magic_token), now);
    if (!uid) return std::nullopt;
    auto user = store_.user(*uid);
    if (!user) return std::nullopt;
    Login out;
    out.session_token = random_token();
    out.max_age_ms = kSessionTtl;
    out.user = user->to_wire();
    std::string h = token_hash(out.session_token);
    store_.add_session(h, *uid, now, now + kSessionTtl);
    std::unique_lock lk(sessions_mu_);
    if (sessions_.size() > 100000) sessions_.clear();  // crude bound; entries reload on demand
    sessions_[h] = CachedSession{out.user, now + kSessionTtl};
    return out;
}

std::optional<User> Domain::authenticate(std::string_view session_token) {
    if (!plausible_token(session_token)) return std::nullopt;
    std::string h = token_hash(session_token);
    Millis now = now_();
    {
        std::shared_lock lk(sessions_mu_);
        auto it = sessions_.find(h);
        if (it != sessions_.end()) {
            if (it->second.expires > now) return it->second.user;
            // expired: fall through, the store agrees and the entry is dropped below
        }
    }
    auto s = store_.session(h, now);
    std::optional<UserRecord> user;
    if (s) user = store_.user(s->user_id);
    std::unique_lock lk(sessions_mu_);
    if (!s || !user) {
        sessions_.erase(h);
        return std::nullopt;
    }
    if (sessions_.size() > 100000) sessions_.clear();
    sessions_[h] = CachedSession{user->to_wire(), s->expires};
    return user->to_wire();
}

void Domain::logout(std::string_view session_token) {
    std::string h = token_hash(session_token);
    store_.delete_session(h);
    std::unique_lock lk(sessions_mu_);
    sessions_.erase(h);
}

// ---------------------------------------------------------------- visibility

std::optional<Domain::Participants> Domain::participants(int64_t request_id) {
    {
        std::shared_lock lk(participants_mu_);
        auto it = participants_.find(request_id);
        if (it != participants_.end()) return it->second;
    }
    auto r = store_.request(request_id);
    if (!r) return std::nullopt;  // not cached: requests may be created later
    Participants p{r->buyer_id, r->manufacturer_id};
    std::unique_lock lk(participants_mu_);
    participants_[request_id] = p;
    return p;
}

// A buyer sees only their own requests, a manufacturer only those addressed to them.
// Anything else looks exactly like a missing request.
std::optional<Domain::Participants> Domain::visible(const User& me, int64_t request_id) {
    if (request_id <= 0) return std::nullopt;
    auto p = participants(request_id);
    if (!p) return std::nullopt;
    if (me.role == "buyer" && p->buyer_id != me.id) return std::nullopt;
    if (me.role == "manufacturer" && p->manufacturer_id != me.id) return std::nullopt;
    if (!p->includes(me.id)) return std::nullopt;
    return p;
}

// ---------------------------------------------------------------- reading

Inbox Domain::inbox(const User& me) {
    Inbox out;
    out.me = me;
    out.cursor = hub_.last_id();  // before the query: nothing newer is lost by the client
    out.requests = store_.inbox(me.id);
    for (const auto& r : out.requests) out.unread += r.unread ? 1 : 0;
    return out;
}

Result<RequestDetail> Domain::detail(const User& me, int64_t request_id) {
    if (!visible(me, request_id)) return not_found();
    auto d = store_.detail(request_id);
    if (!d) return not_found();
    return std::move(*d);
}

Result<std::shared_ptr<const std::string>> Domain::detail_json(const User& me, int64_t request_id) {
    if (!visible(me, request_id)) return not_found();
    {
        std::shared_lock lk(details_mu_);
        auto it = details_.find(request_id);
        if (it != details_.end()) return it->second;
    }
    // Build outside the lock; only cache it if no message was posted meanwhile.
    uint64_t gen = details_gen_.load();
    auto d = store_.detail(request_id);
    if (!d) return not_found();
    auto body = std::make_shared<const std::string>(nlohmann::json(*d).dump());
    std::unique_lock lk(details_mu_);
    if (details_gen_.load() == gen) details_[request_id] = body;
    return body;
}

// ---------------------------------------------------------------- writing

Result<Domain::Posted> Domain::post_message(const User& me, int64_t request_id, const std::string* key,
                                            const std::string& json_body) {
    auto who = visible(me, request_id);
    if (!who) return not_found();
    if (!key || trim(*key).empty())
        return DomainError{400, "idempotency_key_required", "The Idempotency-Key header is required."};
    if (key->size() > kMaxIdempotencyKey)
        return DomainError{400, "idempotency_key_too_long",
                           "The Idempotency-Key header is longer than 200 characters."};
    if (json_body.size() > kMaxJsonBody)
        return DomainError{413, "body_too_large", "The request body is too large."};

    nlohmann::json j = nlohmann::json::parse(json_body, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded())
        return DomainError{400, "malformed_json", "The request body is not valid JSON."};
    if (!j.is_object())
        return DomainError{400, "invalid_field", "The request body must be a JSON object."};
    NewMessage nm;
    try {
        nm = j.get<NewMessage>();
    } catch (const std::exception&) {
        return DomainError{400, "invalid_field", "\"body\" is required and must be a string."};
    }
    std::string text(trim(nm.body));
    if (text.empty()) return DomainError{400, "empty_message", "The message is empty."};
    if (text.size() > kMaxMessageChars)
        return DomainError{413, "message_too_long", "The message is longer than 20000 bytes."};

    Hub::Wakeups wake;
    Posted out;
    {
        std::lock_guard lk(write_mu_);
        PostOutcome r = store_.post_message(request_id, me.id, text, *key, now_());
        if (r.key_conflict)
            return DomainError{409, "idempotency_key_reused",
                               "This Idempotency-Key was already used for another request."};
        out.message = std::move(r.message);
        out.created = r.created;
        if (r.created) {
            {
                std::unique_lock dl(details_mu_);
                ++details_gen_;
                details_.erase(request_id);
            }
            wake = hub_.publish(r.event, {who->buyer_id, who->manufacturer_id});
        }
    }
    wake.deliver();  // replies post to their connections' threads
    return out;
}

Result<bool> Domain::mark_read(const User& me, int64_t request_id) {
    auto who = visible(me, request_id);
    if (!who) return not_found();
    Hub::Wakeups wake;
    bool moved = false;
    {
        std::lock_guard lk(write_mu_);
        ReadOutcome r = store_.mark_read(me.id, request_id, now_());
        moved = r.moved;
        if (moved) wake = hub_.publish(r.event, {who->buyer_id, who->manufacturer_id});
    }
    wake.deliver();  // replies post to their connections' threads
    return moved;
}

// ---------------------------------------------------------------- events

std::optional<EventBatch> Domain::poll_events(const User& me, int64_t after, Hub::Clock::time_point deadline,
                                              const Hub::Reply& reply) {
    if (after < 0) after = 0;
    for (int attempt = 0;; ++attempt) {
        int64_t snapshot = hub_.last_id();
        auto events = store_.events_for_user(me.id, after, kMaxEventsPerBatch);
        if (!events.empty()) {
            int64_t cursor = events.back().id;
            return EventBatch{std::move(events), cursor};
        }
        // Nothing visible up to the snapshot: invisible events may be skipped.
        EventBatch empty{{}, std::max(after, snapshot)};
        if (!reply || deadline <= Hub::Clock::now() || attempt >= 3) return empty;
        std::vector<Event> ready;
        switch (hub_.wait(me.id, after, snapshot, deadline, reply, &ready)) {
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
