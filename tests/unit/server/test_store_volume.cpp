// Store tests for volume: inbox pages (keyset cursor, filters, totals), thread windows
// (pages of a long history and the events between them), full-text search (accents,
// CJK substrings, ranking, visibility), the search text helpers and the volume data.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>

#include "server/base/search_text.h"
#include "server/domain/seed.h"
#include "server/domain/volume_seed.h"
#include "tests/unit/server/store_world.h"

using namespace parley;
using namespace parley::server;
using namespace parley::server::testing;

namespace {
// Every page of a user's inbox, following the cursor; `between` runs after each page.
std::vector<RequestSummary> all_pages(Store& s, int64_t user, InboxQuery q, const std::function<void()>& between) {
    std::vector<RequestSummary> out;
    for (int guard = 0; guard < 1000; ++guard) {
        InboxPage p = s.inbox_page(user, q);
        out.insert(out.end(), p.rows.begin(), p.rows.end());
        if (!p.more) break;
        REQUIRE_FALSE(p.rows.empty());
        q.after_activity = p.rows.back().last_activity;
        q.after_id = p.rows.back().id;
        if (between) between();
    }
    return out;
}
}  // namespace

TEST_CASE("store: inbox pages follow a cursor with no duplicates and no gaps while messages arrive", "[store][volume]") {
    World w;
    std::vector<int64_t> ids{w.ra, w.rb};
    std::vector<int64_t> convs{w.ca, w.cb};
    for (int i = 0; i < 23; ++i) {
        std::string product = "Item ";
        product += std::to_string(i);
        RequestRecord r{0, i % 2 ? w.a : w.b, w.m, product, "text", i % 3 ? "ES" : "AR", "es",
                        3000 + i * 10};
        convs.push_back(open(*w.store, r));
        ids.push_back(r.id);
    }
    InboxQuery q;
    q.limit = 7;
    InboxPage first = w.store->inbox_page(w.m, q);
    CHECK(first.total == 25);
    CHECK(first.rows.size() == 7);
    CHECK(first.more);
    CHECK(first.rows[0].id == ids.back());  // newest first

    // Between pages, the buyers write on older requests: those move to the top (seen on
    // the next refresh); every other request is listed exactly once.
    int post = 0;
    std::set<int64_t> moved;
    auto rows = all_pages(*w.store, w.m, q, [&] {
        const size_t k = static_cast<size_t>(post * 5 % 12);  // among the oldest half
        const int64_t author = w.store->request(ids[k])->buyer_id;
        w.store->post_message(convs[k], author, "news", std::to_string(post) + "p", 9000 + post);
        moved.insert(ids[k]);
        ++post;
    });
    std::map<int64_t, int> seen;
    for (const auto& r : rows) ++seen[r.id];
    for (const auto& [id, n] : seen) CHECK(n == 1);
    for (int64_t id : ids)
        if (!moved.count(id)) CHECK(seen.count(id) == 1);
    for (size_t i = 1; i < rows.size(); ++i) {
        const bool ordered = rows[i - 1].last_activity > rows[i].last_activity ||
                             (rows[i - 1].last_activity == rows[i].last_activity && rows[i - 1].id > rows[i].id);
        CHECK(ordered);
    }
    // A fresh first page shows the moved requests on top.
    InboxPage again = w.store->inbox_page(w.m, q);
    CHECK(moved.count(again.rows[0].id) == 1);
    CHECK(again.rows[0].snippet == "news");
}

TEST_CASE("store: inbox filters by status, unread, country and handler, with totals", "[store][volume]") {
    World w;
    int64_t d = w.store->add_user(make_user("Dist", "distributor"));
    w.store->set_network_member(d, w.m, {"AR"}, false);
    RequestRecord r3{0, w.a, w.m, "Gear", "Need gears", "AR", "es", 3000};
    const int64_t c3 = open(*w.store, r3);
    w.store->post_message(w.cb, w.m, "Offer attached", "k1", 4000);      // rb answered
    w.store->add_conversation(r3.id, d, "forwarded", c3, 4100);            // r3 handled by Dist
    w.store->mark_read(w.m, w.ca, 0, 4200);                               // ra read
    InboxQuery q;
    q.status = "answered";
    auto p = w.store->inbox_page(w.m, q);
    REQUIRE(p.rows.size() == 1);
    CHECK(p.rows[0].id == w.rb);
    CHECK(p.total == 1);
    q = {};
    q.country = "AR";
    p = w.store->inbox_page(w.m, q);
    REQUIRE(p.rows.size() == 1);
    CHECK(p.rows[0].id == r3.id);
    CHECK(p.rows[0].handler_name == "Dist");
    q = {};
    q.handler = d;
    CHECK(w.store->inbox_page(w.m, q).total == 1);
    q.handler = 0;  // nobody else: mine
    CHECK(w.store->inbox_page(w.m, q).total == 2);
    q = {};
    q.unread = true;
    p = w.store->inbox_page(w.m, q);
    CHECK(p.total == 1);  // r3: never opened (rb: the manufacturer wrote last)
    CHECK(p.unread == 1);
    CHECK(p.to_answer == 2);  // ra and r3 (the manufacturer's own conversation is unanswered)
    // The distributor sees only the forwarded request.
    auto mine = w.store->inbox(d);
    REQUIRE(mine.size() == 1);
    CHECK(mine[0].id == r3.id);
    CHECK(mine[0].status == "to_answer");
}

TEST_CASE("store: a long history comes in windows; the events fall between their messages", "[store][volume]") {
    World w;
    std::vector<int64_t> mids;
    for (int i = 0; i < 120; ++i) {
        const bool buyer = i % 2 == 0;
        auto out = w.store->post_message(w.ca, buyer ? w.a : w.m, std::to_string(i) + " message",
                                         std::to_string(i) + "k", 10000 + i * 10);
        mids.push_back(out.message.id);
        if (i % 10 == 5) w.store->mark_read(buyer ? w.m : w.a, w.ca, 0, 10000 + i * 10 + 5);  // a "read" event
    }
    auto everything = w.store->request_data(w.ra);
    REQUIRE(everything->messages.size() == 120);
    CHECK(everything->older == 0);
    const size_t all_events = everything->events.size();
    REQUIRE(all_events >= 12);

    ThreadWindow win;
    win.limit = 50;
    std::vector<int64_t> got;
    std::vector<int64_t> events;
    for (int page = 0; page < 5; ++page) {
        auto d = w.store->request_data(w.ra, win);
        REQUIRE(d);
        CHECK(d->message_total == 120);
        for (const auto& m : d->messages) got.push_back(m.id);
        for (const auto& e : d->events) events.push_back(e.event.id);
        if (!d->messages.empty() && d->older) {
            // Each event of the page is newer than the page's oldest message's event.
            CHECK(d->older == d->messages.back().id);
        }
        if (d->older == 0) break;
        win.before = d->older;
    }
    REQUIRE(got.size() == 120);
    CHECK(std::is_sorted(got.rbegin(), got.rend()));
    CHECK(got.front() == mids.back());
    CHECK(std::set<int64_t>(got.begin(), got.end()).size() == 120);
    CHECK(events.size() == all_events);  // the pages' events: each exactly once
    CHECK(std::set<int64_t>(events.begin(), events.end()).size() == all_events);

    // A jump: the first page reaches down to an old message.
    ThreadWindow jump;
    jump.limit = 50;
    jump.down_to = mids[3];
    auto d = w.store->request_data(w.ra, jump);
    CHECK(d->messages.back().id == mids[3]);
    CHECK(d->older == mids[3]);
    CHECK(d->messages.size() == 117);
    // Limited to conversations: the other request's conversation has none of them.
    ThreadWindow other;
    other.conversations = {w.cb};
    auto none = w.store->request_data(w.ra, other);
    CHECK(none->messages.empty());
    CHECK(none->message_total == 0);
}

TEST_CASE("store: search folds accents, finds CJK substrings, ranks and stays within what a user sees",
          "[store][volume]") {
    World w;
    int64_t d = w.store->add_user(make_user("Dist", "distributor"));
    w.store->set_network_member(d, w.m, {"ES"}, false);
    w.store->post_message(w.ca, w.a, "Necesitamos la válvula de bola DN50", "k1", 3000);
    w.store->post_message(w.ca, w.m, "Confidential margin: zebrafish", "k2", 3100);
    const int64_t fwd = w.store->add_conversation(w.ra, d, "forwarded", w.ca, 3200).first;
    w.store->post_message(fwd, d, "Distributor price for the 球阀门 order", "k3", 3300);
    w.store->post_message(w.cb, w.b, "Preciso de peças — Ärger mit Größe", "k4", 3400);

    auto ids = [&](int64_t user, const std::string& text) {
        std::vector<int64_t> out;
        for (const auto& h : w.store->search(user, text, InboxQuery{}, 0, 20)) out.push_back(h.request.id);
        return out;
    };
    // Accents folded both ways, word prefixes.
    CHECK(ids(w.m, "VALVULA") == std::vector<int64_t>{w.ra});
    CHECK(ids(w.m, "válvu") == std::vector<int64_t>{w.ra});
    CHECK(ids(w.m, "valv").size() == 2);  // "valves" of the other request too
    CHECK(ids(w.m, "pecas") == std::vector<int64_t>{w.rb});
    CHECK(ids(w.m, "arger grosse").empty());  // ß is not "ss"
    CHECK(ids(w.m, "ärger größe") == std::vector<int64_t>{w.rb});
    // The request's own fields: product and buyer name.
    CHECK(ids(w.m, "pumps") == std::vector<int64_t>{w.ra});
    CHECK(ids(w.m, "bob") == std::vector<int64_t>{w.rb});
    // CJK: any substring.
    CHECK(ids(d, "阀门") == std::vector<int64_t>{w.ra});
    CHECK(ids(d, "球阀") == std::vector<int64_t>{w.ra});
    CHECK(ids(d, "门球").empty());
    // Visibility: the distributor never finds the manufacturer's conversation, nor the
    // other request; the buyer finds both conversations of their own request only.
    CHECK(ids(d, "zebrafish").empty());
    CHECK(ids(d, "valvula").empty());
    CHECK(ids(w.m, "zebrafish") == std::vector<int64_t>{w.ra});
    CHECK(ids(w.a, "zebrafish") == std::vector<int64_t>{w.ra});
    CHECK(ids(w.b, "zebrafish").empty());
    CHECK(ids(w.b, "pumps").empty());
    // The hit names the message and carries its text.
    auto hits = w.store->search(w.m, "zebrafish", InboxQuery{}, 0, 20);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].message_id > 0);
    CHECK(hits[0].text == "Confidential margin: zebrafish");
    // Filters apply; one hit per request, offset and limit page through.
    InboxQuery fr;
    fr.country = "FR";
    CHECK(w.store->search(w.m, "need", fr, 0, 20).size() == 1);
    CHECK(w.store->search(w.m, "need", InboxQuery{}, 0, 20).size() == 2);
    CHECK(w.store->search(w.m, "need", InboxQuery{}, 1, 20).size() == 1);
    CHECK(w.store->search(w.m, "\" OR *", InboxQuery{}, 0, 20).empty());  // no FTS syntax from users
    // The count: every request found, whatever the page; the filters apply to it too.
    SearchCount count;
    CHECK(w.store->search(w.m, "need", InboxQuery{}, 1, 20, &count).size() == 1);
    CHECK(count.found == 2);
    CHECK_FALSE(count.more);
    w.store->search(w.m, "need", fr, 0, 20, &count);
    CHECK(count.found == 1);
    w.store->search(w.m, "nothing-like-this", InboxQuery{}, 0, 20, &count);
    CHECK(count.found == 0);
}

TEST_CASE("store: a search that fills its pool says there may be more", "[store][volume]") {
    World w;
    // 205 more requests about gearboxes: more than the 200 a search ranks.
    w.store->transaction([&] {
        for (int i = 0; i < 205; ++i) {
            RequestRecord r{0, w.a, w.m, "Gearbox " + std::to_string(i), "Gearbox quote please", "ES", "en",
                            10000 + i};
            open(*w.store, r);
        }
    });
    SearchCount count;
    auto hits = w.store->search(w.m, "gearbox", InboxQuery{}, 0, 50, &count);
    CHECK(hits.size() == 50);
    CHECK(count.found == 200);
    CHECK(count.more);
    // A more precise search is complete again.
    hits = w.store->search(w.m, "gearbox 17", InboxQuery{}, 0, 50, &count);
    CHECK(count.found == static_cast<int>(hits.size()));
    CHECK(count.found >= 1);
    CHECK_FALSE(count.more);
}

TEST_CASE("search text: terms, folding and highlighted snippets", "[search]") {
    auto terms = search_terms("Válvula  DN50, 球阀门abc \"x\"");
    REQUIRE(terms.size() == 5);
    CHECK(terms[0].text == "Válvula");
    CHECK_FALSE(terms[0].cjk);
    CHECK(terms[2].text == "球阀门");
    CHECK(terms[2].cjk);
    CHECK(terms[3].text == "abc");
    CHECK(search_terms("  ,;  ").empty());
    CHECK(search_fold(U'É') == U'e');
    CHECK(search_fold(U'ł') == U'l');
    CHECK(search_fold(U'Ж') == U'ж');
    CHECK(search_fold(U'ß') == U'ß');

    Snippet s = search_snippet("Necesitamos la VÁLVULA de bola", search_terms("valvula"));
    CHECK(s.text == "Necesitamos la VÁLVULA de bola");
    REQUIRE(s.ranges.size() == 1);
    CHECK(s.text.substr(static_cast<size_t>(s.ranges[0].first), static_cast<size_t>(s.ranges[0].second)) == "VÁLVULA");
    // Not inside a word; CJK anywhere.
    CHECK(search_snippet("unvalvulated", search_terms("valvula")).ranges.empty());
    Snippet c = search_snippet("订购球阀门十个", search_terms("阀门"));
    REQUIRE(c.ranges.size() == 1);
    CHECK(c.text.substr(static_cast<size_t>(c.ranges[0].first), static_cast<size_t>(c.ranges[0].second)) == "阀门");
    // A long text is cut around the first match, at code points, with the match inside.
    std::string long_text;
    for (int i = 0; i < 60; ++i) long_text += "ñandú ";
    long_text += "target word here";
    for (int i = 0; i < 60; ++i) long_text += " más";
    Snippet l = search_snippet(long_text, search_terms("target"), 100);
    CHECK(l.text.size() <= 100 + 6);
    CHECK(l.text.rfind("…", 0) == 0);
    REQUIRE(l.ranges.size() == 1);
    CHECK(l.text.substr(static_cast<size_t>(l.ranges[0].first), 6) == "target");
}

TEST_CASE("load-demo: the volume is added to the demo, in nine languages, with the long negotiation", "[volume]") {
    TempDb db;
    auto s = std::move(db.open().main);
    const Millis now = 1'800'000'000'000;
    REQUIRE(seed_demo(*s, now));
    int64_t maker = 0;
    for (const auto& u : s->users())
        if (u.role == "manufacturer") maker = u.id;
    const size_t demo = s->inbox(maker).size();
    VolumeSpec spec;
    spec.requests = 40;
    spec.messages = 300;
    spec.long_thread = 120;
    VolumeReport r = seed_volume(*s, spec, now);
    CHECK(r.requests == 40);
    CHECK(r.messages == 420);
    // Quotes: sent after a seller's answer, some opened, some accepted; in the history.
    CHECK(r.quotes > 0);
    int quotes = 0, opened = 0, accepted = 0;
    for (const auto& row : s->inbox(maker))
        for (const auto& q : s->quotes(row.id)) {
            ++quotes;
            opened += q.status == kQuoteOpened;
            accepted += q.status == kQuoteAccepted || q.status == kQuotePaid;
            CHECK(q.totals.total > 0);
        }
    CHECK(quotes == r.quotes + 1);  // and the demo's own
    CHECK(opened > 0);
    CHECK(accepted > 1);  // the demo's paid one and at least one of the volume
    auto rows = s->inbox(maker);
    CHECK(rows.size() == demo + 41);
    std::set<std::string> langs;
    for (const auto& row : rows) langs.insert(row.language);
    CHECK(langs.size() >= 9);
    auto d = s->request_data(r.long_request, ThreadWindow{{}, 0, 0, 50});
    REQUIRE(d);
    CHECK(d->message_total == 120);
    CHECK(d->messages.size() == 50);
    CHECK(d->older != 0);
    bool documents = false;
    for (const auto& m : d->messages) documents = documents || !m.attachments.empty();
    CHECK(documents);
    auto hits = s->search(maker, VolumeReport::kOldestWord, InboxQuery{}, 0, 10);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].request.id == r.long_request);
    CHECK(hits[0].message_id == r.long_oldest_message);
    // The same spec and seed give the same data.
    TempDb db2;
    auto s2 = std::move(db2.open().main);
    seed_demo(*s2, now);
    VolumeReport r2 = seed_volume(*s2, spec, now);
    CHECK(r2.long_oldest_message == r.long_oldest_message);
    CHECK(s2->inbox(maker).front().snippet == s->inbox(maker).front().snippet);
}
