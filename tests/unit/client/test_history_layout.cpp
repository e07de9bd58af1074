// The history's layout cache (app/history_layout.h): measured heights and offsets, the
// visible range, invalidation on a new width, the reader's place kept when entries
// arrive on top or get measured above it, older pages appended at the bottom, estimates
// replaced by measurements; and read marks looked up without a pass over the events.
#include <catch2/catch.hpp>
#include "app/history_layout.h"
#include "app/workflow_state.h"

using namespace parley;

namespace {
HistoryKey msg(int64_t id) { return {HistoryKind::Message, id}; }

HistoryItem item(HistoryKey key, float gap = 10, int chars = 40) {
    HistoryItem it;
    it.key = key;
    it.gap = gap;
    it.hint.text_chars = chars;
    return it;
}

// n messages, ids first_id, first_id - 1, … (newest first), every one measured at `h`.
HistoryLayout measured_list(size_t n, float h, int64_t first_id = 1000, HistoryMetrics m = {800, 19}) {
    HistoryLayout l;
    history_set_metrics(l, m);
    std::vector<HistoryItem> items;
    for (size_t i = 0; i < n; i++) items.push_back(item(msg(first_id - (int64_t)i)));
    history_set_items(l, items);
    for (size_t i = 0; i < n; i++) history_measured(l, i, h);
    return l;
}
}  // namespace

TEST_CASE("history layout: measured heights give exact offsets and total", "[history]") {
    HistoryLayout l;
    history_set_metrics(l, {800, 15});
    history_set_items(l, {item(msg(3)), item({HistoryKind::Event, 7}, 10), item({HistoryKind::Event, 8}, 6), item(msg(2))});
    REQUIRE(l.items.size() == 4);
    CHECK_FALSE(l.items[0].measured);
    CHECK(history_measured(l, 0, 80));
    CHECK(l.items[1].height == Approx(33));      // an event line's estimate…
    CHECK_FALSE(history_measured(l, 1, 33));     // … measured the same: nothing moves
    CHECK(l.items[1].measured);
    CHECK(history_measured(l, 2, 30));
    CHECK(history_measured(l, 2, 24));
    CHECK(history_measured(l, 3, 120));
    CHECK_FALSE(history_measured(l, 3, 120));  // the same height again: nothing changed
    CHECK(history_offset(l, 0) == 0);
    CHECK(history_offset(l, 1) == 90);         // 10 + 80
    CHECK(history_offset(l, 2) == 133);        // + 10 + 33
    CHECK(history_offset(l, 3) == 163);        // + 6 + 24
    CHECK(history_total(l) == 293);            // + 10 + 120
    CHECK(history_find(l, {HistoryKind::Event, 8}) == std::optional<size_t>(2));
    CHECK_FALSE(history_find(l, {HistoryKind::Message, 8}));  // kinds have their own ids
    // A re-measured entry moves only what is below it.
    history_measured(l, 1, 44);
    CHECK(history_offset(l, 1) == 90);
    CHECK(history_offset(l, 2) == 144);
    CHECK(history_total(l) == 304);
}

TEST_CASE("history layout: the visible range is found by binary search", "[history]") {
    HistoryLayout l = measured_list(10000, 90);  // every slot 100 px (gap 10)
    CHECK(history_total(l) == 1000000);
    auto [a, b] = history_range(l, 505050, 505850);
    CHECK(a == 5050);  // 505000..505100 holds the view's top
    CHECK(b == 5059);  // 505800..505900 holds its bottom: drawn; 505900 starts below
    auto [c, d] = history_range(l, -250, 300);  // the list's top in view, a margin above it
    CHECK(c == 0);
    CHECK(d == 3);
    auto [e, f] = history_range(l, 999950, 1000400);  // the end
    CHECK(e == 9999);
    CHECK(f == 10000);
    auto [g, h] = history_range(l, 1000100, 1000400);  // below the list: nothing
    CHECK(g == h);
    auto [i, j] = history_range(l, 500100, 500100);  // an empty view
    CHECK(i == j);
}

TEST_CASE("history layout: a new width or font size sends every entry back to its estimate", "[history]") {
    HistoryLayout l = measured_list(50, 90);
    CHECK(history_total(l) == 5000);
    CHECK_FALSE(history_set_metrics(l, {800.2f, 19}));  // sub-pixel: the same column
    CHECK(l.items[7].measured);
    REQUIRE(history_set_metrics(l, {390, 19}));
    for (const HistoryItem& it : l.items) {
        CHECK_FALSE(it.measured);
        CHECK(it.height == history_estimate(it, {390, 19}));
    }
    const double narrow = history_total(l);
    CHECK(narrow == Approx(50 * (10 + history_estimate(l.items[0], {390, 19}))));
    // Bigger text: a new measurement is needed again.
    history_measured(l, 0, 100);
    REQUIRE(history_set_metrics(l, {390, 23}));
    CHECK_FALSE(l.items[0].measured);
    CHECK(history_total(l) > narrow);
}

TEST_CASE("history layout: estimates follow the text and the width, then measurements replace them", "[history]") {
    const HistoryMetrics wide{800, 15}, phone{360, 15};
    HistoryItem shortm = item(msg(1), 10, 20), longm = item(msg(2), 10, 2000), lines = item(msg(3), 10, 20);
    lines.hint.text_breaks = 4;
    CHECK(history_estimate(longm, wide) > history_estimate(shortm, wide) + 19 * 10);
    CHECK(history_estimate(longm, phone) > history_estimate(longm, wide));
    CHECK(history_estimate(lines, wide) == Approx(history_estimate(shortm, wide) + 4 * 15 * 1.27));
    HistoryItem doc = shortm;
    doc.hint.attachments = 2;
    CHECK(history_estimate(doc, wide) == Approx(history_estimate(shortm, wide) + 104));
    CHECK(history_estimate(item({HistoryKind::Event, 1}, 6, 30), wide) == Approx(33));
    CHECK(history_estimate(item({HistoryKind::Event, 1}, 6, 90), phone) > 40);  // the time goes under the text
    // As measured in the browser (Noto Sans 15 px): in a 760 px column a one-line
    // message 86 px, mine 101 px (its read line), four lines 143 px; on a phone (366 px)
    // "Marta Iglesias · Manufacturer" pushes Translate under the text, "Sarah Johnson ·
    // Buyer" does not.
    HistoryItem mine = item(msg(4), 10, 60), theirs = item(msg(5), 10, 97);
    mine.hint.own = true;
    mine.hint.header_chars = 30;
    theirs.hint.header_chars = 22;
    CHECK(history_estimate(theirs, {760, 15}) == Approx(86).margin(3));
    CHECK(history_estimate(mine, {760, 15}) == Approx(101).margin(3));
    CHECK(history_estimate(item(msg(6), 10, 437), {760, 15}) == Approx(143).margin(3));
    CHECK(history_estimate(theirs, {366, 15}) == Approx(105).margin(3));
    mine.hint.text_chars = 150;
    CHECK(history_estimate(mine, {366, 15}) == Approx(162).margin(3));

    HistoryLayout l;
    history_set_metrics(l, wide);
    history_set_items(l, {shortm, longm, lines});
    const float est = l.items[1].height;
    CHECK(est == history_estimate(longm, wide));
    CHECK(history_measured(l, 1, 321));
    CHECK(l.items[1].measured);
    CHECK(l.items[1].height == 321);
    CHECK(history_offset(l, 2) == Approx(10 + l.items[0].height + 10 + 321));
    // A reload keeps the measurement (same key), the unmeasured keep estimating.
    history_set_items(l, {shortm, longm, lines});
    CHECK(l.items[1].height == 321);
    CHECK(l.items[1].measured);
    CHECK_FALSE(l.items[0].measured);
}

TEST_CASE("history layout: entries arriving on top keep the reader's place", "[history]") {
    HistoryLayout l = measured_list(2000, 90, 2000);  // ids 2000 … 1
    // The reader looks at offsets 100000..100800: entry 1000 (id 1000) starts at 100000.
    const HistoryAnchor a = history_anchor(l, 99995, 100795);
    REQUIRE(a.valid);
    CHECK(a.key == msg(1000));
    CHECK(a.offset == 100000);
    // Three new messages on top (ids 2001..2003): nothing under the reader moves once the
    // scroll takes the delta.
    std::vector<HistoryItem> items{item(msg(2003)), item(msg(2002)), item(msg(2001))};
    for (const HistoryItem& it : l.items) items.push_back(it);
    history_set_items(l, items);
    REQUIRE(l.items.size() == 2003);
    CHECK(l.items[3].measured);  // the old ones keep their heights
    CHECK_FALSE(l.items[0].measured);
    const double est = 3 * (10 + history_estimate(l.items[0], l.metrics));
    const double delta = history_anchor_delta(l, a);
    CHECK(delta == Approx(est));
    CHECK(history_offset(l, *history_find(l, msg(1000))) == Approx(100000 + est));
    // The list's top in view: no anchor, new entries simply push the rest down.
    CHECK_FALSE(history_anchor(l, -300, 500).valid);
    CHECK_FALSE(history_anchor(l, 0, 800).valid);
    // The anchor's entry gone (deleted, another conversation): no correction.
    history_set_items(l, {item(msg(5)), item(msg(4))});
    CHECK(history_anchor_delta(l, a) == 0);
}

TEST_CASE("history layout: measurements above the reader are absorbed, below change nothing", "[history]") {
    HistoryLayout l;
    history_set_metrics(l, {800, 19});
    std::vector<HistoryItem> items;
    for (int64_t id = 100; id > 0; id--) items.push_back(item(msg(id)));
    history_set_items(l, items);
    // View over entries 20..28 (estimated); the first whose content starts in view is the anchor.
    const double top = history_offset(l, 20) + 13;
    const HistoryAnchor a = history_anchor(l, top, top + 800);
    REQUIRE(a.valid);
    CHECK(a.key == msg(100 - 21));  // entry 20 starts above the view's top: entry 21
    // Entry 20 (partly visible at the top) is drawn and turns out 60 px taller than estimated.
    history_measured(l, 20, l.items[20].height + 60);
    CHECK(history_anchor_delta(l, a) == Approx(60));
    // Entries below the anchor measured: the anchor does not move.
    const HistoryAnchor b = history_anchor(l, top + 60, top + 860);
    history_measured(l, 25, l.items[25].height - 30);
    history_measured(l, 26, l.items[26].height + 200);
    CHECK(history_anchor_delta(l, b) == 0);
    // Scrolled up a little: entry 19 comes into view at its estimate; the reader was
    // looking at the measured entry 20, which stays the anchor.
    const double up = history_offset(l, 19) - 5;
    REQUIRE(history_offset(l, 20) + 10 < up + 800);
    CHECK(history_anchor(l, up, up + 800).key == msg(100 - 20));
    CHECK(history_anchor_of(l, msg(100 - 20)).offset == history_offset(l, 20));
    CHECK_FALSE(history_anchor_of(l, msg(5000)).valid);
    // A view's top inside an entry's gap: that entry is the anchor.
    const HistoryAnchor g = history_anchor(l, history_offset(l, 40) + 4, history_offset(l, 40) + 800);
    CHECK(g.key == msg(100 - 40));
    // A message taller than the view: the entry the view's top is in.
    history_measured(l, 50, 5000);
    const HistoryAnchor t = history_anchor(l, history_offset(l, 50) + 1000, history_offset(l, 50) + 1800);
    CHECK(t.key == msg(100 - 50));
}

TEST_CASE("history layout: an older page appended at the bottom changes nothing above it", "[history]") {
    HistoryLayout l = measured_list(500, 90, 1000);  // ids 1000 … 501
    CHECK(history_total(l) == 50000);
    std::vector<double> before(l.offsets.begin(), l.offsets.end());
    const HistoryAnchor a = history_anchor(l, 25000, 25800);
    std::vector<HistoryItem> items = l.items;
    for (int64_t id = 500; id > 0; id--) items.push_back(item(msg(id)));
    history_set_items(l, items);
    CHECK(l.dirty_from == 500);  // offsets are recomputed only from the first new entry
    REQUIRE(l.items.size() == 1000);
    for (size_t i = 0; i <= 500; i++) CHECK(history_offset(l, i) == before[i]);
    for (size_t i = 0; i < 500; i++) CHECK(l.items[i].measured);
    CHECK_FALSE(l.items[500].measured);
    CHECK(history_anchor_delta(l, a) == 0);
    CHECK(history_find(l, msg(1)) == std::optional<size_t>(999));
    CHECK(history_find(l, msg(1000)) == std::optional<size_t>(0));
    CHECK(history_total(l) == Approx(50000 + 500 * (10 + history_estimate(l.items[999], l.metrics))));
}

TEST_CASE("read marks: the index answers like read_view", "[history][workflow]") {
    RequestDetail d;
    d.id = 5;
    d.buyer.id = 2;
    Conversation c10, c11;
    c10.id = 10;
    c11.id = 11;
    c11.other_read_id = 40;
    c11.other_read_at = 9999;
    d.conversations = {c10, c11};
    auto message = [](int64_t id, int64_t conv, int64_t author, const char* role) {
        Message m;
        m.id = id, m.conversation_id = conv, m.author_id = author, m.author_role = role;
        return m;
    };
    auto read = [](int64_t id, int64_t conv, int64_t actor, const char* role, int64_t message_id, Millis at) {
        Event e;
        e.id = id, e.kind = "read", e.conversation_id = conv, e.actor_id = actor, e.actor_role = role;
        e.message_id = message_id, e.created = at;
        return e;
    };
    for (int64_t id = 1; id <= 40; id++)
        d.messages.push_back(id % 2 ? message(id, id % 4 == 1 ? 10 : 11, 1, "manufacturer")
                                    : message(id, 10, 2, "buyer"));
    d.events = {read(1, 10, 2, "buyer", 5, 700), read(2, 10, 2, "buyer", 21, 500),  // the buyer read up to 21
                read(3, 10, 2, "buyer", 13, 600), read(4, 10, 1, "manufacturer", 30, 800),
                read(5, 10, 3, "distributor", 40, 900),  // the seller side: counts for the buyer's messages only
                read(6, 0, 2, "buyer", 33, 1000)};       // request-wide
    const ReadIndex ix = build_read_index(d);
    int read_count = 0;
    for (const Message& m : d.messages) {
        INFO(m.id);
        const ReadView slow = read_view(d, m), fast = read_view(d, ix, m);
        CHECK(fast.read == slow.read);
        CHECK(fast.at == slow.at);
        read_count += fast.read;
    }
    CHECK(read_count > 10);
    CHECK(read_view(d, ix, d.messages[20]).at == 500);  // message 21: read at 500, before the later mark
    CHECK(read_view(d, ix, d.messages[32]).at == 1000); // message 33: the request-wide mark
    CHECK(read_view(d, ix, d.messages[38]).at == 9999); // message 39 (conversation 11): the conversation's mark
}
