// What the store tests share: users with addresses, a request opened as the API does,
// and a world of one manufacturer with two buyers' requests — all through the Store
// interface on a throwaway database (store_fixture.h).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "server/domain/workflow.h"
#include "server/store/store.h"
#include "tests/unit/server/store_fixture.h"

namespace parley::server::testing {

using TempDb = TempStore;

inline UserRecord make_user(const std::string& name, const std::string& role, int64_t org = 0) {
    UserRecord u;
    u.name = name;
    u.company = name + " Co";
    u.country = "ES";
    u.language = "es";
    u.role = role;
    u.email = name + "@example.com";
    u.org_id = org;
    return u;
}

// Opens a request the way the API does (manufacturer's conversation + routing) and
// returns the id of the manufacturer's ("received") conversation.
inline int64_t open(Store& s, RequestRecord& r) {
    open_request(s, r, r.created);
    return s.add_conversation(r.id, r.manufacturer_id, "received", 0, r.created).first;
}

// Manufacturer M, buyers A and B, each buyer with one request to M (no network).
struct World {
    TempDb db;
    std::unique_ptr<Store> store = std::move(db.open().main);
    int64_t m = 0, a = 0, b = 0, ra = 0, rb = 0, ca = 0, cb = 0;
    World() {
        m = store->add_user(make_user("Maker", "manufacturer"));
        a = store->add_user(make_user("Alice", "buyer"));
        b = store->add_user(make_user("Bob", "buyer"));
        RequestRecord r1{0, a, m, "Pump", "Need pumps", "ES", "es", 1000};
        ca = open(*store, r1);
        ra = r1.id;
        RequestRecord r2{0, b, m, "Valve", "Need valves", "FR", "fr", 2000};
        cb = open(*store, r2);
        rb = r2.id;
    }
    const RequestSummary* row(const std::vector<RequestSummary>& inbox, int64_t id) {
        for (const auto& r : inbox)
            if (r.id == id) return &r;
        return nullptr;
    }
};

inline const EventRecord* find_kind(const std::vector<EventRecord>& events, const std::string& kind) {
    for (const auto& e : events)
        if (e.event.kind == kind) return &e;
    return nullptr;
}

}  // namespace parley::server::testing
