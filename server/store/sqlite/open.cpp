// open_stores for the SQLite implementation. See server/store/stores.h.
#include "server/store/sqlite/open.h"
#include "server/store/stores.h"

namespace parley::server {

Stores open_stores(const std::string& location) {
    Stores s;
    s.main = open_sqlite_store(location);  // first: creates and migrates the schema
    s.outbox = open_sqlite_outbox_store(location);
    s.mail_in = open_sqlite_mail_in_store(location);
    s.changes = open_sqlite_change_feed(location);
    return s;
}

}  // namespace parley::server
