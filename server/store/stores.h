// Every store of one database, opened together: what main() and the tests above the
// storage seam use, whatever the implementation behind it.
#pragma once
#include <memory>
#include <string>

#include "server/store/change_feed.h"
#include "server/store/crm_store.h"
#include "server/store/mail_in_store.h"
#include "server/store/outbox_store.h"
#include "server/store/store.h"

namespace parley::server {

struct Stores {
    std::unique_ptr<Store> main;             // requests, messages, events, quotes, auth...
    std::unique_ptr<OutboxStore> outbox;     // notification e-mails and their delivery status
    std::unique_ptr<MailInStore> mail_in;    // received e-mails
    std::unique_ptr<ChangeFeed> changes;     // writes by other processes
    std::unique_ptr<CrmStore> crm;           // leads into sellers' CRMs: integrations, deliveries
};

// Opens, creating and migrating it if needed, the database at `location`: a PostgreSQL
// URL (postgresql://… or postgres://…, or libpq's key=value form with host= or dbname=),
// with a pool of up to `connections` connections for the main store (the server passes
// its worker thread count); anything else is a SQLite file path (the embedded default).
// On PostgreSQL, `changes` is null for now. A build without PostgreSQL throws StoreError
// for a PostgreSQL location.
Stores open_stores(const std::string& location, int connections = 4);
// True when `location` names a PostgreSQL database rather than a SQLite file.
bool is_postgres_location(const std::string& location);

}  // namespace parley::server
