// Leads into the seller's CRM: sending the queue's due deliveries. Webhooks are POSTed
// signed like the payment providers' (a timestamp and an HMAC-SHA256 of "t.body" under
// the seller's secret); Odoo leads are created or updated through its JSON-RPC API from
// the request as its owner sees it now. A failure is tried again with backoff, then given
// up; the log shows each try's answer. Dispatching: crm.cpp.
#include <cmath>
#include <future>
#include <map>

#include "server/base/crypto.h"
#include "server/base/http_client.h"
#include "server/base/metrics.h"
#include "server/crm/odoo.h"
#include "server/domain/domain.h"
#include "server/mail/relay.h"

namespace parley::server {

namespace {

constexpr Millis kSendLease = 120000;  // a try takes at most the call's timeout; then another may
constexpr long kTimeoutS = 10;

Millis backoff(const CrmOptions& o, int attempts) {
    static const int steps[] = {1, 4, 20, 60, 120, 360, 720, 1440};
    const int i = std::min<int>(std::max(attempts, 1), static_cast<int>(std::size(steps))) - 1;
    return o.retry_base * steps[i];
}

// parley_crm_deliveries_total{kind, outcome}: each try's outcome — delivered, retry (to be
// tried again) or failed (given up) — for webhooks and Odoo.
Counter& tries(const std::string& kind, const std::string& outcome) {
    static Family<Counter>& f = metrics().counters(
        "parley_crm_deliveries_total",
        "Tries to deliver an event to a seller's CRM, by kind (webhook, odoo) and outcome (delivered, retry, failed).",
        {"kind", "outcome"}, 8);
    const uint64_t key = (kind == kCrmOdoo ? 4u : 0u) + (outcome == "delivered" ? 0u : outcome == "retry" ? 1u : 2u);
    return f.at(key, [&] { return std::vector<std::string>{kind, outcome}; });
}
// Registered at start: they read 0 before the first try.
[[maybe_unused]] const bool kRegistered = [] {
    for (const char* k : {kCrmWebhook, kCrmOdoo})
        for (const char* o : {"delivered", "retry", "failed"}) tries(k, o);
    return true;
}();

std::string short_error(std::string s) {
    if (s.size() > 300) s = s.substr(0, 297) + "...";
    return s;
}

}  // namespace

std::string webhook_signature(const std::string& secret, int64_t unix_s, const std::string& body) {
    return "t=" + std::to_string(unix_s) + ",v1=" + hmac_sha256_hex(secret, std::to_string(unix_s) + "." + body);
}

// One try of one delivery; fills its outcome (status, attempts, next try, answer).
void Domain::crm_try(CrmDelivery& d, const CrmIntegration& i) {
    bool ok = false, retry = true;
    int code = 0;
    std::string error;
    if (!i.enabled) {
        error = "the integration is switched off";
    } else if (i.kind == kCrmWebhook) {
        HttpCall call;
        call.method = "POST";
        call.url = i.url;
        call.timeout_s = kTimeoutS;
        call.max_answer = 64 * 1024;
        call.public_only = !crm_opt_.allow_private;
        call.body = d.payload;
        call.headers = {"Content-Type: application/json", "User-Agent: Parley-Webhooks/1", "Parley-Event: " + d.type,
                        "Parley-Delivery: " + std::to_string(d.id),
                        "Parley-Signature: " + webhook_signature(i.secret, now_() / 1000, d.payload)};
        HttpAnswer a = http_call(call);
        code = static_cast<int>(a.status);
        ok = a.ok && a.status >= 200 && a.status < 300;
        if (!a.ok) error = a.error;
        else if (!ok) error = "the receiver answered HTTP " + std::to_string(a.status);
    } else {
        OdooConfig cfg{i.url, i.database, i.login, i.secret};
        OdooResult r;
        if (d.type == "ping") {
            r = odoo_check(cfg);
        } else {
            auto u = store_.user(i.owner_id);
            auto lead = u ? crm_lead(u->to_wire(), d.request_id) : std::nullopt;
            if (lead) lead->reopened = d.type == "request.reopened";
            if (!lead) {
                r.ok = true;  // no longer theirs to see: nothing to send
            } else {
                r = odoo_upsert_lead(cfg, *lead, crm_->lead_of(i.id, d.request_id));
                if (r.ok && r.lead_id) crm_->set_lead(i.id, d.request_id, r.lead_id);
            }
        }
        ok = r.ok;
        retry = r.retryable;
        code = static_cast<int>(r.status);
        error = r.error;
    }
    d.attempts += 1;
    d.last_code = code;
    d.last_error = ok ? std::string() : short_error(error);
    d.updated = now_();
    if (ok) {
        d.status = kCrmDelivered;
    } else if (!retry || d.attempts >= crm_opt_.max_attempts) {
        d.status = kCrmFailed;
    } else {
        d.status = kCrmPending;
        d.next_try = d.updated + backoff(crm_opt_, d.attempts);
    }
    tries(i.kind, ok ? "delivered" : d.status == kCrmFailed ? "failed" : "retry").inc();
}

int Domain::crm_send(int limit) {
    if (!crm_) return 0;
    const Millis now = now_();
    auto due = crm_->claim_due(now, now + kSendLease, limit);
    // By integration, each receiver on a thread of its own: a slow or dead one does not
    // hold up the others. Within one, in order; after a try that will be retried, the
    // rest of its batch waits for the next round untouched (one timeout per round, not
    // one per delivery, for a receiver that is down).
    std::map<int64_t, std::vector<CrmDelivery*>> groups;
    for (auto& d : due) groups[d.integration_id].push_back(&d);
    std::vector<std::future<void>> running;
    for (auto& [id, list] : groups)
        running.push_back(std::async(std::launch::async, [this, id = id, &list] {
            auto i = crm_->integration_by_id(id);
            if (!i) return;  // removed meanwhile: its rows went with it
            bool down = false;
            for (CrmDelivery* d : list) {
                if (down) {
                    d->next_try = now_() + crm_opt_.retry_base;  // not a try: attempts unchanged
                    d->updated = now_();
                } else {
                    crm_try(*d, *i);
                    down = d->status == kCrmPending;
                }
                crm_->finish(*d);
            }
        }));
    for (auto& f : running) f.get();
    return static_cast<int>(due.size());
}

// What Odoo gets of a request: its owner's view (the buyer's e-mail is the relay address,
// the phone only once revealed to them, the revenue of the quote accepted on their side).
std::optional<LeadFields> Domain::crm_lead(const User& owner, int64_t request_id) {
    auto v = view(owner, request_id);
    if (!v || !v->access.any()) return std::nullopt;
    ThreadWindow w;
    w.limit = 1;
    auto d = detail_window(owner, request_id, w);
    if (!d) return std::nullopt;
    LeadFields f;
    f.request_id = request_id;
    f.name = d->product;
    f.partner_name = d->buyer.company;
    f.contact_name = d->buyer.name;
    if (mail_in_ && d->my_conversation)
        f.email_from = relay_address(relay_key_, d->my_conversation, owner.id, relay_domain_);
    f.phone = d->phone;
    f.country_code = d->country;
    f.description = d->message;
    f.url = public_url_ + "/requests/" + std::to_string(request_id);
    std::string status = "open";
    bool replied = false;
    if (const auto* c = v->facts.conversation(d->my_conversation)) {
        status = c->status;
        replied = c->seller_replied;
    }
    bool quoted = false;
    for (const auto& q : d->quotes) {
        if (q.conversation_id != d->my_conversation) continue;
        quoted = true;
        if ((q.status == kQuoteAccepted || q.status == kQuotePaid) && f.expected_revenue == 0)
            f.expected_revenue = static_cast<double>(q.totals.total) / std::pow(10.0, currency_exponent(q.currency));
    }
    f.stage = status == "won"        ? "won"
              : status == "lost"     ? "lost"
              : status == "declined" ? "declined"
              : quoted               ? "quoted"
              : replied              ? "answered"
                                     : "new";
    return f;
}

}  // namespace parley::server
