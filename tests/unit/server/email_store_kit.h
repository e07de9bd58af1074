// The e-mail stores (OutboxStore, MailInStore) under test on each implementation: a kit
// is one throwaway database and opens new store instances on it, as another process
// would. EMAIL_STORE_TEST writes a test once and registers it for SQLite (always) and
// PostgreSQL (when PARLEY_TEST_PG_URL names a server; a visible warning otherwise). Each
// PostgreSQL kit works in a schema of its own (PgTestSchema in store_fixture.h), dropped at the end.
#pragma once
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include "server/store/mail_in_store.h"
#include "server/store/outbox_store.h"
#include "server/store/sqlite/open.h"
#include "tests/unit/server/store_world.h"
#if PARLEY_WITH_POSTGRES
#include "server/store/pg/db.h"
#include "server/store/pg/open.h"
#endif

namespace parley::server::testing {

// A seller's message to a buyer in the request's one conversation.
struct EmailWorld {
    int64_t seller = 0, buyer = 0, request = 0, conversation = 0, message = 0;
};

struct EmailStoreKit {
    virtual ~EmailStoreKit() = default;
    virtual std::unique_ptr<OutboxStore> outbox() = 0;  // a new instance with its own connections
    virtual std::unique_ptr<MailInStore> mail_in() = 0;
    virtual EmailWorld seed() = 0;  // users "Marta" (seller) and "Stefan" (buyer), request, message
    // Several processes may share the outbox (due() claims its rows).
    virtual bool shared_outbox() const = 0;
};

struct SqliteEmailKit final : EmailStoreKit {
    TempStore db{"email", true};  // SQLite whatever PARLEY_TEST_STORE_URL says
    std::unique_ptr<Store> main = open_sqlite_store(db.location);  // creates the schema
    std::unique_ptr<OutboxStore> outbox() override { return open_sqlite_outbox_store(db.location); }
    std::unique_ptr<MailInStore> mail_in() override { return open_sqlite_mail_in_store(db.location); }
    bool shared_outbox() const override { return false; }
    EmailWorld seed() override {
        EmailWorld w;
        w.seller = main->add_user(make_user("Marta", "manufacturer"));
        w.buyer = main->add_user(make_user("Stefan", "buyer"));
        RequestRecord r{0, w.buyer, w.seller, "Pump", "Need pumps", "ES", "es", 1000};
        w.conversation = open(*main, r);
        w.request = r.id;
        w.message = main->add_message(w.conversation, w.seller, "Our offer", 2000).id;
        return w;
    }
};

#if PARLEY_WITH_POSTGRES
struct PgEmailKit final : EmailStoreKit {
    PgTestSchema schema;
    const std::string& url = schema.url;
    explicit PgEmailKit(std::string base) : schema(std::move(base)) { pg::migrate_pg_database(url); }
    std::unique_ptr<OutboxStore> outbox() override { return pg::open_pg_outbox_store(url, 2); }
    std::unique_ptr<MailInStore> mail_in() override { return pg::open_pg_mail_in_store(url, 2); }
    bool shared_outbox() const override { return true; }
    EmailWorld seed() override {
        pg::Conn c(url);
        EmailWorld w;
        const char* user = "INSERT INTO users(name, role, email) VALUES($1, $2, $3) RETURNING id";
        w.seller = c.run(user, "Marta", "manufacturer", "marta@example.com").i64(0, 0);
        w.buyer = c.run(user, "Stefan", "buyer", "stefan@example.com").i64(0, 0);
        w.request = c.run("INSERT INTO requests(buyer_id, manufacturer_id, product, message, created) "
                          "VALUES($1, $2, 'Pump', 'Need pumps', 1000) RETURNING id",
                          w.buyer, w.seller)
                        .i64(0, 0);
        w.conversation = c.run("INSERT INTO conversations(request_id, seller_id, origin, created) "
                               "VALUES($1, $2, 'received', 1000) RETURNING id",
                               w.request, w.seller)
                             .i64(0, 0);
        w.message = c.run("INSERT INTO messages(request_id, conversation_id, author_id, body, created) "
                          "VALUES($1, $2, $3, 'Our offer', 2000) RETURNING id",
                          w.request, w.conversation, w.seller)
                        .i64(0, 0);
        return w;
    }
};
#endif

// The server the PostgreSQL tests use, or "" (and a warning in the test's output).
inline std::string pg_test_url() {
    const char* url = std::getenv("PARLEY_TEST_PG_URL");
#if PARLEY_WITH_POSTGRES
    if (url && *url) return url;
    WARN("PostgreSQL store test skipped: PARLEY_TEST_PG_URL is not set (tests/pg/cluster.sh start prints one)");
#else
    (void)url;
    WARN("PostgreSQL store test skipped: built without PARLEY_WITH_POSTGRES (libpq-dev missing)");
#endif
    return "";
}

// The PostgreSQL kit, or nullptr without a server.
inline std::unique_ptr<EmailStoreKit> pg_email_kit() {
    std::string url = pg_test_url();
#if PARLEY_WITH_POSTGRES
    if (!url.empty()) return std::make_unique<PgEmailKit>(url);
#endif
    return nullptr;
}

}  // namespace parley::server::testing

// A test body run on each store implementation: `kit` is its EmailStoreKit.
#define EMAIL_STORE_TEST(fn, name, tags)                                    \
    static void fn(parley::server::testing::EmailStoreKit& kit);            \
    TEST_CASE("sqlite: " name, tags "[sqlite]") {                           \
        parley::server::testing::SqliteEmailKit kit;                        \
        fn(kit);                                                            \
    }                                                                       \
    TEST_CASE("postgres: " name, tags "[postgres]") {                       \
        auto kit = parley::server::testing::pg_email_kit();                 \
        if (kit) fn(*kit);                                                  \
    }                                                                       \
    static void fn(parley::server::testing::EmailStoreKit& kit)
