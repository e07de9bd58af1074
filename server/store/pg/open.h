// Opening the PostgreSQL stores on a database given by a URL (postgresql://user@host:port/db
// or libpq's key=value form). No libpq header here: only server/store/pg/*.cpp include it.
#pragma once
#include <memory>
#include <string>
#include <vector>


namespace parley::server::pg {

// Every migration step of the PostgreSQL schema, in order.
const std::vector<const char*>& pg_migrations();

// Creates or migrates the schema of the database at `url` (instances starting together
// take turns). Returns the schema version.
int migrate_pg_database(const std::string& url);

}  // namespace parley::server::pg
