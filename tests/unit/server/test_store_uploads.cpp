// Chunked uploads in the store (Store::add_upload … stale_uploads), through the
// interface: on SQLite, and on PostgreSQL with PARLEY_TEST_STORE_URL. Two stores opened
// on one database stand for two instances.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "tests/unit/server/store_world.h"

using namespace parley;
using namespace parley::server;
using namespace parley::server::testing;

namespace {

UploadRecord make_upload(const std::string& id, int64_t user_id, int64_t size, Millis now) {
    UploadRecord u;
    u.id = id;
    u.user_id = user_id;
    u.request_id = 7;
    u.conversation_id = 9;
    u.kind = "other";
    u.name = "a.txt";
    u.size = size;
    u.created = u.touched = now;
    return u;
}

}  // namespace

TEST_CASE("store uploads: a row is shared by two stores on one database", "[store][uploads]") {
    TempDb db;
    auto a = std::move(db.open().main);
    auto b = std::move(db.open().main);
    a->add_upload(make_upload("h1", 1, 100, 1000));
    auto u = b->upload("h1");
    REQUIRE(u);
    CHECK(u->user_id == 1);
    CHECK(u->request_id == 7);
    CHECK(u->conversation_id == 9);
    CHECK(u->kind == "other");
    CHECK(u->name == "a.txt");
    CHECK(u->size == 100);
    CHECK(u->offset == 0);
    CHECK(u->status == "open");
    CHECK(u->done_json.empty());
    CHECK(u->created == 1000);
    CHECK_FALSE(b->upload("nope"));
    CHECK_THROWS_AS(b->add_upload(make_upload("h1", 2, 5, 1000)), StoreError);  // ids are unique
}

TEST_CASE("store uploads: one writer per chunk, the offset moved once", "[store][uploads]") {
    TempDb db;
    auto a = std::move(db.open().main);
    auto b = std::move(db.open().main);
    a->add_upload(make_upload("h", 1, 100, 1000));
    // Two writers at offset 0: one claim wins while it holds.
    CHECK(a->begin_chunk("h", 0, 1100, 1100 + 60000));
    CHECK_FALSE(b->begin_chunk("h", 0, 1200, 1200 + 60000));
    CHECK_FALSE(b->begin_chunk("h", 10, 1200, 1200 + 60000));  // not where it stands
    CHECK(a->advance_upload("h", 0, 40, 1300));
    CHECK_FALSE(b->advance_upload("h", 0, 40, 1300));  // a second advance at the same offset loses
    auto u = b->upload("h");
    REQUIRE(u);
    CHECK(u->offset == 40);
    CHECK(u->writing_until == 0);
    CHECK(u->touched == 1300);
    // The next chunk, from the other store; a claim that ran out is taken over.
    CHECK(b->begin_chunk("h", 40, 2000, 2500));
    CHECK_FALSE(a->begin_chunk("h", 40, 2400, 9000));
    CHECK(a->begin_chunk("h", 40, 2600, 9000));
    CHECK(a->advance_upload("h", 40, 40, 2700));  // released without moving
    CHECK(a->upload("h")->offset == 40);
    CHECK(b->begin_chunk("h", 40, 2800, 9000));
    CHECK(b->advance_upload("h", 40, 100, 2900));
    CHECK(a->upload("h")->offset == 100);
}

TEST_CASE("store uploads: completion is claimed once, then done with its answer", "[store][uploads]") {
    TempDb db;
    auto a = std::move(db.open().main);
    auto b = std::move(db.open().main);
    a->add_upload(make_upload("h", 1, 10, 1000));
    CHECK_FALSE(a->claim_upload("h", 1100, 0));  // not every byte there yet
    REQUIRE(a->advance_upload("h", 0, 10, 1200));
    CHECK(a->claim_upload("h", 1300, 0));
    CHECK_FALSE(b->claim_upload("h", 1300, 0));  // the other instance: already claimed
    CHECK(b->upload("h")->status == "completing");
    CHECK_FALSE(b->begin_chunk("h", 10, 1400, 9000));
    CHECK_FALSE(b->advance_upload("h", 10, 10, 1400));  // not open any more
    a->finish_upload("h", R"({"id":5})", 1500);
    auto u = b->upload("h");
    REQUIRE(u);
    CHECK(u->status == "done");
    CHECK(u->done_json == R"({"id":5})");
    CHECK_FALSE(b->claim_upload("h", 1600, 99999));  // done stays done

    // A completion left by an instance that went away is taken over after a while.
    a->add_upload(make_upload("left", 1, 10, 1000));
    REQUIRE(a->advance_upload("left", 0, 10, 1000));
    REQUIRE(a->claim_upload("left", 2000, 0));
    CHECK_FALSE(b->claim_upload("left", 2100, 1500));  // still fresh
    CHECK(b->claim_upload("left", 5000, 2500));
}

TEST_CASE("store uploads: open uploads per user, the stale ones, dropping", "[store][uploads]") {
    TempDb db;
    auto s = std::move(db.open().main);
    s->add_upload(make_upload("u1a", 1, 10, 1000));
    s->add_upload(make_upload("u1b", 1, 10, 5000));
    s->add_upload(make_upload("u1done", 1, 10, 1000));
    s->add_upload(make_upload("u2", 2, 10, 1000));
    REQUIRE(s->advance_upload("u1done", 0, 10, 1000));
    REQUIRE(s->claim_upload("u1done", 1000, 0));
    CHECK(s->open_uploads(1) == 3);  // completing still counts
    s->finish_upload("u1done", "{}", 1000);
    CHECK(s->open_uploads(1) == 2);
    CHECK(s->open_uploads(2) == 1);
    CHECK(s->open_uploads(3) == 0);

    auto stale = s->stale_uploads(2000, 10);
    std::sort(stale.begin(), stale.end());
    CHECK(stale == std::vector<std::string>{"u1a", "u1done", "u2"});
    CHECK(s->stale_uploads(2000, 1).size() == 1);
    CHECK(s->stale_uploads(1000, 10).empty());

    // Dropping a stale one only if it is still idle; a plain drop always.
    REQUIRE(s->begin_chunk("u1a", 0, 3000, 4000));  // busy again
    CHECK_FALSE(s->drop_upload("u1a", 2000));
    CHECK(s->upload("u1a"));
    CHECK(s->drop_upload("u2", 2000));
    CHECK_FALSE(s->upload("u2"));
    CHECK(s->drop_upload("u1a"));
    CHECK_FALSE(s->drop_upload("u1a"));
    CHECK(s->open_uploads(1) == 1);
}
