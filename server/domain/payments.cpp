// Domain: online payment of accepted quotes. The buyer asks for a checkout
// (pay_quote); the provider's confirmation — a verified webhook, or the demo checkout
// page — is the only way a quote becomes paid (confirm_payment): the session must be
// ours and for that quote, amount and currency must equal the quote's, and each
// (provider, event id) is processed once, so redelivered events change nothing.
#include <cctype>

#include "server/base/crypto.h"
#include "server/domain/domain.h"
#include "server/base/log.h"
#include "server/mail/notify.h"
#include "server/domain/workflow.h"

namespace parley::server {
namespace {

constexpr Millis kPaymentSessionTtl = 24LL * 3600 * 1000;  // like Stripe's default

DomainError quote_missing() { return {404, "not_found", "No such quote."}; }
DomainError no_session() { return {404, "not_found", "This checkout session does not exist or has expired."}; }

bool same_currency(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

}  // namespace

void Domain::set_payment_provider(std::unique_ptr<PaymentProvider> provider, std::string public_url) {
    while (!public_url.empty() && public_url.back() == '/') public_url.pop_back();
    payments_ = std::move(provider);
    public_url_ = std::move(public_url);
}

Result<PayQuote> Domain::pay_quote(const User& me, int64_t quote_id) {
    auto qv = quote_view(me, quote_id, Action::view_messages);
    if (!qv) return qv.error;
    if (!qv->view.access.buyer) return DomainError{403, "forbidden", "Only the buyer pays a quote."};
    const Quote& q = qv->record.quote;
    if (q.status == kQuotePaid) return DomainError{409, "already_paid", "Quote " + q.number + " is already paid."};
    if (q.status != kQuoteAccepted)
        return DomainError{409, "not_accepted", "Accept quote " + q.number + " before paying it."};
    if (!q.online_payment)
        return DomainError{409, "online_payment_disabled", "Quote " + q.number + " is not payable online."};
    if (q.totals.total <= 0) return DomainError{409, "nothing_to_pay", "Quote " + q.number + " has nothing to pay."};
    if (!payments_) return DomainError{503, "payments_unavailable", "Online payment is not configured."};

    CheckoutRequest cr;
    cr.quote = q;
    if (auto seller = store_.user(qv->record.seller_id))
        cr.seller_name = seller->company.empty() ? seller->name : seller->name + " · " + seller->company;
    std::string back = public_url_ + "/requests/" + std::to_string(q.request_id) + "?quote=" + std::to_string(q.id);
    cr.success_url = back + "&paid=1";
    cr.cancel_url = back;
    auto checkout = payments_->create_checkout(cr);  // may block on the network: no lock held
    if (!checkout) return DomainError{checkout.error.status, checkout.error.code, checkout.error.message};

    PaymentSession s;
    s.id = checkout->session_id;
    s.provider = payments_->name();
    s.quote_id = q.id;
    s.amount = q.totals.total;
    s.currency = q.currency;
    s.success_url = cr.success_url;
    s.cancel_url = cr.cancel_url;
    s.created = now_();
    s.expires = s.created + kPaymentSessionTtl;
    store_.add_payment_session(s);
    return PayQuote{checkout->checkout_url, s.provider};
}

Result<bool> Domain::confirm_payment(const ConfirmedPayment& p) {
    auto reject = [&](const std::string& why) {
        log_line("payments: rejected " + p.provider + " event " + p.event_id + " for quote " +
                 std::to_string(p.quote_id) + ": " + why);
        return DomainError{400, "payment_rejected", "Payment rejected: " + why + "."};
    };
    Hub::Wakeups wake;
    bool paid = false;
    std::optional<Quote> paid_quote;  // for the notifications, after the lock
    int64_t payer = 0;
    {
        std::lock_guard lk(write_mu_);
        Millis now = now_();
        auto rec = store_.quote(p.quote_id);
        if (!rec) return reject("unknown quote");
        const Quote& q = rec->quote;
        auto session = store_.payment_session(p.session_id);
        if (!session || session->provider != p.provider || session->quote_id != p.quote_id)
            return reject("no matching checkout session for this quote");
        if (p.amount != q.totals.total || !same_currency(p.currency, q.currency))
            return reject("amount " + std::to_string(p.amount) + " " + p.currency + " does not match the quote's " +
                          std::to_string(q.totals.total) + " " + q.currency);
        if (!q.online_payment) return reject("the quote is not payable online");
        switch (store_.record_payment(p, now)) {
            case PaymentRecord::duplicate_event:
                return false;
            case PaymentRecord::already_paid:
                log_line("payments: quote " + std::to_string(q.id) + " was already paid; " + p.provider + " event " +
                         p.event_id + " (" + p.reference + ") recorded for a refund");
                return false;
            case PaymentRecord::not_payable:
                return reject("the quote is " + q.status + ", not accepted");
            case PaymentRecord::paid:
                break;
        }
        auto request = store_.request(q.request_id);
        EventRecord e = quote_event(q, "quote_paid", request ? request->buyer_id : 0, now);
        e.event = store_.add_event(e);
        publish({e}, wake);
        paid = true;
        paid_quote = q;
        payer = e.event.actor_id;
        log_line("payments: quote " + std::to_string(q.id) + " paid via " + p.provider + " (" + p.reference + ")");
    }
    wake.deliver();
    if (paid_quote)
        notify("payment", [&](const MailContext& mc) {
            if (auto f = facts(paid_quote->request_id)) notify_quote(mc, *f, *paid_quote, "quote_paid", payer);
        });
    return paid;
}

Result<bool> Domain::payment_webhook(const std::string& provider, std::string_view body, std::string_view signature) {
    if (!payments_ || payments_->name() != provider)
        return DomainError{404, "not_found", "No such payment provider is configured."};
    if (body.size() > kMaxJsonBody) return DomainError{413, "body_too_large", "The request body is too large."};
    auto parsed = payments_->parse_webhook(body, signature, now_() / 1000);
    if (!parsed) {
        log_line("payments: " + provider + " webhook refused: " + parsed.error.message);
        return DomainError{parsed.error.status, parsed.error.code, parsed.error.message};
    }
    if (!*parsed) return false;  // authentic, nothing to do
    ConfirmedPayment p = std::move(**parsed);
    p.provider = provider;
    return confirm_payment(p);
}

Result<Domain::DemoCheckout> Domain::demo_checkout(const std::string& session_id) {
    if (!payments_ || payments_->name() != "demo" || session_id.size() > 200) return no_session();
    auto s = store_.payment_session(session_id);
    if (!s || s->provider != "demo" || (s->paid_at == 0 && s->expires < now_())) return no_session();
    auto rec = store_.quote(s->quote_id);
    if (!rec) return quote_missing();
    DemoCheckout out{std::move(*s), std::move(rec->quote), ""};
    if (auto seller = store_.user(rec->seller_id))
        out.seller_name = seller->company.empty() ? seller->name : seller->name + " · " + seller->company;
    return out;
}

Result<CardOutcome> Domain::demo_pay(const std::string& session_id, std::string_view card) {
    auto c = demo_checkout(session_id);
    if (!c) return c.error;
    CardOutcome outcome = demo_card_outcome(card);
    if (outcome != CardOutcome::approved) return outcome;
    // What a provider's webhook would say: the session's amount, one event per session.
    ConfirmedPayment p;
    p.provider = "demo";
    p.event_id = "evt_" + session_id;
    p.session_id = session_id;
    p.quote_id = c->session.quote_id;
    p.amount = c->session.amount;
    p.currency = c->session.currency;
    p.reference = "demo_pi_" + token_hash(session_id).substr(0, 24);
    auto done = confirm_payment(p);
    if (!done) return done.error;
    return outcome;
}

}  // namespace parley::server
