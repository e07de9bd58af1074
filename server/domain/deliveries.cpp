// E-mail notifications of messages: the mails of posts, composed by the notification
// queue's thread (notify_queue.h) and recovered after a crash; their delivery status
// (outbox rows about a message become Message.deliveries for its author, a permanent
// failure becomes one "delivery_failed" event, and the author may queue a failed row
// again). See domain.h.
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "server/base/crypto.h"
#include "server/domain/domain.h"
#include "server/base/log.h"
#include "server/mail/notify.h"
#include "server/mail/smtp.h"  // failure kinds

namespace parley::server {

namespace {

// The outbox's failure kinds (server/mail/smtp.h) as the wire names them (net/wire.h Delivery).
std::string wire_error_kind(const std::string& kind) {
    if (kind.empty()) return "";
    if (kind == kMailAddressRejected || kind == kMailMailboxFull) return kind;
    if (kind == kMailTooLarge) return "too_large";
    if (kind == kMailBlockedSpam) return "spam";
    if (kind == kMailRelayUnreachable) return "unreachable";
    return "other";
}

DeliveryRecord to_record(const DeliveryInfo& info) {
    const OutboxRow& r = info.row;
    DeliveryRecord out;
    out.message_id = r.message_ref;
    out.author_id = info.author_id;
    Delivery& d = out.delivery;
    d.id = r.id;
    d.recipient_id = r.to_user_id;
    d.recipient_name = info.recipient_name;  // never the address: the buyer's is confidential
    d.status = r.status;
    // A failure kind only while it failed: a retried or sent row has none to show.
    if (r.status == kOutFailedPermanent || r.status == kOutFailedTemporary) d.error_kind = wire_error_kind(r.error_kind);
    // When the status last changed: sent_at when sent; a permanent failure keeps its time
    // in next_attempt_at (Outbox::attempt); otherwise when it was queued.
    d.updated = r.status == kOutSent ? r.sent_at : r.status == kOutFailedPermanent ? r.next_attempt_at : r.created;
    return out;
}

}  // namespace

// ---------------------------------------------------------------- the mails of posts

namespace {

// Keeps the composed mails instead of queueing them.
struct KeptMails final : Mailer {
    std::vector<OutgoingMail> mails;
    void enqueue(const OutgoingMail& m) override { mails.push_back(m); }
    std::string mailbox_json(int64_t, int) override { return "{}"; }
};

}  // namespace

void Domain::notify_posts(std::vector<PostNotice>& batch) {
    if (!mailer_ || batch.empty()) return;
    std::string base = mail_url_;
    while (!base.empty() && base.back() == '/') base.pop_back();  // links append "/login/..."
    const Millis now = now_();
    // One sign-in token per recipient and request, reused while it has more than half
    // of its life left (it is reusable and scoped to that request: a mail with an older
    // token grants nothing more). New ones are stored below, before any mail carries them.
    struct Link {
        std::string token;
        bool fresh = false;
    };
    std::map<std::pair<int64_t, int64_t>, Link> links;
    auto link_token = [&](int64_t user, int64_t request) {
        auto key = std::make_pair(user, request);
        auto it = links.find(key);
        if (it != links.end()) return it->second.token;
        {
            std::lock_guard lk(mail_links_mu_);
            auto c = mail_links_.find(key);
            if (c != mail_links_.end() && c->second.issued + kMailLinkTtl / 2 > now)
                return links.emplace(key, Link{c->second.token, false}).first->second.token;
        }
        return links.emplace(key, Link{random_token(), true}).first->second.token;
    };
    // Composed first (no lock, no write), with the users and requests read once.
    KeptMails kept;
    MailContext::Cache cache;
    MailContext mc{kept, store_, base, link_token, &cache};
    std::vector<bool> recovered;  // per mail: its post is a recovered one
    for (auto& n : batch) {
        try {
            if (auto f = facts(n.request_id)) notify_new_reply(mc, *f, n.conversation_id, n.message, n.own_copy);
        } catch (const std::exception& e) {
            log_line("parley: cannot compose the notifications of message " + std::to_string(n.message.id) + ": " +
                     e.what());
        }
        recovered.resize(kept.mails.size(), n.recovered);
    }
    // Posts go first: the queue's writes wait (a little) for a moment when none is being
    // stored, so that a burst of posts is not held behind a batch of mails.
    const bool background = notify_queue_ != nullptr;
    if (background) yield_to_posts();
    // The new links before the mails that carry them: one transaction for the whole batch.
    bool any_fresh = false;
    for (const auto& [key, l] : links) any_fresh = any_fresh || l.fresh;
    if (any_fresh) {
        store_.transaction([&] {
            for (const auto& [key, l] : links)
                if (l.fresh)
                    store_.add_magic_link(token_hash(l.token), key.first, now + kMailLinkTtl, /*reusable=*/true,
                                          key.second);
        });
        std::lock_guard lk(mail_links_mu_);
        if (mail_links_.size() > 100000) mail_links_.clear();  // crude bound; tokens are issued again
        for (const auto& [key, l] : links)
            if (l.fresh) mail_links_[key] = MailLink{l.token, now};
    }
    // What the outbox already holds of recovered posts: (message, recipient, kind).
    std::set<std::tuple<int64_t, int64_t, std::string>> stored;
    if (outbox_) {
        std::set<int64_t> requests;
        for (const auto& n : batch)
            if (n.recovered) requests.insert(n.request_id);
        for (int64_t r : requests)
            for (const auto& d : outbox_->deliveries(r)) stored.emplace(d.row.message_ref, d.row.to_user_id, d.row.kind);
    }
    std::vector<OutgoingMail> mails;
    mails.reserve(kept.mails.size());
    for (size_t i = 0; i < kept.mails.size(); ++i) {
        OutgoingMail& m = kept.mails[i];
        if (recovered[i] && stored.count({m.message_ref, m.to_user_id, m.kind})) continue;
        mails.push_back(std::move(m));
    }
    // Composed by the outbox first; posts go first again before it stores them.
    mailer_->enqueue_all(mails, [&] {
        if (background) yield_to_posts();
    });
}

int Domain::recover_notifications(int64_t cursor,
                                  const std::function<std::vector<EventRecord>(int64_t after)>& read_events) {
    if (!notify_queue_ || !mailer_) return 0;
    int n = 0;
    // The messages of the requests met so far (recovery only: a handful of requests).
    std::unordered_map<int64_t, std::unordered_map<int64_t, Message>> messages;
    for (int64_t after = cursor;;) {
        auto events = read_events(after);
        if (events.empty()) break;
        for (const auto& e : events) {
            after = std::max(after, e.event.id);
            if (e.event.kind != "message" || e.event.message_id <= 0) continue;
            auto it = messages.find(e.event.request_id);
            if (it == messages.end()) {
                auto& list = messages[e.event.request_id];
                if (auto d = store_.request_data(e.event.request_id))
                    for (auto& m : d->messages) list.emplace(m.id, std::move(m));
                it = messages.find(e.event.request_id);
            }
            auto m = it->second.find(e.event.message_id);
            if (m == it->second.end()) continue;
            // A reply that came by e-mail has no own copy (as when it was posted).
            notify_queue_->push(PostNotice{e.event.id, e.event.request_id, m->second.conversation_id, m->second,
                                           !m->second.via_email, true});
            ++n;
        }
    }
    return n;
}

int Domain::sweep_notifications(const std::string& owner, Millis grace) {
    if (!mailer_ || !outbox_) return 0;
    constexpr Millis kLease = 5 * 60 * 1000;  // a sweep that takes longer is taken over
    constexpr int kEventsPerRound = 500, kRounds = 20;  // bounded work per sweep
    const Millis now = now_();
    auto cursor = store_.claim_notice_sweep(owner, now, now + kLease);
    if (!cursor) return 0;
    int notified = 0;
    int64_t at = *cursor;
    for (int round = 0; round < kRounds; ++round) {
        auto events = store_.events_between(at, INT64_MAX, kEventsPerRound);
        int64_t reached = at;
        bool young = false;
        std::vector<const EventRecord*> posts;
        for (const auto& e : events) {
            // Ids commit in order; a post younger than the grace is its instance's to
            // notify still, and so is everything after it.
            if (e.event.created > now - grace) {
                young = true;
                break;
            }
            reached = e.event.id;
            if (e.event.kind == "message" && e.event.message_id > 0) posts.push_back(&e);
        }
        // A post's mails are stored in one transaction (Outbox::enqueue_all): one row of
        // it in the outbox means all of them are there.
        std::vector<int64_t> ids;
        for (const auto* e : posts) ids.push_back(e->event.message_id);
        std::set<int64_t> mailed;
        if (!ids.empty())
            for (const auto& d : outbox_->deliveries_of(ids)) mailed.insert(d.row.message_ref);
        std::vector<PostNotice> batch;
        for (const auto* e : posts) {
            if (mailed.count(e->event.message_id)) continue;
            ThreadWindow w;
            w.around = e->event.message_id;
            w.limit = 1;
            auto d = store_.request_data(e->event.request_id, w);
            if (!d) continue;
            for (auto& m : d->messages)
                if (m.id == e->event.message_id) {
                    const bool own_copy = !m.via_email;  // as when it was posted
                    // Not "recovered": none of its mails is in the outbox (a late copy by
                    // its own instance is refused there, outbox_once).
                    batch.push_back(PostNotice{e->event.id, e->event.request_id, m.conversation_id, std::move(m),
                                               own_copy, false});
                }
        }
        if (!batch.empty()) {
            notify_posts(batch);
            notified += static_cast<int>(batch.size());
            log_line("parley: notification mails of " + std::to_string(batch.size()) +
                     " posts queued by the notice sweep (their instance did not)");
        }
        if (reached > at && !store_.advance_notice_sweep(owner, reached, false)) return notified;  // taken over
        at = reached;
        if (young || static_cast<int>(events.size()) < kEventsPerRound) break;
    }
    store_.advance_notice_sweep(owner, at, /*release=*/true);
    return notified;
}

// ---------------------------------------------------------------- delivery status

void Domain::forget_details(int64_t request_id) {
    std::unique_lock dl(details_mu_);
    ++details_gen_;  // a detail being built from the old rows must not be cached
    details_.erase(request_id);
}

void Domain::fill_deliveries(RequestData& data) {
    if (!outbox_) return;
    // Only the page's messages: a long thread's other mails are not shown.
    std::vector<int64_t> ids;
    ids.reserve(data.messages.size());
    for (const auto& m : data.messages) ids.push_back(m.id);
    for (const auto& info : outbox_->deliveries_of(ids)) data.deliveries.push_back(to_record(info));
}

void Domain::delivery_changed(const OutboxRow& row) {
    // The recipient's address is rejected: every page of theirs now asks for a From address.
    if (row.status == kOutFailedPermanent && row.error_kind == kMailAddressRejected && row.to_user_id > 0) {
        forget_undeliverable(row.to_user_id);
        forget_user_details(row.to_user_id);
    }
    if (row.message_ref <= 0 || row.request_id <= 0) return;
    // Every change shows in the author's next GET (the status under their message).
    forget_details(row.request_id);
    if (row.status != kOutFailedPermanent || row.failure_event_id != 0 || !outbox_) return;
    auto info = outbox_->delivery(row.id);
    auto f = facts(row.request_id);
    if (!info || !f || info->author_id <= 0) return;

    EventRecord e;
    Event& ev = e.event;
    ev.request_id = row.request_id;
    ev.conversation_id = row.conversation_id;
    ev.message_id = row.message_ref;
    ev.actor_id = info->author_id;  // whose message was not delivered
    ev.kind = "delivery_failed";
    ev.target_id = row.to_user_id;
    ev.target_name = info->recipient_name;  // the name only, never the address
    ev.text = wire_error_kind(row.error_kind);
    ev.created = now_();
    // Only the author's side may see it. A seller's message: the seller side of that
    // conversation (the author and whoever is in copy with them), never the buyer or
    // another conversation's sellers. A buyer's message: policy.h has no buyer-only
    // audience; "conversation" is the narrowest that includes the buyer. Its other
    // members are then the recipients themselves (the seller side of that one
    // conversation), and the event names only them and a failure kind — no address,
    // nothing of another conversation. The buyer's own copy bouncing is the buyer's
    // business alone: no event (the red line under their message still shows it).
    const bool buyer_author = info->author_id == f->buyer_id;
    if (buyer_author && row.to_user_id == info->author_id) return;
    e.audience = buyer_author ? Audience::conversation : Audience::conversation_sellers;

    Hub::Wakeups wake;
    {
        std::lock_guard lk(write_mu_);
        // The worker is the only caller for a failed row, but a row retried and failed
        // again while we got here must still record one event per failure.
        auto now_row = outbox_->get(row.id);
        if (!now_row || now_row->status != kOutFailedPermanent || now_row->failure_event_id != 0) return;
        ev = store_.add_event(e);
        outbox_->set_failure_event(row.id, ev.id);
        publish({e}, wake);
    }
    wake.deliver();
}

Result<RequestDetail> Domain::retry_delivery(const User& me, int64_t delivery_id) {
    const DomainError missing{404, "not_found", "No such delivery."};
    if (!outbox_ || delivery_id <= 0) return missing;
    auto info = outbox_->delivery(delivery_id);
    // Only the author sees a message's deliveries: anyone else gets the answer of a missing row.
    if (!info || info->row.message_ref <= 0 || info->author_id != me.id) return missing;
    auto v = view(me, info->row.request_id);
    if (!v || !v->access.in(info->row.conversation_id)) return missing;  // no longer in that conversation
    if (info->row.status != kOutFailedPermanent || !mailer_ || !mailer_->requeue(delivery_id))
        return DomainError{409, "not_failed", "Only a delivery that failed for good can be retried."};
    log_line("parley: mail " + std::to_string(delivery_id) + " queued again by user " + std::to_string(me.id));
    return detail(me, info->row.request_id);
}

}  // namespace parley::server
