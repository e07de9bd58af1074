// A throwaway database (store_fixture.h: every store of the seam) with a long-poll hub
// and a Domain on a clock the test sets, for the domain-level tests. The database is
// removed when the fixture goes.
#pragma once
#include <cctype>

#include <memory>
#include <string>

#include "server/domain/domain.h"
#include "server/domain/hub.h"
#include "server/store/store.h"
#include "server/domain/workflow.h"
#include "tests/unit/server/store_fixture.h"

namespace parley::server::testing {

struct TempDomain {
    TempStore db;
    Stores stores;
    Store* store = nullptr;  // stores.main
    std::unique_ptr<Hub> hub;
    std::unique_ptr<Domain> domain;
    Millis now;

    TempDomain(const char* tag, Millis start) : db(tag), stores(db.open()), store(stores.main.get()), now(start) {}
    ~TempDomain() {
        domain.reset();
        stores = Stores{};  // closed before the files go
    }
    TempDomain(const TempDomain&) = delete;
    TempDomain& operator=(const TempDomain&) = delete;

    User add_user(const std::string& name, const std::string& role, const std::string& company = "") {
        UserRecord u;
        u.name = name;
        u.company = company;
        u.role = role;
        // A known address: without one a seller is asked for it before replying.
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
    // A name for files that go with this database (removed by the test).
    std::string sibling(const std::string& suffix) const { return db.files + suffix; }
};

}  // namespace parley::server::testing
