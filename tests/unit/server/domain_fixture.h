// A temporary SQLite store with a long-poll hub and a Domain on a clock the test sets,
// for the domain-level tests (test_domain, test_quotes_server, test_payments). The
// database files are removed when the fixture goes.
#pragma once
#include <cctype>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include "server/domain/domain.h"
#include "server/domain/hub.h"
#include "server/store/store.h"
#include "server/domain/workflow.h"

namespace parley::server::testing {

struct TempDomain {
    std::filesystem::path path;
    std::unique_ptr<Store> store;
    std::unique_ptr<Hub> hub;
    std::unique_ptr<Domain> domain;
    Millis now;

    TempDomain(const char* tag, Millis start) : now(start) {
        static std::atomic<int> n{0};
        path = std::filesystem::temp_directory_path() /
               ("parley-" + std::string(tag) + "-test-" + std::to_string(::getpid()) + "-" + std::to_string(n++) + ".db");
        remove_files();
        store = open_sqlite_store(path.string());
    }
    ~TempDomain() {
        domain.reset();
        store.reset();
        remove_files();
    }
    TempDomain(const TempDomain&) = delete;
    TempDomain& operator=(const TempDomain&) = delete;

    User add_user(const std::string& name, const std::string& role, const std::string& company = "") {
        UserRecord u;
        u.name = name;
        u.company = company;
        u.role = role;
        // A known address: without one a seller is asked for it before replying (issue 6).
        for (char c : name)
            if (std::isalnum(static_cast<unsigned char>(c))) u.email += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        u.email += "@example.test";
        u.id = store->add_user(u);
        return u.to_wire();
    }
    // A request of `buyer` to `maker`, opened (routed) as the server does.
    int64_t add_request(const User& buyer, const User& maker, const char* product, const char* message,
                        const char* country, const char* language, Millis created) {
        RequestRecord r{0, buyer.id, maker.id, product, message, country, language, created};
        open_request(*store, r, r.created);
        return r.id;
    }
    // After the users and requests: the hub starts at the newest event.
    void start_domain() {
        hub = std::make_unique<Hub>(store->max_event_id());
        domain = std::make_unique<Domain>(*store, *hub, [this] { return now; });
    }
    void remove_files() {
        std::error_code ec;
        for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + s, ec);
    }
};

}  // namespace parley::server::testing
