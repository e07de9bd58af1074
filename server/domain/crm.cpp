// Leads into the seller's CRM: a manufacturer's integrations (an outgoing webhook, an Odoo
// connection) and the dispatcher that turns new requests and events into deliveries of
// the persistent queue. What a delivery carries is what its owner sees on screen: built
// from Domain::view and the owner's own page of the request, never from unfiltered data
// (a distributor's conversation text never reaches the manufacturer's receiver).
// Sending: crm_send.cpp.
#include <ctime>

#include "server/base/crypto.h"
#include "server/domain/domain.h"
#include "server/domain/util.h"
#include "server/mail/relay.h"

namespace parley::server {

namespace {

constexpr int kLogPage = 20;
constexpr int kDispatchBatch = 500;
constexpr Millis kDispatchLease = 30000;

// A server whose store keeps no integrations answers every CRM call the same way.
DomainError crm_unavailable() {
    return DomainError{503, "crm_disabled", "CRM integrations are not available on this server."};
}

DomainError only_manufacturers() {
    return DomainError{403, "forbidden", "Only a manufacturer connects a CRM."};
}

bool known_kind(const std::string& kind) { return kind == kCrmWebhook || kind == kCrmOdoo; }

CrmDeliveryInfo info_of(const CrmDelivery& d) {
    return CrmDeliveryInfo{d.id, d.request_id, d.type, d.status, d.attempts,
                           d.status == kCrmPending ? d.next_try : 0, d.last_code, d.last_error, d.created, d.updated};
}

// http(s)://host[:port]/path, at most 2,000 characters, no user:password, no spaces.
bool valid_crm_url(const std::string& url, std::string& why) {
    if (url.size() > 2000) return why = "The URL is too long (2,000 characters at most).", false;
    const bool https = url.rfind("https://", 0) == 0;
    if (!https && url.rfind("http://", 0) != 0) return why = "The URL must start with https:// or http://.", false;
    const std::string rest = url.substr(https ? 8 : 7);
    const std::string host = rest.substr(0, rest.find_first_of("/?#"));
    if (host.empty() || host.find('@') != std::string::npos)
        return why = "The URL must name a host (and no user name or password).", false;
    for (unsigned char c : url)
        if (c <= ' ' || c == 0x7f) return why = "The URL must not contain spaces or control characters.", false;
    return true;
}

// Event kinds a CRM hears of, by their webhook type; others (read marks, CC, delivery
// failures, superseded quote versions) are not sales milestones.
const char* webhook_type(const std::string& kind) {
    static const std::pair<const char*, const char*> map[] = {
        {"message", "message.created"},     {"routed", "request.routed"},      {"forwarded", "request.forwarded"},
        {"answered", "request.answered"},   {"declined", "request.declined"},  {"reopened", "request.reopened"},
        {"quote_sent", "quote.sent"},       {"quote_opened", "quote.opened"},  {"quote_accepted", "quote.accepted"},
        {"quote_paid", "quote.paid"},       {"sale_closed", "sale.closed"},    {"sale_lost", "sale.lost"},
        {"rated", "request.rated"},         {"phone_revealed", "request.phone_revealed"}};
    for (const auto& [k, t] : map)
        if (kind == k) return t;
    return nullptr;
}

nlohmann::json user_json(const User& u) { return {{"name", u.name}, {"company", u.company}, {"role", u.role}}; }

// RFC 3339 in UTC with milliseconds: "2026-12-07T13:20:05.120Z".
std::string rfc3339(Millis ms) {
    std::time_t s = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&s, &tm);
    char buf[80];  // room for any int the compiler can imagine
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
    return buf;
}

}  // namespace

// ---------------------------------------------------------------- settings

Result<CrmIntegrations> Domain::integrations(const User& me) {
    if (me.role != kRoleManufacturer) return only_manufacturers();
    if (!crm_) return crm_unavailable();
    CrmIntegrations out;
    if (auto w = crm_->integration(me.id, kCrmWebhook)) {
        out.has_webhook = true;
        out.webhook = CrmWebhook{w->url, w->secret, w->enabled, w->created};
        for (const auto& d : crm_->log(w->id, 0, kLogPage)) out.webhook_log.push_back(info_of(d));
    }
    if (auto o = crm_->integration(me.id, kCrmOdoo)) {
        out.has_odoo = true;
        out.odoo = CrmOdoo{o->url, o->database, o->login, !o->secret.empty(), o->enabled, o->created};
        for (const auto& d : crm_->log(o->id, 0, kLogPage)) out.odoo_log.push_back(info_of(d));
    }
    return out;
}

Result<CrmIntegrations> Domain::save_integration(const User& me, const std::string& kind, const std::string& json_body) {
    if (me.role != kRoleManufacturer) return only_manufacturers();
    if (!crm_) return crm_unavailable();
    if (!known_kind(kind)) return not_found();
    CrmIntegration i;
    if (auto old = crm_->integration(me.id, kind)) i = *old;
    i.owner_id = me.id;
    i.kind = kind;
    std::string why;
    if (kind == kCrmWebhook) {
        auto in = parse_body<CrmWebhookInput>(json_body, "Expected {\"url\": string, \"enabled\": boolean}.");
        if (!in) return in.error;
        if (!valid_crm_url(in->url, why)) return DomainError{400, "invalid_field", why};
        i.url = in->url;
        i.enabled = in->enabled;
        if (i.secret.empty()) i.secret = "whsec_" + random_token();
    } else {
        auto in = parse_body<CrmOdooInput>(
            json_body, "Expected {\"url\", \"database\", \"login\", \"api_key\": strings, \"enabled\": boolean}.");
        if (!in) return in.error;
        if (!valid_crm_url(in->url, why)) return DomainError{400, "invalid_field", why};
        if (in->database.empty() || in->database.size() > 200 || in->login.empty() || in->login.size() > 200)
            return DomainError{400, "invalid_field", "The Odoo database and login are required."};
        if (in->api_key.empty() && i.secret.empty())
            return DomainError{400, "invalid_field", "The Odoo API key is required."};
        if (in->api_key.size() > 500) return DomainError{400, "invalid_field", "The API key is too long."};
        while (!in->url.empty() && in->url.back() == '/') in->url.pop_back();
        i.url = in->url;
        i.database = in->database;
        i.login = in->login;
        if (!in->api_key.empty()) i.secret = in->api_key;
        i.enabled = in->enabled;
    }
    const Millis now = now_();
    if (!i.created) i.created = now;
    i.updated = now;
    crm_->save_integration(i);
    return integrations(me);
}

Result<CrmIntegrations> Domain::remove_integration(const User& me, const std::string& kind) {
    if (me.role != kRoleManufacturer) return only_manufacturers();
    if (!crm_) return crm_unavailable();
    if (!known_kind(kind)) return not_found();
    auto i = crm_->integration(me.id, kind);
    if (!i) return not_found();
    crm_->delete_integration(i->id);
    return integrations(me);
}

Result<CrmIntegrations> Domain::new_webhook_secret(const User& me) {
    if (me.role != kRoleManufacturer) return only_manufacturers();
    if (!crm_) return crm_unavailable();
    auto i = crm_->integration(me.id, kCrmWebhook);
    if (!i) return DomainError{404, "not_found", "No webhook is set up."};
    i->secret = "whsec_" + random_token();
    i->updated = now_();
    crm_->save_integration(*i);
    return integrations(me);
}

Result<CrmIntegrations> Domain::test_integration(const User& me, const std::string& kind) {
    if (me.role != kRoleManufacturer) return only_manufacturers();
    if (!crm_) return crm_unavailable();
    if (!known_kind(kind)) return not_found();
    auto i = crm_->integration(me.id, kind);
    if (!i) return DomainError{404, "not_found", "Set it up first."};
    const Millis now = now_();
    CrmDelivery d;
    d.integration_id = i->id;
    d.type = "ping";
    d.next_try = now;
    d.created = now;
    if (kind == kCrmWebhook)
        d.payload = nlohmann::json{{"schema", 1},
                                   {"id", "ping_" + std::to_string(now)},
                                   {"type", "ping"},
                                   {"created_at", rfc3339(now)},
                                   {"seller", user_json(me)},
                                   {"text", "A test event from Parley: your receiver is reached and checks the signature."}}
                        .dump();
    crm_->enqueue(d);
    return integrations(me);
}

Result<CrmLog> Domain::integration_log(const User& me, const std::string& kind, int64_t before) {
    if (me.role != kRoleManufacturer) return only_manufacturers();
    if (!crm_) return crm_unavailable();
    if (!known_kind(kind)) return not_found();
    auto i = crm_->integration(me.id, kind);
    if (!i) return not_found();
    CrmLog out;
    auto rows = crm_->log(i->id, before, kLogPage + 1);
    if (rows.size() > static_cast<size_t>(kLogPage)) {
        rows.pop_back();
        out.older = rows.back().id;
    }
    for (const auto& d : rows) out.deliveries.push_back(info_of(d));
    return out;
}

Result<CrmIntegrations> Domain::retry_crm_delivery(const User& me, int64_t delivery_id) {
    if (me.role != kRoleManufacturer) return only_manufacturers();
    if (!crm_) return crm_unavailable();
    auto d = crm_->delivery(delivery_id);
    auto i = d ? crm_->integration_by_id(d->integration_id) : std::nullopt;
    if (!i || i->owner_id != me.id) return DomainError{404, "not_found", "No such delivery."};
    if (!crm_->requeue(delivery_id, now_()))
        return DomainError{409, "not_failed", "Only a delivery that failed can be tried again."};
    return integrations(me);
}

// ---------------------------------------------------------------- dispatching

namespace {

// The request as its owner sees it: their page of it (newest messages only).
nlohmann::json request_json(const RequestDetail& d, const std::string& public_url, const std::string& relay) {
    nlohmann::json buyer = {{"name", d.buyer.name}, {"company", d.buyer.company}, {"country", d.buyer.country}};
    if (!relay.empty()) buyer["email"] = relay;  // the relay address: replies reach the buyer through Parley
    if (!d.phone.empty()) buyer["phone"] = d.phone;
    nlohmann::json handlers = nlohmann::json::array();
    std::string status = "open";
    for (const auto& c : d.conversations) {
        handlers.push_back({{"conversation_id", c.id}, {"name", c.seller.name}, {"role", c.seller.role},
                            {"status", c.status}});
        if (c.id == d.my_conversation) status = c.status;
    }
    nlohmann::json r = {{"id", d.id},          {"url", public_url + "/requests/" + std::to_string(d.id)},
                        {"product", d.product}, {"text", d.message},
                        {"country", d.country}, {"language", d.language},
                        {"received_at", rfc3339(d.created)}, {"buyer", buyer},
                        {"status", status},     {"handlers", handlers}};
    for (const auto& q : d.quotes)
        if (q.status == kQuoteAccepted || q.status == kQuotePaid) {
            r["accepted_quote"] = {{"number", q.number}, {"version", q.version}, {"currency", q.currency},
                                   {"total_minor", q.totals.total}, {"exponent", currency_exponent(q.currency)}};
            break;
        }
    return r;
}

}  // namespace

int Domain::crm_dispatch(const std::string& owner) {
    if (!crm_) return 0;
    const Millis now = now_();
    auto cursor = crm_->claim_cursor(owner, now, now + kDispatchLease);
    if (!cursor) return 0;
    const auto integrations = crm_->enabled_integrations();
    if (integrations.empty()) {
        // Nobody listens: history is not sent to an integration enabled later.
        crm_->advance_cursor(owner, CrmStore::Cursor{store_.max_event_id(), store_.max_request_id()});
        return 0;
    }
    std::unordered_map<int64_t, std::optional<User>> owners;
    auto owner_user = [&](int64_t id) -> const std::optional<User>& {
        auto it = owners.find(id);
        if (it != owners.end()) return it->second;
        auto u = store_.user(id);
        return owners[id] = u ? std::optional<User>(u->to_wire()) : std::nullopt;
    };
    auto relay_for = [&](const RequestDetail& d, int64_t user) {
        return mail_in_ && d.my_conversation ? relay_address(relay_key_, d.my_conversation, user, relay_domain_)
                                             : std::string();
    };
    int queued = 0;
    auto enqueue = [&](const CrmIntegration& i, int64_t event_id, int64_t request_id, const std::string& type,
                       std::string payload) {
        CrmDelivery d;
        d.integration_id = i.id;
        d.event_id = event_id;
        d.request_id = request_id;
        d.type = type;
        d.payload = std::move(payload);
        d.next_try = now;
        d.created = now;
        if (crm_->enqueue(d)) ++queued;
    };

    // New requests first, then the events up to the newest read before them: a request's
    // first events never go out before it.
    const int64_t event_max = store_.max_event_id();
    CrmStore::Cursor next = *cursor;
    for (const auto& r : store_.requests_after(cursor->request, kDispatchBatch)) {
        if (r.created > now - crm_opt_.grace) break;
        for (const auto& i : integrations) {
            const auto& u = owner_user(i.owner_id);
            if (!u || !view(*u, r.id)) continue;
            if (i.kind == kCrmOdoo) {
                enqueue(i, 0, r.id, "lead.sync", "");
                continue;
            }
            ThreadWindow w;
            w.limit = 1;
            auto d = detail_window(*u, r.id, w);
            if (!d) continue;
            nlohmann::json body = {{"schema", 1},
                                   {"id", "req_" + std::to_string(r.id)},
                                   {"type", "request.created"},
                                   {"created_at", rfc3339(r.created)},
                                   {"request", request_json(*d, public_url_, relay_for(*d, u->id))}};
            enqueue(i, 0, r.id, "request.created", body.dump());
        }
        next.request = r.id;
    }
    for (const auto& e : store_.events_between(cursor->event, event_max + 1, kDispatchBatch)) {
        if (e.event.created > now - crm_opt_.grace) break;
        next.event = e.event.id;
        const char* type = webhook_type(e.event.kind);
        if (!type) continue;
        for (const auto& i : integrations) {
            const auto& u = owner_user(i.owner_id);
            if (!u) continue;
            auto v = view(*u, e.event.request_id);
            if (!v || !v->access.any() ||
                !may_see(v->access, v->facts, e.audience, e.event.conversation_id, e.event.actor_id))
                continue;
            if (i.kind == kCrmOdoo) {
                enqueue(i, e.event.id, e.event.request_id, "lead.sync", "");
                continue;
            }
            ThreadWindow w;
            w.limit = 1;
            if (e.event.kind == "message") w.around = e.event.message_id;
            auto d = detail_window(*u, e.event.request_id, w);
            if (!d) continue;
            nlohmann::json body = {{"schema", 1},
                                   {"id", "evt_" + std::to_string(e.event.id)},
                                   {"type", type},
                                   {"created_at", rfc3339(e.event.created)},
                                   {"request", request_json(*d, public_url_, relay_for(*d, u->id))},
                                   {"actor", {{"name", e.event.actor_name}, {"role", e.event.actor_role}}}};
            if (e.event.conversation_id) body["conversation_id"] = e.event.conversation_id;
            if (e.event.kind == "message") {
                const Message* m = nullptr;
                for (const auto& x : d->messages)
                    if (x.id == e.event.message_id) m = &x;
                if (!m) continue;  // not in a conversation its owner may read
                nlohmann::json files = nlohmann::json::array();
                for (const auto& a : m->attachments) files.push_back({{"name", a.name}, {"size", a.size}, {"type", a.type}});
                body["message"] = {{"id", m->id},
                                   {"text", m->body},
                                   {"author", {{"name", m->author_name}, {"role", m->author_role}}},
                                   {"via_email", m->via_email},
                                   {"attachments", files}};
                body["actor"] = {{"name", m->author_name}, {"role", m->author_role}};
            }
            if (!e.event.target_name.empty())
                body["target"] = {{"name", e.event.target_name}, {"role", e.event.target_role}};
            if (e.event.kind.rfind("quote_", 0) == 0) {
                nlohmann::json q = {{"number", e.event.text}, {"version", e.event.value}};
                for (const auto& x : d->quotes)
                    if (x.number == e.event.text && x.version == e.event.value)
                        q = {{"number", x.number},       {"version", x.version},
                             {"status", x.status},       {"currency", x.currency},
                             {"total_minor", x.totals.total}, {"exponent", currency_exponent(x.currency)},
                             {"valid_until", x.valid_until ? rfc3339(x.valid_until) : ""}};
                body["quote"] = q;
            } else if (!e.event.text.empty()) {
                body["text"] = e.event.text;  // decline reason, forward note, rating comment
            }
            if (e.event.kind == "rated") body["stars"] = e.event.value;
            enqueue(i, e.event.id, e.event.request_id, type, body.dump());
        }
    }
    crm_->advance_cursor(owner, next);
    return queued;
}

}  // namespace parley::server
