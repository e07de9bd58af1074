// Tables crm_integrations, crm_deliveries, crm_leads, crm_cursor (schema: kMigrations
// step 20) on their own connection. See server/store/crm_store.h.
#include "server/store/crm_store.h"

#include "server/store/sqlite/db.h"
#include "server/store/sqlite/open.h"

namespace parley::server {

namespace {

#define INTEGRATION_COLUMNS "id, owner_id, kind, url, secret, database, login, enabled, created, updated"
#define DELIVERY_COLUMNS \
    "id, integration_id, event_id, request_id, type, payload, status, attempts, next_try, last_code, " \
    "last_error, created, updated"

CrmIntegration read_integration(Stmt& s) {
    CrmIntegration i;
    i.id = s.i64(0);
    i.owner_id = s.i64(1);
    i.kind = s.text(2);
    i.url = s.text(3);
    i.secret = s.text(4);
    i.database = s.text(5);
    i.login = s.text(6);
    i.enabled = s.i64(7) != 0;
    i.created = s.i64(8);
    i.updated = s.i64(9);
    return i;
}

CrmDelivery read_delivery(Stmt& s) {
    CrmDelivery d;
    d.id = s.i64(0);
    d.integration_id = s.i64(1);
    d.event_id = s.i64(2);
    d.request_id = s.i64(3);
    d.type = s.text(4);
    d.payload = s.text(5);
    d.status = s.text(6);
    d.attempts = static_cast<int>(s.i64(7));
    d.next_try = s.i64(8);
    d.last_code = static_cast<int>(s.i64(9));
    d.last_error = s.text(10);
    d.created = s.i64(11);
    d.updated = s.i64(12);
    return d;
}

class SqliteCrmStore final : public CrmStore {
public:
    explicit SqliteCrmStore(const std::string& path) : db_(path) {}

    std::optional<CrmIntegration> integration(int64_t owner_id, const std::string& kind) override {
        std::lock_guard lk(db_.mu);
        auto s = db_.stmt("SELECT " INTEGRATION_COLUMNS " FROM crm_integrations WHERE owner_id = ?1 AND kind = ?2");
        s.bind(1, owner_id).bind(2, kind);
        if (!s.step()) return std::nullopt;
        return read_integration(s);
    }

    std::optional<CrmIntegration> integration_by_id(int64_t id) override {
        std::lock_guard lk(db_.mu);
        auto s = db_.stmt("SELECT " INTEGRATION_COLUMNS " FROM crm_integrations WHERE id = ?1");
        s.bind(1, id);
        if (!s.step()) return std::nullopt;
        return read_integration(s);
    }

    std::vector<CrmIntegration> enabled_integrations() override {
        std::lock_guard lk(db_.mu);
        std::vector<CrmIntegration> out;
        auto s = db_.stmt("SELECT " INTEGRATION_COLUMNS " FROM crm_integrations WHERE enabled <> 0 ORDER BY id");
        while (s.step()) out.push_back(read_integration(s));
        return out;
    }

    CrmIntegration save_integration(const CrmIntegration& i) override {
        std::lock_guard lk(db_.mu);
        SqliteDb::Tx tx(db_);
        auto s = db_.stmt(
            "INSERT INTO crm_integrations(owner_id, kind, url, secret, database, login, enabled, created, updated) "
            "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) ON CONFLICT(owner_id, kind) DO UPDATE SET url = ?3, "
            "secret = ?4, database = ?5, login = ?6, enabled = ?7, updated = ?8");
        s.bind(1, i.owner_id).bind(2, i.kind).bind(3, i.url).bind(4, i.secret).bind(5, i.database);
        s.bind(6, i.login).bind(7, static_cast<int64_t>(i.enabled ? 1 : 0)).bind(8, i.updated);
        s.run();
        auto r = db_.stmt("SELECT " INTEGRATION_COLUMNS " FROM crm_integrations WHERE owner_id = ?1 AND kind = ?2");
        r.bind(1, i.owner_id).bind(2, i.kind);
        r.step();
        CrmIntegration out = read_integration(r);
        tx.commit();
        return out;
    }

    void delete_integration(int64_t id) override {
        std::lock_guard lk(db_.mu);
        SqliteDb::Tx tx(db_);
        for (const char* sql : {"DELETE FROM crm_deliveries WHERE integration_id = ?1",
                                "DELETE FROM crm_leads WHERE integration_id = ?1",
                                "DELETE FROM crm_integrations WHERE id = ?1"}) {
            auto s = db_.stmt(sql);
            s.bind(1, id);
            s.run();
        }
        tx.commit();
    }

    int64_t enqueue(const CrmDelivery& d) override {
        std::lock_guard lk(db_.mu);
        auto s = db_.stmt(
            "INSERT OR IGNORE INTO crm_deliveries(integration_id, event_id, request_id, type, payload, status, "
            "next_try, created, updated) VALUES(?1, ?2, ?3, ?4, ?5, 'pending', ?6, ?7, ?7)");
        s.bind(1, d.integration_id).bind(2, d.event_id).bind(3, d.request_id).bind(4, d.type).bind(5, d.payload);
        s.bind(6, d.next_try).bind(7, d.created);
        s.run();
        return db_.changes() > 0 ? db_.last_id() : 0;
    }

    std::vector<CrmDelivery> claim_due(int64_t now, int64_t lease_until, int limit) override {
        std::lock_guard lk(db_.mu);
        std::vector<CrmDelivery> out;
        SqliteDb::Tx tx(db_);
        auto s = db_.stmt("SELECT " DELIVERY_COLUMNS " FROM crm_deliveries WHERE status = 'pending' AND next_try <= ?1 "
                          "ORDER BY next_try, id LIMIT ?2");
        s.bind(1, now).bind(2, static_cast<int64_t>(limit));
        while (s.step()) out.push_back(read_delivery(s));
        for (auto& d : out) {
            auto u = db_.stmt("UPDATE crm_deliveries SET next_try = ?2 WHERE id = ?1");
            u.bind(1, d.id).bind(2, lease_until);
            u.run();
        }
        tx.commit();
        return out;
    }

    void finish(const CrmDelivery& d) override {
        std::lock_guard lk(db_.mu);
        auto s = db_.stmt("UPDATE crm_deliveries SET status = ?2, attempts = ?3, next_try = ?4, last_code = ?5, "
                          "last_error = ?6, updated = ?7 WHERE id = ?1");
        s.bind(1, d.id).bind(2, d.status).bind(3, static_cast<int64_t>(d.attempts)).bind(4, d.next_try);
        s.bind(5, static_cast<int64_t>(d.last_code)).bind(6, d.last_error).bind(7, d.updated);
        s.run();
    }

    std::vector<CrmDelivery> log(int64_t integration_id, int64_t before, int limit) override {
        std::lock_guard lk(db_.mu);
        std::vector<CrmDelivery> out;
        auto s = db_.stmt("SELECT " DELIVERY_COLUMNS " FROM crm_deliveries WHERE integration_id = ?1 AND id < ?2 "
                          "ORDER BY id DESC LIMIT ?3");
        s.bind(1, integration_id).bind(2, before > 0 ? before : INT64_MAX).bind(3, static_cast<int64_t>(limit));
        while (s.step()) out.push_back(read_delivery(s));
        return out;
    }

    std::optional<CrmDelivery> delivery(int64_t id) override {
        std::lock_guard lk(db_.mu);
        auto s = db_.stmt("SELECT " DELIVERY_COLUMNS " FROM crm_deliveries WHERE id = ?1");
        s.bind(1, id);
        if (!s.step()) return std::nullopt;
        return read_delivery(s);
    }

    bool requeue(int64_t id, int64_t now) override {
        std::lock_guard lk(db_.mu);
        auto s = db_.stmt("UPDATE crm_deliveries SET status = 'pending', attempts = 0, next_try = ?2, updated = ?2 "
                          "WHERE id = ?1 AND status = 'failed'");
        s.bind(1, id).bind(2, now);
        s.run();
        return db_.changes() > 0;
    }

    int64_t lead_of(int64_t integration_id, int64_t request_id) override {
        std::lock_guard lk(db_.mu);
        auto s = db_.stmt("SELECT lead_id FROM crm_leads WHERE integration_id = ?1 AND request_id = ?2");
        s.bind(1, integration_id).bind(2, request_id);
        return s.step() ? s.i64(0) : 0;
    }

    void set_lead(int64_t integration_id, int64_t request_id, int64_t lead_id) override {
        std::lock_guard lk(db_.mu);
        auto s = db_.stmt("INSERT INTO crm_leads(integration_id, request_id, lead_id) VALUES(?1, ?2, ?3) "
                          "ON CONFLICT(integration_id, request_id) DO UPDATE SET lead_id = ?3");
        s.bind(1, integration_id).bind(2, request_id).bind(3, lead_id);
        s.run();
    }

    std::optional<Cursor> claim_cursor(const std::string& owner, int64_t now, int64_t until) override {
        std::lock_guard lk(db_.mu);
        auto u = db_.stmt("UPDATE crm_cursor SET owner = ?1, until = ?3 WHERE id = 1 AND (owner = ?1 OR until < ?2)");
        u.bind(1, owner).bind(2, now).bind(3, until);
        u.run();
        if (db_.changes() == 0) return std::nullopt;
        auto s = db_.stmt("SELECT event_cursor, request_cursor FROM crm_cursor WHERE id = 1");
        if (!s.step()) return std::nullopt;
        return Cursor{s.i64(0), s.i64(1)};
    }

    bool advance_cursor(const std::string& owner, const Cursor& c) override {
        std::lock_guard lk(db_.mu);
        auto u = db_.stmt("UPDATE crm_cursor SET event_cursor = MAX(event_cursor, ?2), "
                          "request_cursor = MAX(request_cursor, ?3) WHERE id = 1 AND owner = ?1");
        u.bind(1, owner).bind(2, c.event).bind(3, c.request);
        u.run();
        return db_.changes() > 0;
    }

    void skip_cursor(const Cursor& c) override {
        std::lock_guard lk(db_.mu);
        auto u = db_.stmt("UPDATE crm_cursor SET event_cursor = MAX(event_cursor, ?1), "
                          "request_cursor = MAX(request_cursor, ?2) WHERE id = 1");
        u.bind(1, c.event).bind(2, c.request);
        u.run();
    }

private:
    SqliteDb db_;
};

}  // namespace

std::unique_ptr<CrmStore> open_sqlite_crm_store(const std::string& path) {
    return std::make_unique<SqliteCrmStore>(path);
}

}  // namespace parley::server
