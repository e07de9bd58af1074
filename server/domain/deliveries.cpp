// Delivery status of e-mail notifications: outbox rows about a message become
// Message.deliveries for its author, a permanent failure becomes one "delivery_failed"
// event, and the author may queue a failed row again. See domain.h.
#include "server/domain/domain.h"
#include "server/base/log.h"
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

void Domain::forget_details(int64_t request_id) {
    std::unique_lock dl(details_mu_);
    ++details_gen_;  // a detail being built from the old rows must not be cached
    details_.erase(request_id);
}

void Domain::fill_deliveries(RequestData& data) {
    if (!outbox_) return;
    for (const auto& info : outbox_->deliveries(data.request.id)) data.deliveries.push_back(to_record(info));
}

void Domain::delivery_changed(const OutboxRow& row) {
    // The recipient's address is rejected: every page of theirs now asks for a From address.
    if (row.status == kOutFailedPermanent && row.error_kind == kMailAddressRejected && row.to_user_id > 0)
        forget_user_details(row.to_user_id);
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
