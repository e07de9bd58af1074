// Posts: group commit. A post's cost is its durable write; when several posters are
// ready at once, one of them (the leader) stores them all in one transaction, so that
// they share the fsync and the pages they touch (the same index leaves), then publishes
// their events in order and queues their notifications. The others wait for it. With a
// single poster this is one post per transaction, as before. The notification queue's
// writes let posts go first (yield_to_posts). See domain.h (PendingPost).
#include "server/base/log.h"
#include "server/base/text.h"
#include "server/domain/domain.h"

namespace parley::server {

void Domain::commit_post(PendingPost& p) {
    std::unique_lock lk(commit_mu_);
    commit_queue_.push_back(&p);
    // Wait while another poster stores a batch: it may be taking this post too.
    commit_cv_.wait(lk, [&] { return p.done || !committing_; });
    if (p.done) return;
    // The leader: everything queued so far, this post included.
    committing_ = true;
    std::vector<PendingPost*> batch;
    batch.swap(commit_queue_);
    lk.unlock();
    Hub::Wakeups wake;
    try {
        store_posts(batch, wake);
    } catch (...) {
        // store_posts records storage errors per post; anything else fails them all.
        for (auto* q : batch)
            if (!q->error) q->error = std::current_exception();
    }
    lk.lock();
    for (auto* q : batch) q->done = true;
    committing_ = false;
    const bool idle = commit_queue_.empty();
    lk.unlock();
    commit_cv_.notify_all();  // the batch's posters return, one of the others leads next
    if (idle) posts_idle_cv_.notify_all();
    if (search_indexer_) search_indexer_->poke();
    wake.deliver();           // replies post to their connections' threads
}

int Domain::index_for_search() {
    yield_to_posts();
    return store_.index_for_search(kSearchIndexBatch);
}

void Domain::yield_to_posts() {
    std::unique_lock lk(commit_mu_);
    posts_idle_cv_.wait_for(lk, kPostsFirst, [&] { return commit_queue_.empty() && !committing_; });
}

void Domain::store_posts(std::vector<PendingPost*>& batch, Hub::Wakeups& wake) {
    std::lock_guard lk(write_mu_);
    // The message, its events, the idempotency key, its language and the translation
    // sent along.
    auto store_one = [&](PendingPost& p) {
        PostOutcome& r = p.outcome;
        r = store_.post_message(p.conversation, p.author, *p.text, *p.key, now_(), *p.attachments);
        if (!r.created) return;
        std::string item = tagged_id("m", r.message.id);
        try {
            store_.set_text_lang(item, p.request_id, p.lang);
        } catch (const std::exception& e) {
            // Without a language the text is tagged again at the next start.
            log_line(std::string("parley: cannot store the language of ") + item + ": " + e.what());
        }
        if (p.sent) {
            p.sent->item = item;
            try {
                store_.add_translation(*p.sent, p.request_id, p.sent->provider, /*sent=*/true);
            } catch (const std::exception& e) {
                log_line(std::string("parley: cannot store the translation sent with ") + item + ": " + e.what());
            }
        }
    };
    bool stored = false;
    if (batch.size() > 1) {
        try {
            store_.transaction([&] {
                for (auto* p : batch) store_one(*p);
            });
            stored = true;
        } catch (const std::exception& e) {
            // Rolled back as a whole: each alone, so that one failure is only its own.
            log_line(std::string("parley: a batch of ") + std::to_string(batch.size()) +
                     " posts failed, storing them one by one: " + e.what());
            for (auto* p : batch) p->outcome = PostOutcome{};
        }
    }
    if (!stored) {
        for (auto* p : batch) {
            try {
                store_.transaction([&] { store_one(*p); });
            } catch (...) {
                p->outcome = PostOutcome{};
                p->error = std::current_exception();
            }
        }
    }
    // Published in event order (the batch's order), each post's notifications queued
    // behind it: the queue's cursor only moves past posts whose mails are stored.
    for (auto* p : batch) {
        PostOutcome& r = p->outcome;
        if (p->error || !r.created) continue;
        publish(r.events, wake);
        if (!mailer_) continue;
        // A reply that came from the author's mailbox (mail_in.cpp keys its posts
        // "mail:...") is already in their mailbox: no own copy.
        PostNotice n{0, p->request_id, p->conversation, r.message, p->key->rfind("mail:", 0) != 0, false};
        for (const auto& e : r.events)
            if (e.event.kind == "message") n.event_id = e.event.id;
        if (notify_queue_) notify_queue_->push(std::move(n));
        else p->notice = std::move(n);
    }
}

}  // namespace parley::server
