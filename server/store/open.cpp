// open_stores: the implementation a location names. See server/store/stores.h.
#include "server/store/sqlite/open.h"
#include "server/store/stores.h"
#if PARLEY_WITH_POSTGRES
#include "server/store/pg/open.h"
#endif

namespace parley::server {

bool is_postgres_location(const std::string& location) {
    auto starts = [&](const char* p) { return location.rfind(p, 0) == 0; };
    if (starts("postgresql://") || starts("postgres://")) return true;
    // libpq's key=value form ("host=/run/pg dbname=parley"); a file path has neither.
    return location.find('=') != std::string::npos &&
           (location.find("host=") != std::string::npos || location.find("dbname=") != std::string::npos);
}

Stores open_stores(const std::string& location, int connections) {
    Stores s;
    if (is_postgres_location(location)) {
#if PARLEY_WITH_POSTGRES
        s.main = pg::open_pg_store(location, connections);  // first: creates and migrates the schema
        s.outbox = pg::open_pg_outbox_store(location, 2);
        s.mail_in = pg::open_pg_mail_in_store(location, 2);
        s.changes = pg::open_pg_change_feed(location);  // other instances' writes (LISTEN/NOTIFY)
        s.crm = pg::open_pg_crm_store(location, 2);
        return s;
#else
        (void)connections;
        throw StoreError("this server was built without PostgreSQL (PARLEY_WITH_POSTGRES, libpq-dev): cannot open " +
                         location.substr(0, location.find(':')) + " database");
#endif
    }
    s.main = open_sqlite_store(location);  // first: creates and migrates the schema
    s.outbox = open_sqlite_outbox_store(location);
    s.mail_in = open_sqlite_mail_in_store(location);
    s.changes = open_sqlite_change_feed(location);
    s.crm = open_sqlite_crm_store(location);
    return s;
}

}  // namespace parley::server
