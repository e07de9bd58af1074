// The PostgreSQL implementation of the storage interfaces (the main store, the outbox and
// e-mail in; the change feed is still missing), on a database given by a URL (postgresql://user@host:port/db or
// libpq's key=value form). No libpq header here: only server/store/pg/*.cpp include it.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "server/store/change_feed.h"
#include "server/store/mail_in_store.h"
#include "server/store/crm_store.h"
#include "server/store/outbox_store.h"
#include "server/store/store.h"

namespace parley::server::pg {

// Every migration step of the PostgreSQL schema, in order.
const std::vector<const char*>& pg_migrations();

// Creates or migrates the schema of the database at `url` (instances starting together
// take turns). Returns the schema version.
int migrate_pg_database(const std::string& url);

// The main store on a pool of up to `connections` connections (the server's worker
// threads), after migrating the database (like open_sqlite_store).
std::unique_ptr<Store> open_pg_store(const std::string& url, int connections = 4);

// Each with its own pool of up to `connections` connections to a migrated database.
// The outbox claims the rows due() returns (FOR UPDATE SKIP LOCKED): several processes
// on one database never send the same mail at the same time.
std::unique_ptr<OutboxStore> open_pg_outbox_store(const std::string& url, int connections = 2);
std::unique_ptr<MailInStore> open_pg_mail_in_store(const std::string& url, int connections = 2);
std::unique_ptr<CrmStore> open_pg_crm_store(const std::string& url, int connections = 2);

// Other instances' writes (events, received mails), woken by LISTEN/NOTIFY on
// PARLEY_PG_CHANGES_CHANNEL, read from the tables after the last ids seen.
std::unique_ptr<ChangeFeed> open_pg_change_feed(const std::string& url);
#define PARLEY_PG_CHANGES_CHANNEL "parley_changes"

// How long a row returned by the outbox's due() stays claimed by its caller: past it,
// with no update_attempt (the caller died mid-send), the row is due again.
inline constexpr int64_t kOutboxClaimMs = 5 * 60 * 1000;

}  // namespace parley::server::pg
