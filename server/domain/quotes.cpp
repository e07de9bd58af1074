// Domain: structured quotes. A quote belongs to a conversation and has its
// visibility: the seller side of that conversation sends and revises it (reply right,
// never the buyer), the buyer opens and accepts it, everyone in it may read it.
// Numbers are per issuing seller (the conversation's owner) and year; a revision keeps
// the number, takes version + 1 and supersedes the previous one. Totals are always
// recomputed here (net/quote.h); what the client says about them is ignored.
#include <ctime>

#include "server/domain/domain.h"
#include "server/domain/util.h"
#include "server/mail/notify.h"
#include "server/base/text.h"
#include "server/domain/workflow.h"

namespace parley::server {
namespace {

constexpr size_t kMaxAcceptNameChars = 200;

DomainError quote_missing() { return {404, "not_found", "No such quote."}; }
DomainError conflict(const std::string& code, const std::string& message) { return {409, code, message}; }

int utc_year(Millis t) {
    std::time_t s = static_cast<std::time_t>(t / 1000);
    std::tm tm{};
    gmtime_r(&s, &tm);
    return tm.tm_year + 1900;
}

const char* kQuoteHelp =
    "A quote has \"lines\" (product, reference, unit: strings; quantity, unit_price, discount_bp: integers), "
    "\"currency\", \"incoterm\", \"payment_terms\", \"notes\" (strings), \"tax_bp\", \"shipping\", "
    "\"lead_time_days\", \"valid_until\", \"conversation_id\" (integers) and \"online_payment\" (boolean).";

// The newest version carrying q's number in q's conversation.
int current_version(Store& store, const Quote& q) {
    int v = q.version;
    for (const auto& other : store.quotes(q.request_id))
        if (other.conversation_id == q.conversation_id && other.number == q.number && other.version > v)
            v = other.version;
    return v;
}

}  // namespace

// Copies the content fields of the body onto `base` (which carries the server's ids,
// number, version, status and dates), validates and computes the totals.
Result<Quote> Domain::quote_content(const std::string& json_body, Quote base) {
    auto in = parse_body<Quote>(json_body, kQuoteHelp);
    if (!in) return in.error;
    base.lines = std::move(in->lines);
    base.currency = std::move(in->currency);
    base.tax_bp = in->tax_bp;
    base.shipping = in->shipping;
    base.incoterm = std::move(in->incoterm);
    base.lead_time_days = in->lead_time_days;
    base.valid_until = in->valid_until;
    base.payment_terms = std::move(in->payment_terms);
    base.notes = std::move(in->notes);
    base.online_payment = in->online_payment;
    base.totals = {};
    auto errors = validate_quote(base);
    FieldError overflow;
    if (errors.empty() && !update_totals(base, &overflow)) errors.push_back(overflow);
    if (!errors.empty()) {
        std::string message = "The quote cannot be sent: ";
        for (size_t i = 0; i < errors.size(); ++i)
            message += (i ? "; " : "") + errors[i].field + ": " + errors[i].message;
        return DomainError{400, "invalid_quote", message + "."};
    }
    return base;
}

Result<Domain::QuoteView> Domain::quote_view(const User& me, int64_t quote_id, Action action) {
    auto rec = store_.quote(quote_id);
    if (!rec) return quote_missing();
    int64_t conversation = rec->quote.conversation_id;
    // Not allowed to see the conversation's messages: the quote does not exist for them.
    if (!permit(me, rec->quote.request_id, Action::view_messages, conversation)) return quote_missing();
    auto v = permit(me, rec->quote.request_id, action, conversation);
    if (!v) return v.error;
    return QuoteView{std::move(*rec), std::move(*v)};
}

Result<Quote> Domain::create_quote(const User& me, int64_t request_id, const std::string& json_body) {
    if (!view(me, request_id)) return not_found();
    auto in = parse_body<Quote>(json_body, kQuoteHelp);
    if (!in) return in.error;
    int64_t conversation = in->conversation_id;
    auto v = permit(me, request_id, Action::reply, conversation);
    if (!v) return v.error;
    if (v->access.buyer) return DomainError{403, "forbidden", "Only the seller side can send a quote."};
    const ConversationFacts* c = v->facts.conversation(conversation);
    if (!c) return not_found();
    Quote base;
    base.conversation_id = conversation;
    base.request_id = request_id;
    base.status = kQuoteSent;
    base.version = 1;
    Hub::Wakeups wake;
    Quote stored;
    {
        std::lock_guard lk(write_mu_);
        Millis now = now_();
        base.created = now;
        auto q = quote_content(json_body, base);
        if (!q) return q.error;
        stored = store_.add_quote(*q, c->seller_id, utc_year(now));
        EventRecord e = quote_event(stored, "quote_sent", me.id, now);
        e.event = store_.add_event(e);
        publish({e}, wake);
    }
    wake.deliver();
    notify("quote", [&](const MailContext& mc) {
        if (auto f = facts(request_id)) notify_quote(mc, *f, stored, "quote_sent", me.id);
    });
    return stored;
}

Result<Quote> Domain::revise_quote(const User& me, int64_t quote_id, const std::string& json_body) {
    auto qv = quote_view(me, quote_id, Action::reply);
    if (!qv) return qv.error;
    if (qv->view.access.buyer) return DomainError{403, "forbidden", "Only the seller side can revise a quote."};
    if (auto in = parse_body<Quote>(json_body, kQuoteHelp); !in) return in.error;
    Hub::Wakeups wake;
    Quote stored;
    {
        std::lock_guard lk(write_mu_);
        Millis now = now_();
        auto prev = store_.quote(quote_id);  // again under the lock: a concurrent accept may have won
        if (!prev) return quote_missing();
        const Quote& p = prev->quote;
        if (p.status == kQuoteAccepted || p.status == kQuotePaid)
            return conflict("quote_accepted", "Quote " + p.number + " was accepted; it can no longer be revised.");
        if (p.status == kQuoteSuperseded)
            return conflict("quote_superseded",
                            "Quote " + p.number + " v" + std::to_string(p.version) +
                                " was already revised; revise the newest version.");
        auto q = quote_content(json_body, parley::revise_quote(p, now));
        if (!q) return q.error;
        q->opened_at = 0;
        q->accepted_at = 0;
        q->accepted_by_name.clear();
        stored = store_.add_quote(*q, prev->seller_id, utc_year(now));
        std::vector<EventRecord> events = {quote_event(p, "quote_superseded", me.id, now),
                                           quote_event(stored, "quote_sent", me.id, now)};
        for (auto& e : events) e.event = store_.add_event(e);
        publish(events, wake);
    }
    wake.deliver();
    notify("quote", [&](const MailContext& mc) {
        if (auto f = facts(stored.request_id)) notify_quote(mc, *f, stored, "quote_sent", me.id);
    });
    return stored;
}

Result<Quote> Domain::quote(const User& me, int64_t quote_id) {
    auto qv = quote_view(me, quote_id, Action::view_messages);
    if (!qv) return qv.error;
    Quote q = std::move(qv->record.quote);
    q.status = effective_status(q, now_());
    return q;
}

Result<bool> Domain::open_quote(const User& me, int64_t quote_id) {
    auto qv = quote_view(me, quote_id, Action::view_messages);
    if (!qv) return qv.error;
    if (!qv->view.access.buyer) return DomainError{403, "forbidden", "Only the buyer opens a quote."};
    Hub::Wakeups wake;
    bool opened = false;
    {
        std::lock_guard lk(write_mu_);
        Millis now = now_();
        opened = store_.mark_quote_opened(quote_id, now);
        if (opened) {
            EventRecord e = quote_event(qv->record.quote, "quote_opened", me.id, now);
            e.event = store_.add_event(e);
            publish({e}, wake);
        }
    }
    wake.deliver();
    return opened;
}

Result<Quote> Domain::accept_quote(const User& me, int64_t quote_id, const std::string& json_body) {
    auto qv = quote_view(me, quote_id, Action::view_messages);
    if (!qv) return qv.error;
    if (!qv->view.access.buyer) return DomainError{403, "forbidden", "Only the buyer can accept a quote."};
    auto in = parse_body<AcceptQuote>(json_body, "\"name\" must be a string and \"version\" an integer.");
    if (!in) return in.error;
    std::string name(trim(in->name));
    if (name.empty()) return DomainError{400, "name_required", "Type your full name to accept the quote."};
    if (name.size() > kMaxAcceptNameChars)
        return DomainError{400, "name_too_long", "The name is longer than 200 bytes."};
    Hub::Wakeups wake;
    Quote out;
    {
        std::lock_guard lk(write_mu_);
        Millis now = now_();
        auto rec = store_.quote(quote_id);
        if (!rec) return quote_missing();
        Quote& q = rec->quote;
        int current = current_version(store_, q);
        if (in->version != current)
            return conflict("stale_version", "Quote " + q.number + " is at version " + std::to_string(current) +
                                                 "; review the current version before accepting.");
        if (q.status == kQuoteAccepted || q.status == kQuotePaid)
            return conflict("already_accepted", "Quote " + q.number + " was already accepted.");
        if (q.status == kQuoteSuperseded)
            return conflict("quote_superseded", "This version of quote " + q.number + " was replaced.");
        if (is_expired(q, now)) return conflict("quote_expired", "Quote " + q.number + " has expired.");
        if (q.status != kQuoteSent && q.status != kQuoteOpened)
            return conflict("invalid_status", "Quote " + q.number + " cannot be accepted now.");
        std::vector<EventRecord> events;
        if (store_.mark_quote_opened(quote_id, now)) events.push_back(quote_event(q, "quote_opened", me.id, now));
        store_.accept_quote(quote_id, name, q.version, now);
        EventRecord e = quote_event(q, "quote_accepted", me.id, now);
        e.event.text = name;
        events.push_back(e);
        for (auto& ev : events) ev.event = store_.add_event(ev);
        publish(events, wake);
        auto after = store_.quote(quote_id);
        if (!after) return quote_missing();
        out = std::move(after->quote);
    }
    wake.deliver();
    notify("quote", [&](const MailContext& mc) {
        if (auto f = facts(out.request_id)) notify_quote(mc, *f, out, "quote_accepted", me.id);
    });
    return out;
}

}  // namespace parley::server
