// The libpq layer under the PostgreSQL stores (server/store/pg/db.h), on the server of
// PARLEY_TEST_PG_URL: migrations run once even when two instances start together, a
// failed step leaves the version before it, transactions roll back unless committed,
// errors carry their SQLSTATE, the pool waits when all its connections are out and
// replaces one the server closed.
#include "tests/unit/server/email_store_kit.h"

#if PARLEY_WITH_POSTGRES
#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

using namespace parley::server;
using namespace parley::server::testing;

namespace {

int64_t count(pg::Conn& c, const std::string& sql) { return c.run(sql).i64(0, 0); }

bool table_exists(pg::Conn& c, const std::string& name) {
    return c.run("SELECT to_regclass($1) IS NOT NULL", name).text(0, 0) == "t";
}

}  // namespace

TEST_CASE("postgres: migrations run once; two instances starting together take turns", "[store_pg]") {
    std::string base = pg_test_url();
    if (base.empty()) return;
    PgTestSchema s(base);
    // Slow steps: without the advisory lock both instances would find version 0 and
    // the second would fail creating the same table.
    const std::vector<const char*> steps = {"CREATE TABLE one(x int); SELECT pg_sleep(0.2)",
                                            "CREATE TABLE two(y int); SELECT pg_sleep(0.2)"};
    std::atomic<int> failures{0};
    auto start = [&] {
        try {
            pg::Conn c(s.url);
            pg::migrate(c, steps);
        } catch (const std::exception& e) {
            UNSCOPED_INFO(e.what());
            ++failures;
        }
    };
    std::thread a(start), b(start);
    a.join();
    b.join();
    CHECK(failures == 0);
    pg::Conn c(s.url);
    CHECK(pg::schema_version(c) == 2);
    CHECK(count(c, "SELECT count(*) FROM schema_version") == 1);
    pg::migrate(c, steps);  // nothing to do
    CHECK(pg::schema_version(c) == 2);
    // A server older than the database refuses it.
    CHECK_THROWS_AS(pg::migrate(c, {steps[0]}), StoreError);

    // The real schema, twice at once.
    PgTestSchema real(base);
    int va = 0, vb = 0;
    auto migrate_real = [&](int& v) {
        try {
            v = pg::migrate_pg_database(real.url);
        } catch (const std::exception& e) {
            UNSCOPED_INFO(e.what());
            ++failures;
        }
    };
    std::thread ra(migrate_real, std::ref(va)), rb(migrate_real, std::ref(vb));
    ra.join();
    rb.join();
    CHECK(failures == 0);
    CHECK(va == static_cast<int>(pg::pg_migrations().size()));
    CHECK(vb == va);
}

TEST_CASE("postgres: a failed migration step leaves the version before it", "[store_pg]") {
    std::string base = pg_test_url();
    if (base.empty()) return;
    PgTestSchema s(base);
    pg::Conn c(s.url);
    try {
        pg::migrate(c, {"CREATE TABLE a(x int)", "CREATE TABLE b(y int); SELECT no_such_function()"});
        FAIL("the broken step ran");
    } catch (const pg::PgError& e) {
        CHECK(e.sqlstate == "42883");  // undefined function
    }
    CHECK(pg::schema_version(c) == 1);
    CHECK(table_exists(c, "a"));
    CHECK_FALSE(table_exists(c, "b"));  // the whole step rolled back
    pg::migrate(c, {"CREATE TABLE a(x int)", "CREATE TABLE b(y int)"});
    CHECK(pg::schema_version(c) == 2);
    CHECK(table_exists(c, "b"));
}

TEST_CASE("postgres: transactions, parameters and SQLSTATE errors", "[store_pg]") {
    std::string base = pg_test_url();
    if (base.empty()) return;
    PgTestSchema s(base);
    pg::Pool pool(s.url, 2);
    pool.lease()->script("CREATE TABLE t(k TEXT PRIMARY KEY)");
    {
        auto c = pool.lease();
        pg::Tx tx(*c);
        c->run("INSERT INTO t(k) VALUES($1)", "rolled back");
    }
    {
        auto c = pool.lease();
        c->script("BEGIN");  // left open: the pool rolls it back when the connection returns
        c->run("INSERT INTO t(k) VALUES($1)", "left open");
    }
    {
        auto c = pool.lease();
        CHECK(count(*c, "SELECT count(*) FROM t") == 0);
        pg::Tx tx(*c);
        c->run("INSERT INTO t(k) VALUES($1)", "kept");
        c->run("INSERT INTO t(k) VALUES($1)", "x'); DROP TABLE t; --");  // a value, never SQL
        tx.commit();
    }
    auto c = pool.lease();
    CHECK(count(*c, "SELECT count(*) FROM t") == 2);
    CHECK(c->run("SELECT k FROM t WHERE k LIKE 'x%'").text(0, 0) == "x'); DROP TABLE t; --");
    try {
        c->run("INSERT INTO t(k) VALUES($1)", "kept");
        FAIL("a duplicate key was stored");
    } catch (const pg::PgError& e) {
        CHECK(e.sqlstate == "23505");
        CHECK(std::string(e.what()).find("23505") != std::string::npos);
    }
    CHECK(c->run("SELECT k FROM t WHERE k = ANY($1::text[])", "{kept,other}").rows() == 1);
    CHECK(c->run("SELECT x FROM unnest($1::bigint[]) x", pg::array_param({3, 1, 2})).rows() == 3);
    CHECK_THROWS_AS(pg::Conn(s.url + "&port=1"), pg::PgError);
}

TEST_CASE("postgres: the pool waits for a free connection and replaces one the server closed", "[store_pg]") {
    std::string base = pg_test_url();
    if (base.empty()) return;
    PgTestSchema s(base);
    pg::Pool pool(s.url, 2);
    int64_t pid = 0;
    {
        auto a = std::make_unique<pg::Pool::Lease>(pool.lease());
        auto b = pool.lease();
        pid = (*a)->run("SELECT pg_backend_pid()").i64(0, 0);
        std::atomic<bool> got{false};
        std::thread third([&] {
            auto c = pool.lease();
            got = true;
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(150));
        CHECK_FALSE(got);  // both connections are out
        a.reset();
        third.join();
        CHECK(got);
    }
    pg::Conn admin(base);
    admin.run("SELECT pg_terminate_backend($1::int)", pid);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    // The closed connection fails its next statement once, then is dropped and reopened.
    int failures = 0, ok = 0;
    for (int i = 0; i < 4; ++i) {
        try {
            auto c = pool.lease();
            c->run("SELECT 1");
            ++ok;
        } catch (const pg::PgError&) {
            ++failures;
        }
    }
    CHECK(failures <= 1);
    CHECK(ok >= 3);
}

#endif
