// Uploads never sent with a message: a cap per user, and a sweep that removes them (and
// their files, unless a sent attachment has the same content) after a day.
#include <catch2/catch.hpp>

#include <filesystem>

#include "tests/unit/server/domain_fixture.h"

using namespace parley;
using namespace parley::server;
using namespace parley::server::testing;

namespace {

const std::string kPdf = "%PDF-1.4\nthe quote\n";

struct World {
    TempDomain t{"pending", 1'000'000};
    User buyer = t.add_user("Javier Morales", "buyer");
    User maker = t.add_user("Marta Iglesias", "manufacturer");
    int64_t rid = t.add_request(buyer, maker, "Bombas", "Precio?", "ES", "es", 1000);
    World() {
        t.start_domain();
        t.domain->set_files_dir(t.sibling(".files"));
    }
    ~World() { std::filesystem::remove_all(t.sibling(".files")); }
    Domain::UploadParams params(const char* name) {
        Domain::UploadParams p;
        p.kind = "other";
        p.name = name;
        return p;
    }
};

}  // namespace

TEST_CASE("pending uploads: at most 100 MB per user not sent yet", "[uploads][pending]") {
    World w;
    // 95 MB already waiting (rows only: what counts is what the store holds).
    Attachment big;
    big.conversation_id = *w.t.domain->upload_check(w.buyer, w.rid, w.params("a.pdf"), 1);
    big.uploader_id = w.buyer.id;
    big.name = "big.pdf";
    big.type = "application/pdf";
    big.kind = "other";
    big.size = 95LL * 1024 * 1024;
    big.sha256 = std::string(64, 'a');
    big.created = w.t.now;
    w.t.store->add_attachment(big);
    CHECK(w.t.store->pending_bytes(w.buyer.id) == big.size);
    CHECK(w.t.store->pending_bytes(w.maker.id) == 0);
    auto refused = w.t.domain->upload_check(w.buyer, w.rid, w.params("b.pdf"), 6LL * 1024 * 1024);
    REQUIRE_FALSE(refused);
    CHECK(refused.error.status == 413);
    CHECK(refused.error.code == "too_many_pending_files");
    CHECK(w.t.domain->upload_check(w.buyer, w.rid, w.params("c.pdf"), 4LL * 1024 * 1024));  // still room
    CHECK(w.t.domain->upload_check(w.maker, w.rid, w.params("d.pdf"), 6LL * 1024 * 1024));  // another user
}

TEST_CASE("pending uploads: swept after a day with their files; sent ones and shared files stay", "[uploads][pending]") {
    World w;
    auto old_pending = w.t.domain->upload(w.buyer, w.rid, w.params("old.pdf"), kPdf + "old");
    auto shared = w.t.domain->upload(w.buyer, w.rid, w.params("shared.pdf"), kPdf + "shared");
    REQUIRE(old_pending);
    REQUIRE(shared);
    // The shared content is also sent with a message.
    const std::string key = "k1";
    auto sent = w.t.domain->upload(w.buyer, w.rid, w.params("sent.pdf"), kPdf + "shared");
    REQUIRE(sent);
    auto posted = w.t.domain->post_message(w.buyer, w.rid, &key,
                                           R"({"body":"adjunto","attachments":[)" + std::to_string(sent->id) + "]}");
    REQUIRE(posted);
    const FileStore& files = *w.t.domain->files();
    REQUIRE(files.has(old_pending->sha256));

    w.t.now += kPendingUploadTtl - 1000;  // not a day yet
    auto fresh = w.t.domain->upload(w.buyer, w.rid, w.params("fresh.pdf"), kPdf + "fresh");
    REQUIRE(fresh);
    CHECK(w.t.domain->sweep_abandoned_uploads() == 0);

    w.t.now += 2000;  // the first three are a day old; "fresh" is not
    CHECK(w.t.domain->sweep_abandoned_uploads() == 2);  // old and shared (pending); sent stays
    CHECK_FALSE(w.t.store->attachment(old_pending->id));
    CHECK_FALSE(w.t.store->attachment(shared->id));
    CHECK(w.t.store->attachment(sent->id));
    CHECK(w.t.store->attachment(fresh->id));
    CHECK_FALSE(files.has(old_pending->sha256));  // nobody names it any more
    CHECK(files.has(sent->sha256));               // the sent attachment's content stays
    CHECK(files.has(fresh->sha256));
    CHECK(w.t.store->pending_bytes(w.buyer.id) == fresh->size);
}
