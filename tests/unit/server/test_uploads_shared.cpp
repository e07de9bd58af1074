// Chunked uploads kept in the store (server/domain/uploads.h): two Uploads on one store
// stand for two instances sharing the database and the files directory. An upload goes
// on from either; one starting up leaves the uploads in progress alone; the sweep drops
// stale uploads with their temp files and removes old temp files of no upload.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <utime.h>

#include <ctime>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "tests/unit/server/domain_fixture.h"
#include "server/domain/uploads.h"

using namespace parley;
using namespace parley::server;
using namespace parley::server::testing;
namespace fs = std::filesystem;

namespace {

// What the handler reads from "?kind=other&name=NAME&size=SIZE".
UploadStart text_file(const std::string& name, int64_t size) {
    UploadStart s;
    s.params.kind = "other";
    s.params.name = name;
    s.size = size;
    return s;
}

struct World {
    TempDomain t{"uploads-shared", 1'000'000};
    User buyer = t.add_user("Javier Morales", "buyer");
    User maker = t.add_user("Marta Iglesias", "manufacturer");
    int64_t rid = t.add_request(buyer, maker, "Bombas", "Precio?", "ES", "es", 1000);
    fs::path tmp;
    World() {
        t.start_domain();
        t.domain->set_files_dir(t.sibling(".files"));
        tmp = fs::path(t.domain->files()->root()) / "tmp";
    }
    ~World() { fs::remove_all(t.sibling(".files")); }
    Domain::Now clock() {
        return [this] { return t.now; };
    }
    size_t tmp_files() const {
        size_t n = 0;
        for (const auto& e : fs::directory_iterator(tmp)) n += e.is_regular_file() ? 1 : 0;
        return n;
    }
    void old_file(const std::string& name) {
        std::ofstream(tmp / name) << "left over";
        struct utimbuf times{};
        times.actime = times.modtime = std::time(nullptr) - 2 * 3600;
        REQUIRE(::utime((tmp / name).c_str(), &times) == 0);
    }
};

std::string upload_id(const UploadReply& r) {
    REQUIRE(r.status == 201);
    return nlohmann::json::parse(r.body).at("upload_id").get<std::string>();
}
int64_t offset_of(const UploadReply& r) { return nlohmann::json::parse(r.body).at("offset").get<int64_t>(); }

const std::string kText = std::string(100, 'a') + std::string(100, 'b');

}  // namespace

TEST_CASE("uploads in the store: continued on another instance, which leaves them alone at start", "[uploads]") {
    World w;
    Uploads a(*w.t.domain, w.clock());
    std::string id = upload_id(a.create(w.buyer, w.rid, text_file("notes.txt", 200)));
    REQUIRE(a.put(w.buyer, id, int64_t{0}, kText.substr(0, 100)).status == 200);
    CHECK(w.tmp_files() == 1);

    Uploads b(*w.t.domain, w.clock());  // an instance starting on the same files
    CHECK(w.tmp_files() == 1);
    CHECK(b.request_of(w.buyer, id) == w.rid);
    CHECK(b.request_of(w.maker, id) == 0);  // not theirs
    CHECK(b.status(w.maker, id).status == 404);
    auto stale = b.put(w.buyer, id, int64_t{0}, kText.substr(0, 100));
    CHECK(stale.status == 409);
    CHECK(offset_of(stale) == 100);
    CHECK(b.put(w.buyer, id, int64_t{100}, kText.substr(100)).status == 200);
    CHECK(offset_of(a.status(w.buyer, id)) == 200);
    CHECK(a.complete(w.buyer, id).status == 201);  // completed where it began
    auto again = b.complete(w.buyer, id);
    CHECK(again.status == 201);
    CHECK(again.body == a.complete(w.buyer, id).body);  // the same attachment
    CHECK(w.tmp_files() == 0);
    CHECK(b.put(w.buyer, id, int64_t{200}, "x").status == 409);  // complete
}

TEST_CASE("uploads in the store: the per-user limit counts every instance's uploads", "[uploads]") {
    World w;
    Uploads a(*w.t.domain, w.clock());
    Uploads b(*w.t.domain, w.clock());
    for (size_t i = 0; i < kMaxOpenUploadsPerUser; ++i)
        REQUIRE((i % 2 ? a : b).create(w.buyer, w.rid, text_file("n.txt", 200)).status == 201);
    CHECK(a.create(w.buyer, w.rid, text_file("n.txt", 200)).status == 429);
    CHECK(b.create(w.buyer, w.rid, text_file("n.txt", 200)).status == 429);
}

TEST_CASE("uploads in the store: the sweep drops stale uploads and old temp files of no upload", "[uploads]") {
    World w;
    Uploads a(*w.t.domain, w.clock());
    std::string idle = upload_id(a.create(w.buyer, w.rid, text_file("idle.txt", 200)));
    REQUIRE(a.put(w.buyer, idle, int64_t{0}, kText.substr(0, 100)).status == 200);
    w.t.now += kUploadStaleMs / 2;
    std::string busy = upload_id(a.create(w.buyer, w.rid, text_file("busy.txt", 200)));
    REQUIRE(a.put(w.buyer, busy, int64_t{0}, kText.substr(0, 100)).status == 200);
    w.old_file("up-0123abcd");   // of no upload (an older version's, or cancelled mid-write)
    std::ofstream(w.tmp / "up-fresh") << "being made";  // of no upload yet, but new
    CHECK(w.tmp_files() == 4);

    w.t.now += kUploadStaleMs / 2 + 1;  // `idle` untouched for an hour, `busy` for half
    Uploads b(*w.t.domain, w.clock());  // starting: the sweep
    CHECK(w.tmp_files() == 2);          // busy's and the fresh one
    CHECK(b.status(w.buyer, idle).status == 404);
    CHECK(offset_of(b.status(w.buyer, busy)) == 100);
    CHECK(fs::exists(w.tmp / "up-fresh"));
    CHECK(a.sweep() == 0);
    w.t.now += kUploadStaleMs;
    CHECK(a.sweep() == 1);
    CHECK(a.status(w.buyer, busy).status == 404);
    CHECK(w.tmp_files() == 1);
}
