// Tables crm_integrations, crm_deliveries, crm_leads, crm_cursor (schema: pg_migrations
// step 9) on their own pool. See server/store/crm_store.h.
#include "server/store/crm_store.h"

#include <algorithm>

#include "server/store/pg/db.h"
#include "server/store/pg/open.h"

namespace parley::server::pg {

namespace {

#define INTEGRATION_COLUMNS "id, owner_id, kind, url, secret, database, login, enabled, created, updated"
#define DELIVERY_COLUMNS \
    "id, integration_id, event_id, request_id, type, payload, status, attempts, next_try, last_code, " \
    "last_error, created, updated"

CrmIntegration read_integration(const Result& r, int i) {
    CrmIntegration o;
    o.id = r.i64(i, 0);
    o.owner_id = r.i64(i, 1);
    o.kind = r.text(i, 2);
    o.url = r.text(i, 3);
    o.secret = r.text(i, 4);
    o.database = r.text(i, 5);
    o.login = r.text(i, 6);
    o.enabled = r.i64(i, 7) != 0;
    o.created = r.i64(i, 8);
    o.updated = r.i64(i, 9);
    return o;
}

CrmDelivery read_delivery(const Result& r, int i) {
    CrmDelivery d;
    d.id = r.i64(i, 0);
    d.integration_id = r.i64(i, 1);
    d.event_id = r.i64(i, 2);
    d.request_id = r.i64(i, 3);
    d.type = r.text(i, 4);
    d.payload = r.text(i, 5);
    d.status = r.text(i, 6);
    d.attempts = static_cast<int>(r.i64(i, 7));
    d.next_try = r.i64(i, 8);
    d.last_code = static_cast<int>(r.i64(i, 9));
    d.last_error = r.text(i, 10);
    d.created = r.i64(i, 11);
    d.updated = r.i64(i, 12);
    return d;
}

class PgCrmStore final : public CrmStore {
public:
    PgCrmStore(const std::string& url, int connections) : pool_(url, connections) {}

    std::optional<CrmIntegration> integration(int64_t owner_id, const std::string& kind) override {
        auto c = pool_.lease();
        auto r = c->run("SELECT " INTEGRATION_COLUMNS " FROM crm_integrations WHERE owner_id = $1 AND kind = $2",
                        owner_id, kind);
        if (r.rows() == 0) return std::nullopt;
        return read_integration(r, 0);
    }

    std::optional<CrmIntegration> integration_by_id(int64_t id) override {
        auto c = pool_.lease();
        auto r = c->run("SELECT " INTEGRATION_COLUMNS " FROM crm_integrations WHERE id = $1", id);
        if (r.rows() == 0) return std::nullopt;
        return read_integration(r, 0);
    }

    std::vector<CrmIntegration> enabled_integrations() override {
        auto c = pool_.lease();
        auto r = c->run("SELECT " INTEGRATION_COLUMNS " FROM crm_integrations WHERE enabled <> 0 ORDER BY id");
        std::vector<CrmIntegration> out;
        for (int i = 0; i < r.rows(); ++i) out.push_back(read_integration(r, i));
        return out;
    }

    CrmIntegration save_integration(const CrmIntegration& i) override {
        auto c = pool_.lease();
        auto r = c->run(
            "INSERT INTO crm_integrations(owner_id, kind, url, secret, database, login, enabled, created, updated) "
            "VALUES($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT (owner_id, kind) DO UPDATE SET url = $3, "
            "secret = $4, database = $5, login = $6, enabled = $7, updated = $8 RETURNING " INTEGRATION_COLUMNS,
            i.owner_id, i.kind, i.url, i.secret, i.database, i.login, int64_t{i.enabled ? 1 : 0}, i.updated);
        return read_integration(r, 0);
    }

    void delete_integration(int64_t id) override {
        auto c = pool_.lease();
        Tx tx(*c);
        c->run("DELETE FROM crm_deliveries WHERE integration_id = $1", id);
        c->run("DELETE FROM crm_leads WHERE integration_id = $1", id);
        c->run("DELETE FROM crm_integrations WHERE id = $1", id);
        tx.commit();
    }

    // The partial unique index decides: two instances' dispatchers add a delivery once.
    int64_t enqueue(const CrmDelivery& d) override {
        auto c = pool_.lease();
        auto r = c->run(
            "INSERT INTO crm_deliveries(integration_id, event_id, request_id, type, payload, status, next_try, "
            "created, updated) VALUES($1, $2, $3, $4, $5, 'pending', $6, $7, $7) ON CONFLICT DO NOTHING RETURNING id",
            d.integration_id, d.event_id, d.request_id, d.type, d.payload, d.next_try, d.created);
        return r.rows() ? r.i64(0, 0) : 0;
    }

    // SKIP LOCKED: instances claiming at once each get other rows.
    std::vector<CrmDelivery> claim_due(int64_t now, int64_t lease_until, int limit) override {
        auto c = pool_.lease();
        auto r = c->run(
            "UPDATE crm_deliveries d SET next_try = $2 FROM (SELECT id FROM crm_deliveries WHERE status = 'pending' "
            "AND next_try <= $1 ORDER BY next_try, id LIMIT $3 FOR UPDATE SKIP LOCKED) due WHERE d.id = due.id "
            "RETURNING d.id, d.integration_id, d.event_id, d.request_id, d.type, d.payload, d.status, d.attempts, "
            "d.next_try, d.last_code, d.last_error, d.created, d.updated",
            now, lease_until, limit);
        std::vector<CrmDelivery> out;
        for (int i = 0; i < r.rows(); ++i) out.push_back(read_delivery(r, i));
        std::sort(out.begin(), out.end(), [](const CrmDelivery& a, const CrmDelivery& b) { return a.id < b.id; });
        return out;
    }

    void finish(const CrmDelivery& d) override {
        auto c = pool_.lease();
        c->run("UPDATE crm_deliveries SET status = $2, attempts = $3, next_try = $4, last_code = $5, last_error = $6, "
               "updated = $7 WHERE id = $1",
               d.id, d.status, d.attempts, d.next_try, d.last_code, d.last_error, d.updated);
    }

    std::vector<CrmDelivery> log(int64_t integration_id, int64_t before, int limit) override {
        auto c = pool_.lease();
        auto r = c->run("SELECT " DELIVERY_COLUMNS " FROM crm_deliveries WHERE integration_id = $1 AND id < $2 "
                        "ORDER BY id DESC LIMIT $3",
                        integration_id, before > 0 ? before : INT64_MAX, limit);
        std::vector<CrmDelivery> out;
        for (int i = 0; i < r.rows(); ++i) out.push_back(read_delivery(r, i));
        return out;
    }

    std::optional<CrmDelivery> delivery(int64_t id) override {
        auto c = pool_.lease();
        auto r = c->run("SELECT " DELIVERY_COLUMNS " FROM crm_deliveries WHERE id = $1", id);
        if (r.rows() == 0) return std::nullopt;
        return read_delivery(r, 0);
    }

    bool requeue(int64_t id, int64_t now) override {
        auto c = pool_.lease();
        return c->run("UPDATE crm_deliveries SET status = 'pending', attempts = 0, next_try = $2, updated = $2 "
                      "WHERE id = $1 AND status = 'failed'",
                      id, now)
                   .affected() > 0;
    }

    int64_t lead_of(int64_t integration_id, int64_t request_id) override {
        auto c = pool_.lease();
        auto r = c->run("SELECT lead_id FROM crm_leads WHERE integration_id = $1 AND request_id = $2", integration_id,
                        request_id);
        return r.rows() ? r.i64(0, 0) : 0;
    }

    void set_lead(int64_t integration_id, int64_t request_id, int64_t lead_id) override {
        auto c = pool_.lease();
        c->run("INSERT INTO crm_leads(integration_id, request_id, lead_id) VALUES($1, $2, $3) "
               "ON CONFLICT (integration_id, request_id) DO UPDATE SET lead_id = $3",
               integration_id, request_id, lead_id);
    }

    std::optional<Cursor> claim_cursor(const std::string& owner, int64_t now, int64_t until) override {
        auto c = pool_.lease();
        auto r = c->run("UPDATE crm_cursor SET owner = $1, until = $3 WHERE id = 1 AND (owner = $1 OR until < $2) "
                        "RETURNING event_cursor, request_cursor",
                        owner, now, until);
        if (r.rows() == 0) return std::nullopt;
        return Cursor{r.i64(0, 0), r.i64(0, 1)};
    }

    bool advance_cursor(const std::string& owner, const Cursor& cur) override {
        auto c = pool_.lease();
        return c->run("UPDATE crm_cursor SET event_cursor = GREATEST(event_cursor, $2), "
                      "request_cursor = GREATEST(request_cursor, $3) WHERE id = 1 AND owner = $1",
                      owner, cur.event, cur.request)
                   .affected() > 0;
    }

    void skip_cursor(const Cursor& cur) override {
        auto c = pool_.lease();
        c->run("UPDATE crm_cursor SET event_cursor = GREATEST(event_cursor, $1), "
               "request_cursor = GREATEST(request_cursor, $2) WHERE id = 1",
               cur.event, cur.request);
    }

private:
    Pool pool_;
};

}  // namespace

std::unique_ptr<CrmStore> open_pg_crm_store(const std::string& url, int connections) {
    return std::make_unique<PgCrmStore>(url, connections);
}

}  // namespace parley::server::pg
