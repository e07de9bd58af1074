// The SQLite implementation of each storage interface, opened on one database file
// (created and migrated by open_sqlite_store). No SQLite header here: only
// server/store/sqlite/*.cpp include <sqlite3.h>.
#pragma once
#include <memory>
#include <string>

#include "server/store/change_feed.h"
#include "server/store/crm_store.h"
#include "server/store/mail_in_store.h"
#include "server/store/outbox_store.h"
#include "server/store/store.h"

namespace parley::server {

// Opens (creating if needed) and migrates a SQLite database file.
std::unique_ptr<Store> open_sqlite_store(const std::string& path);
// Each on its own connection to a database opened by open_sqlite_store.
std::unique_ptr<OutboxStore> open_sqlite_outbox_store(const std::string& path);
std::unique_ptr<MailInStore> open_sqlite_mail_in_store(const std::string& path);
std::unique_ptr<ChangeFeed> open_sqlite_change_feed(const std::string& path);
std::unique_ptr<CrmStore> open_sqlite_crm_store(const std::string& path);

}  // namespace parley::server
