// A throwaway database with every store of the seam (server/store/stores.h), for the
// tests above the seam: they open it through open_stores, never through an
// implementation, so that the same tests can run against another store. The location
// is a fresh SQLite file under the temp directory, removed when the fixture goes — or,
// when PARLEY_TEST_STORE_URL names a PostgreSQL server, a schema of its own on that
// server (PgTestSchema), dropped when the fixture goes: the whole suite then runs on
// PostgreSQL.
#pragma once
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "server/store/stores.h"
#if PARLEY_WITH_POSTGRES
#include "server/store/pg/db.h"
#endif

namespace parley::server::testing {

// A new, empty database location for `tag` (unique per process and call).
inline std::string temp_store_location(const std::string& tag) {
    static std::atomic<int> n{0};
    auto path = std::filesystem::temp_directory_path() /
                ("parley-" + tag + "-test-" + std::to_string(::getpid()) + "-" + std::to_string(n++) + ".db");
    return path.string();
}

// Removes what temp_store_location's database left behind.
inline void drop_temp_store(const std::string& location) {
    std::error_code ec;
    for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(location + s, ec);
}

// The PostgreSQL server the tests above the seam run on (PARLEY_TEST_STORE_URL), or "":
// SQLite files.
inline std::string test_store_url() {
    const char* url = std::getenv("PARLEY_TEST_STORE_URL");
    return url && *url ? std::string(url) : std::string();
}

#if PARLEY_WITH_POSTGRES
// A schema of its own on the server at `base_url`, dropped at the end; `url` connects to
// it (libpq passes `options` to the server: every connection works in that schema, and
// finds the extensions' functions and operator classes in public).
struct PgTestSchema {
    std::string base_url, name, url;
    explicit PgTestSchema(std::string base) : base_url(std::move(base)) {
        static std::atomic<int> n{0};
        name = "parley_t" + std::to_string(::getpid()) + "_" + std::to_string(n++);
        pg::Conn admin(base_url);
        admin.script(("DROP SCHEMA IF EXISTS " + name + " CASCADE; CREATE SCHEMA " + name).c_str());
        url = base_url + (base_url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + name +
              "%2Cpublic";
    }
    ~PgTestSchema() {
        try {
            pg::Conn admin(base_url);
            admin.script(("DROP SCHEMA IF EXISTS " + name + " CASCADE").c_str());
        } catch (...) {
        }
    }
    PgTestSchema(const PgTestSchema&) = delete;
    PgTestSchema& operator=(const PgTestSchema&) = delete;
};
#endif

// The location, removed on both ends; `open()` gives a new set of connections to it
// (as another process would have). `files` is a path for files that go with the
// database (a temp path, also on PostgreSQL). With `sqlite_only`, always a SQLite file
// (the tests of the SQLite implementation itself).
struct TempStore {
    std::string location, files;
#if PARLEY_WITH_POSTGRES
    std::unique_ptr<PgTestSchema> schema;
#endif
    explicit TempStore(const std::string& tag = "store", bool sqlite_only = false) : files(temp_store_location(tag)) {
        const std::string url = sqlite_only ? std::string() : test_store_url();
        if (!url.empty()) {
#if PARLEY_WITH_POSTGRES
            schema = std::make_unique<PgTestSchema>(url);
            location = schema->url;
            return;
#else
            throw StoreError("PARLEY_TEST_STORE_URL is set but the tests were built without PostgreSQL");
#endif
        }
        location = files;
        drop_temp_store(location);
    }
    ~TempStore() {
        if (!postgres()) drop_temp_store(location);
    }
    TempStore(const TempStore&) = delete;
    TempStore& operator=(const TempStore&) = delete;
    bool postgres() const { return location != files; }
    Stores open() const { return open_stores(location); }
};

}  // namespace parley::server::testing
