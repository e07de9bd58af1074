// A throwaway database with every store of the seam (server/store/stores.h), for the
// tests above the seam: they open it through open_stores, never through an
// implementation, so that the same tests can run against another store. The location
// is a fresh SQLite file under the temp directory, removed when the fixture goes.
#pragma once
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

#include "server/store/stores.h"

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

// The location, removed on both ends; `open()` gives a new set of connections to it
// (as another process would have).
struct TempStore {
    std::string location;
    explicit TempStore(const std::string& tag = "store") : location(temp_store_location(tag)) {
        drop_temp_store(location);
    }
    ~TempStore() { drop_temp_store(location); }
    TempStore(const TempStore&) = delete;
    TempStore& operator=(const TempStore&) = delete;
    Stores open() const { return open_stores(location); }
};

}  // namespace parley::server::testing
