// The history of a long thread in real ImGui frames: only the entries in view are drawn
// (and so listed by the widget registry and the screen-reader mirror), the scrollbar
// still spans the whole thread, the reader's place holds when messages arrive on top or
// an older page arrives at the bottom or the column changes width, a jump brings any
// message into view (and washes it for a moment), and read marks still come from what
// is on screen.
#include <catch2/catch.hpp>
#include <cstring>
#include <nlohmann/json.hpp>
#include "app/registry.h"
#include "app/state.h"
#include "app/ui.h"
#include "app/ui_thread.h"
#include "imgui_frames.h"
#include "imgui_internal.h"

using namespace parley;

namespace {
const char* kWords[] = {"pump", "valve", "pressure", "flow", "delivery", "price", "stock", "seal", "flange", "lead"};

// "#<id> pump valve …": a few words to a few lines, so that heights differ.
std::string body(int64_t id) {
    std::string b = "#" + std::to_string(id);
    for (int64_t i = 0; i < (id * 7) % 60; i++) b += std::string(" ") + kWords[(id + i) % 10];
    return b;
}

Message message(int64_t id) {
    Message m;
    m.id = id;
    m.request_id = 5;
    m.conversation_id = 10;
    const bool mine = id % 2 == 0;  // even: Marta's, odd: the buyer's
    m.author_id = mine ? 1 : 2;
    m.author_name = mine ? "Marta Iglesias" : "Luc Martin";
    m.author_role = mine ? "manufacturer" : "buyer";
    m.body = body(id);
    m.created = 1000000 + id * 1000;
    return m;
}

// Request 5: messages newest first, ids newest … oldest.
RequestDetail thread(int64_t newest, int64_t oldest) {
    RequestDetail d;
    d.id = 5;
    d.buyer = {2, "Luc Martin", "Acier SA", "FR", "fr", "buyer"};
    d.product = "Bomba GP-40";
    d.message = "Need 40 pumps.";
    d.country = "FR";
    d.my_conversation = 10;
    Conversation c;
    c.id = 10;
    c.seller = {1, "Marta Iglesias", "Hidráulica Iberia", "ES", "es", "manufacturer"};
    d.conversations = {c};
    for (int64_t id = newest; id >= oldest; id--) d.messages.push_back(message(id));
    d.can.reply = true;
    return d;
}

AppState open_as_marta(const RequestDetail& d) {
    AppState s;
    s.inbox_loaded = true;
    s.inbox.me = {1, "Marta Iglesias", "Hidráulica Iberia", "ES", "es", "manufacturer"};
    s.route = {Screen::Request, 5};
    s.thread = d;
    return s;
}

ImGuiWindow* thread_window() {
    for (ImGuiWindow* w : GImGui->Windows)
        if (std::strstr(w->Name, "/thread_")) return w;
    return nullptr;
}

// Message text widgets drawn this frame (on screen or in the margin), by id.
std::vector<std::pair<int64_t, reg::Widget>> messages(bool visible_only) {
    std::vector<std::pair<int64_t, reg::Widget>> out;
    for (const reg::Widget& w : visible_only ? reg::widgets() : reg::all_widgets())
        if (w.kind == "message" && w.label.rfind('#', 0) == 0) out.emplace_back(std::stoll(w.label.substr(1)), w);
    return out;
}

// The first message whose text is fully on screen (below the top bar).
std::pair<int64_t, reg::Widget> first_on_screen() {
    for (auto& [id, w] : messages(true))
        if (w.y >= 60) return {id, w};
    return {0, {}};
}

// The first message whose whole bubble is on screen (its author line 12 px under the
// bubble's top, the view's top at 56): the entry the history keeps in place.
std::pair<int64_t, reg::Widget> first_bubble_on_screen() {
    float author_y = -1;
    for (const reg::Widget& w : reg::all_widgets()) {
        if (w.kind == "heading" && w.label.find(" · ") != std::string::npos) author_y = w.visible ? w.y : -1;
        if (w.kind == "message" && w.visible && w.label.rfind('#', 0) == 0 && author_y - 12 >= 55.5f)
            return {std::stoll(w.label.substr(1)), w};
    }
    return {0, {}};
}

const reg::Widget* widget_of(int64_t id) {
    static reg::Widget found;
    for (auto& [i, w] : messages(true))
        if (i == id) return &(found = w);
    return nullptr;
}

struct Page {
    ImGuiFrames f;
    AppState s;
    Effects fx;
    float w, h;
    Page(const RequestDetail& d, float width, float height) : f(ImVec2(width, height)), s(open_as_marta(d)), w(width), h(height) {
        frames(3);
    }
    // Draws until the history has settled (a corrected frame is followed by another).
    void frames(int n = 1) {
        for (int i = 0; i < n || (i < n + 6 && ui_frame_unsettled()); i++)
            f.frame([&] { draw_app(s, fx, w, h, 0); });
    }
    void scroll_to(float y) {
        ImGui::SetScrollY(thread_window(), y);
        frames(2);
    }
};
}  // namespace

TEST_CASE("history: a long thread draws only what is in view, the scrollbar spans all of it", "[history][registry]") {
    Page p(thread(2000, 1), 1280, 800);
    ImGuiWindow* tw = thread_window();
    REQUIRE(tw);
    bool heading = false;
    for (const reg::Widget& w : reg::all_widgets()) heading |= w.kind == "heading" && w.label == "History  ·  2,000 messages";  // counts grouped per language
    CHECK(heading);
    auto drawn = messages(false);
    CHECK(drawn.size() >= 1);
    CHECK(drawn.size() <= 12);
    CHECK(drawn.front().first == 2000);  // newest first
    CHECK(tw->ContentSize.y > 2000 * 60);  // the whole thread's height, mostly estimated

    // The middle: the messages there are drawn, and only they.
    p.scroll_to(tw->ScrollMax.y / 2);
    drawn = messages(false);
    REQUIRE(drawn.size() >= 2);
    CHECK(drawn.size() <= 30);
    CHECK(drawn.front().first < 1400);
    CHECK(drawn.front().first > 600);
    for (size_t i = 1; i < drawn.size(); i++) CHECK(drawn[i].first == drawn[i - 1].first - 1);  // no gaps, no overlaps
    const auto vis = messages(true);
    REQUIRE(vis.size() >= 2);
    for (size_t i = 1; i < vis.size(); i++) CHECK(vis[i].second.y > vis[i - 1].second.y + vis[i - 1].second.h);
    // The screen-reader mirror lists what is drawn, not the 2000.
    CHECK(reg::mirror_json().find("#" + std::to_string(vis.front().first)) != std::string::npos);
    CHECK(reg::mirror_json().find("#2000 ") == std::string::npos);

    // The end: the oldest message is reached.
    p.scroll_to(tw->ScrollMax.y + 10000);
    p.frames(2);
    p.scroll_to(tw->ScrollMax.y);
    CHECK(widget_of(1));
}

TEST_CASE("history: new messages on top keep the reader's place; so does an older page at the bottom",
          "[history][registry]") {
    Page p(thread(3000, 1001), 1280, 800);
    ImGuiWindow* tw = thread_window();
    REQUIRE(tw);
    p.scroll_to(tw->ScrollMax.y / 3);
    p.frames(2);
    const auto [id, before] = first_on_screen();
    REQUIRE(id > 0);
    const float scroll = tw->Scroll.y;

    // Three messages arrive on top (a live reload: a new RequestDetail).
    RequestDetail d = *p.s.thread;
    for (int64_t n = 3001; n <= 3003; n++) d.messages.insert(d.messages.begin(), message(n));
    p.s.thread = d;
    p.frames(2);
    const reg::Widget* after = widget_of(id);
    REQUIRE(after);
    CHECK(after->y == Approx(before.y).margin(0.5));  // nothing moved under the reader's eyes
    CHECK(tw->Scroll.y > scroll + 3 * 60);            // the scroll took the new entries' height

    // An older page at the bottom (ids 1000 … 1): nothing above it moves, not even the scroll.
    const float scroll2 = tw->Scroll.y;
    const float total = tw->ContentSize.y;
    RequestDetail older = *p.s.thread;
    for (int64_t n = 1000; n >= 1; n--) older.messages.push_back(message(n));
    p.s.thread = older;
    p.frames(2);
    CHECK(tw->Scroll.y == scroll2);
    const reg::Widget* still = widget_of(id);
    REQUIRE(still);
    CHECK(still->y == Approx(before.y).margin(0.5));
    CHECK(tw->ContentSize.y > total + 1000 * 60);

    // My own reply sent from the composer (the list's top in view): it shows on top.
    p.scroll_to(0);
    RequestDetail sent = *p.s.thread;
    sent.messages.insert(sent.messages.begin(), message(3004));
    p.s.thread = sent;
    p.frames(2);
    CHECK(tw->Scroll.y == 0);
    const auto top = messages(true);
    REQUIRE(!top.empty());
    CHECK(top.front().first == 3004);
}

TEST_CASE("history: a new column width keeps the reader's place", "[history][registry]") {
    Page p(thread(1500, 1), 1280, 800);
    ImGuiWindow* tw = thread_window();
    REQUIRE(tw);
    p.scroll_to(tw->ScrollMax.y / 2);
    const auto [id, before] = first_bubble_on_screen();
    REQUIRE(id > 0);
    p.w = 1000;  // the window narrows: every height is stale, re-measured as drawn
    ImGui::GetIO().DisplaySize = ImVec2(1000, 800);
    p.frames(3);
    const reg::Widget* after = widget_of(id);
    REQUIRE(after);
    CHECK(after->y == Approx(before.y).margin(1));
    CHECK(after->w < before.w);
}

TEST_CASE("history: a jump brings any message into view, near the top", "[history][registry]") {
    for (float width : {1280.f, 390.f}) {
        INFO(width);
        Page p(thread(2000, 1), width, 844);
        for (int64_t target : {1234, 17, 1999, 1}) {
            INFO(target);
            history_jump_to_message(target);
            p.frames(2);
            const reg::Widget* w = widget_of(target);
            REQUIRE(w);
            CHECK_FALSE(history_jump_pending());
            // The landing is washed for a moment (2.5 s), frames asked for while it fades.
            CHECK(history_flashing(0) == std::optional<HistoryKey>(HistoryKey{HistoryKind::Message, target}));
            CHECK(history_flashing(2400).has_value());
            CHECK_FALSE(history_flashing(2500).has_value());
            p.fx.redraw = false;
            p.frames(1);
            CHECK(p.fx.redraw);
            if (target != 1) {  // near the top (the oldest sits at the end: as high as the scroll goes)
                const float top = thread_window()->InnerRect.Min.y;
                CHECK(w->y > top + 12);   // the bubble's text under its header
                CHECK(w->y < top + 80);
            }
        }
        // A message not loaded yet: the jump waits for it.
        history_jump_to_message(99999);
        p.frames(2);
        CHECK(history_jump_pending() == std::optional<HistoryKey>(HistoryKey{HistoryKind::Message, 99999}));
        history_jump_cancel();
        CHECK_FALSE(history_jump_pending());
    }
}

TEST_CASE("history: the read mark is the newest message of the other side on screen, in a long thread",
          "[history][workflow]") {
    Page p(thread(2001, 1), 1280, 800);
    ImGuiWindow* tw = thread_window();
    REQUIRE(tw);
    int64_t newest_theirs = 0;  // on screen now, from the buyer (odd ids)
    for (auto& [id, w] : messages(true))
        if (id % 2) newest_theirs = std::max(newest_theirs, id);
    REQUIRE(newest_theirs > 0);
    const HttpCall* mark = nullptr;
    for (const HttpCall& c : p.fx.calls)
        if (c.kind == CallKind::MarkRead) mark = &c;
    REQUIRE(mark);
    CHECK(nlohmann::json::parse(mark->body)["message_id"] == newest_theirs);
}

TEST_CASE("history: a message of documents only offers no Copy and no empty text", "[history][registry]") {
    RequestDetail d = thread(3, 1);
    d.messages[0].body.clear();  // #3: a file, no words
    Attachment a;
    a.id = 7; a.conversation_id = 10; a.message_id = 3; a.name = "datasheet.pdf"; a.type = "application/pdf";
    a.size = 52000;
    d.messages[0].attachments = {a};
    Page p(d, 1280, 2400);  // all three in view
    int copies = 0, empty_texts = 0;
    for (const reg::Widget& w : reg::all_widgets()) {
        copies += w.label == "Copy message";
        empty_texts += w.kind == "message" && w.label.empty();
    }
    CHECK(copies == 2);  // #2 and #1, not the document-only #3
    CHECK(empty_texts == 0);
    bool file = false;
    for (const reg::Widget& w : reg::all_widgets()) file |= w.label.find("datasheet.pdf") != std::string::npos;
    CHECK(file);
}
