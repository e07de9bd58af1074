// The history of the request page: messages (bubbles) and events (compact lines) in
// one list, newest first. Own messages carry "✓ Sent" / "✓✓ Read <time>" and, when an
// e-mail about them failed, a red line with Retry. The newest
// message of each conversation that is actually on screen becomes the read mark.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <map>
#include "app/fonts.h"
#include "app/format.h"
#include "app/i18n.h"
#include "app/registry.h"
#include "app/state.h"
#include "app/thread_pages.h"
#include "app/ui_text_view.h"
#include "app/ui_thread.h"
#include "app/workflow_state.h"
#include "imgui_internal.h"

namespace parley {

using namespace theme;

// "Claire Martin · Distributor": the name in bold, the role quieter; one heading for
// screen readers and tests.
static void author_line(const Message& m, bool own) {
    const std::string role = role_name(m.author_role);
    const std::string label = m.author_name + " · " + role;
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::PushFont(fonts.bold);
    const ImVec2 name = ImGui::CalcTextSize(m.author_name.c_str());
    ImGui::GetWindowDrawList()->AddText(p, pal().text, m.author_name.c_str());
    ImGui::PopFont();
    ImGui::PushFont(fonts.small);
    const std::string rest = "  ·  " + role;
    const ImVec2 rs = ImGui::CalcTextSize(rest.c_str());
    ImGui::GetWindowDrawList()->AddText(ImVec2(p.x + name.x, p.y + (name.y - rs.y) / 2 + 1), own ? pal().accent : pal().muted,
                                        rest.c_str());
    ImGui::PopFont();
    ImGui::Dummy(ImVec2(name.x + rs.x, name.y));
    const ImVec2 q = ImGui::GetItemRectMax();
    reg::add_text("heading", label, p.x, p.y, q.x, q.y);
    if (ImGui::IsItemVisible()) glyphs::note_drawn(label);
}

// Under my message: how its e-mails went. A permanent failure is a red line
// ("Not delivered to Ana: address rejected", kind "alert" so screen readers announce it)
// with a finger-sized Retry at its right; a temporary one is a muted "delayed" line.
static void delivery_lines(UiContext& ui, const Message& m, float x, float w) {
    constexpr float kTap = 36;
    for (const Delivery& dv : m.deliveries) {
        const std::string line = delivery_line(dv);
        if (line.empty()) continue;
        const float y = ImGui::GetCursorScreenPos().y + 4;
        ImGui::SetCursorScreenPos(ImVec2(x, y));
        if (dv.status != "failed_permanent") {
            ui_text_wrapped(line, w, fonts.small, pal().muted, "status");
            continue;
        }
        const bool busy = delivery_retrying(ui.state, dv.id);
        const std::string shown = busy ? i18n::tr("Retrying…") : i18n::tr("Retry");
        ImGui::PushFont(fonts.small);
        const float bw = std::max(72.f, ImGui::CalcTextSize(shown.c_str()).x + 28);
        const float lh = ImGui::GetTextLineHeight();
        ImGui::PopFont();
        // The text beside the button, centred on it while it fits one line.
        ImGui::SetCursorScreenPos(ImVec2(x, y + (kTap - lh) / 2));
        ui_text_wrapped(line, w - bw - 12, fonts.small, pal().danger, "alert");
        float bottom = std::max(ImGui::GetCursorScreenPos().y, y + kTap);
        auto err = ui.state.retry_errors.find(dv.id);
        ImGui::SetCursorScreenPos(ImVec2(x + w - bw, y));
        ImGui::PushFont(fonts.small);
        ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 1);
        ImGui::PushStyleVar(ImGuiStyleVar_FrameRounding, 6);
        ImGui::PushStyleColor(ImGuiCol_Button, pal().panel);
        ImGui::PushStyleColor(ImGuiCol_ButtonHovered, pal().danger_bg);
        ImGui::PushStyleColor(ImGuiCol_ButtonActive, pal().danger_bg);
        ImGui::PushStyleColor(ImGuiCol_Border, pal().danger);
        ImGui::PushStyleColor(ImGuiCol_Text, pal().danger);
        ImGui::BeginDisabled(busy);
        reg::next_kind("button");
        reg::next_label(i18n::trf("Retry delivery to {0}", {dv.recipient_name}));
        const std::string id = shown + "###retry" + std::to_string(dv.id);
        if (ImGui::Button(id.c_str(), ImVec2(bw, kTap))) action_retry_delivery(ui.state, dv.id, ui.fx);
        ui_hand_cursor_if_hovered();
        ImGui::EndDisabled();
        if (ImGui::IsItemVisible()) glyphs::note_drawn(shown);
        ImGui::PopStyleColor(5);
        ImGui::PopStyleVar(2);
        ImGui::PopFont();
        ImGui::SetCursorScreenPos(ImVec2(x, bottom));
        if (err != ui.state.retry_errors.end()) ui_text_wrapped(err->second, w, fonts.small, pal().danger, "alert");
        ImGui::Dummy(ImVec2(w, 0));
    }
}

// Draws one bubble; returns its rect (screen) for the read-mark check.
static ImRect message_bubble(UiContext& ui, const RequestDetail& d, const ReadIndex& reads, const Message& m,
                             float w) {
    const bool own = m.author_id == ui.state.inbox.me.id;
    const float pad = 14;
    Card card(w, own ? pal().own_bubble : pal().panel, own ? pal().own_border : pal().border);
    const ImVec2 o = card.start;
    ImGui::SetCursorScreenPos(ImVec2(o.x + pad, o.y + pad - 2));
    author_line(m, own);
    // Right side of the header: date, then "Copy" (the whole message; none for a message
    // of documents only).
    const bool has_text = !m.body.empty();
    const std::string when = format_datetime(m.created);
    ImGui::PushFont(fonts.small);
    const float ww = ImGui::CalcTextSize(when.c_str()).x;
    const float cw = has_text ? ImGui::CalcTextSize(i18n::tr("Copy")).x + 12 : 0.f;
    ImGui::PopFont();
    ImGui::SameLine();
    const float head_y = ImGui::GetCursorScreenPos().y;
    const float right = o.x + w - pad;
    const float name_end = ImGui::GetCursorScreenPos().x;
    const bool fits = name_end + ww + cw + 12 < right;
    if (!fits) {  // narrow phone: the date goes under the name
        ImGui::NewLine();
        ImGui::SetCursorScreenPos(ImVec2(o.x + pad, ImGui::GetCursorScreenPos().y));
        ui_text(when, fonts.small, pal().muted);
    } else {
        ImGui::SetCursorScreenPos(ImVec2(right - cw - 6 - ww, head_y + 2));
        ui_text(when, fonts.small, pal().muted);
    }
    const float after_header = ImGui::GetCursorScreenPos().y;
    ImGui::SetCursorScreenPos(ImVec2(right - cw, head_y));
    std::string copy_label = std::string(i18n::tr("Copy")) + "###copy" + std::to_string(m.id);
    if (has_text && quiet_button(copy_label.c_str(), i18n::tr("Copy message"))) ImGui::SetClipboardText(m.body.c_str());
    // "Translate" left of the date when the header has room; else under the text.
    const std::string item = message_item(m.id);
    ImGui::PushFont(fonts.small);
    const float tlw = ImGui::CalcTextSize(translate_button_label(ui.state, item).c_str()).x + 12;
    ImGui::PopFont();
    const bool tl_in_header = fits && !m.body.empty() && name_end + 12 < right - cw - 6 - ww - 10 - tlw;
    if (tl_in_header) {
        ImGui::SetCursorScreenPos(ImVec2(right - cw - 6 - ww - 10 - tlw, head_y));
        draw_translate_button(ui, item);
    }
    ImGui::SetCursorScreenPos(ImVec2(o.x + pad, std::max(after_header, ImGui::GetCursorScreenPos().y) + 4));
    std::string id = "##msg" + std::to_string(m.id);
    if (has_text) draw_translatable(ui, item, m.body, id.c_str(), o.x + pad, w - 2 * pad, "message", tl_in_header);
    draw_sent_translation(ui, m, o.x + pad, w - 2 * pad);
    if (m.via_email) {  // posted from a reply e-mail; the original mail opens as text
        ImGui::SetCursorScreenPos(ImVec2(o.x + pad, ImGui::GetCursorScreenPos().y + 2));
        const float y = ImGui::GetCursorScreenPos().y;
        ui_text(std::string(i18n::tr("Sent by e-mail")) + "  ·", fonts.small, pal().muted, "status");
        ImGui::SetCursorScreenPos(ImVec2(ImGui::GetItemRectMax().x + 4, y - 2));
        const std::string l = std::string(i18n::tr("View original")) + "###orig_mail" + std::to_string(m.id);
        if (quiet_button(l.c_str(), i18n::tr("View the original e-mail")))
            ui.fx.open_url = "/api/v1/messages/" + std::to_string(m.id) + "/original";
    }
    draw_message_attachments(ui, m, o.x + pad, w - 2 * pad);
    if (own) {
        // ✓ sent / ✓✓ read by the other side, right-aligned under the text.
        const ReadView rv = read_view(d, reads, m);
        const std::string mark = rv.read ? (rv.at ? i18n::trf("✓✓ Read {0}", {format_datetime(rv.at)})
                                                  : std::string(i18n::tr("✓✓ Read")))
                                         : std::string(i18n::tr("✓ Sent"));
        ImGui::PushFont(fonts.small);
        const float mw = ImGui::CalcTextSize(mark.c_str()).x;
        ImGui::PopFont();
        ImGui::SetCursorScreenPos(ImVec2(right - mw, ImGui::GetCursorScreenPos().y - 6));  // close under the text
        ui_text(mark, fonts.small, rv.read ? pal().accent : pal().muted, "status");
        delivery_lines(ui, m, o.x + pad, w - 2 * pad);
    }
    const float bottom = card.end(pad - 2);
    return ImRect(o, ImVec2(o.x + w, bottom));
}

// One compact line: a symbol in a small circle, the text, the time.
static void event_line(const RequestDetail& d, const Event& e, bool buyer, float w) {
    const float icon = 24;
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const bool failed = e.kind == "delivery_failed";  // e-mail: text = the failure kind, target = the recipient
    const bool bad = e.kind == "declined" || e.kind == "sale_lost" || failed;
    const bool good = e.kind == "sale_closed" || e.kind == "rated" || e.kind == "answered" ||
                      e.kind == "quote_accepted" || e.kind == "quote_paid";
    const ImU32 bg = bad ? pal().danger_bg : good ? pal().good_bg : pal().accent_bg;
    const ImU32 fg = bad ? pal().danger : good ? pal().good : pal().accent;
    const ImVec2 c(p.x + icon / 2, p.y + icon / 2);
    dl->AddCircleFilled(c, icon / 2, bg, 20);
    draw_symbol(failed ? "✕" : event_icon(e.kind), c, 11, fg);

    const std::string text = failed ? i18n::trf("Not delivered to {0}: {1}", {e.target_name, delivery_kind_words(e.text)})
                                    : event_text(e, d, buyer);
    const std::string when = format_datetime(e.created);
    ImGui::PushFont(fonts.small);
    const float tw = ImGui::CalcTextSize(text.c_str()).x, ww = ImGui::CalcTextSize(when.c_str()).x;
    ImGui::PopFont();
    const float tx = p.x + icon + 10, avail = w - icon - 10;
    ImGui::SetCursorScreenPos(ImVec2(tx, p.y + 4));
    if (tw + ww + 16 <= avail) {  // one line: text, then the time at the right edge
        ui_text(text, fonts.small, pal().text);
        ImGui::SetCursorScreenPos(ImVec2(p.x + w - ww, p.y + 4));
        ui_text(when, fonts.small, pal().muted);
    } else {  // narrow: the time under the text
        ui_text_wrapped(text, avail, fonts.small, pal().text);
        ImGui::SetCursorScreenPos(ImVec2(tx, ImGui::GetCursorScreenPos().y));
        ui_text(when, fonts.small, pal().muted);
    }
    ImGui::SetCursorScreenPos(ImVec2(p.x, std::max(ImGui::GetCursorScreenPos().y, p.y + icon)));
    ImGui::Dummy(ImVec2(w, 0));
}

// ---------------------------------------------------------------- the list in view

namespace {

// Where an entry's data sits in the thread: indices (checked against the key when drawn),
// never pointers, so a thread replaced under the cache cannot be read through stale ones.
struct Row {
    int32_t at = -1;     // index in d.messages (Message) or d.events (Event, QuoteCard)
    int32_t quote = -1;  // QuoteCard: index in d.quotes
};

// What the entry list is made of, compared every frame in O(1): a reload moves the
// vectors (both buffers live while the new one is parsed, so the address changes), a
// message sent or an older page changes sizes and first/last ids.
struct ThreadShape {
    int64_t request = 0, only = 0;
    const void* messages = nullptr;
    size_t n_messages = 0;
    int64_t first_message = 0, last_message = 0;
    const void* events = nullptr;
    size_t n_events = 0;
    int64_t first_event = 0, last_event = 0;
    const void* quotes = nullptr;
    size_t n_quotes = 0;
    int64_t gap = 0;  // a jump's gap lies below this message
    bool operator==(const ThreadShape&) const = default;
};

ThreadShape shape_of(const RequestDetail& d, int64_t only, int64_t gap) {
    ThreadShape t;
    t.gap = gap;
    t.request = d.id;
    t.only = only;
    t.messages = d.messages.data();
    t.n_messages = d.messages.size();
    if (!d.messages.empty()) t.first_message = d.messages.front().id, t.last_message = d.messages.back().id;
    t.events = d.events.data();
    t.n_events = d.events.size();
    if (!d.events.empty()) t.first_event = d.events.front().id, t.last_event = d.events.back().id;
    t.quotes = d.quotes.data();
    t.n_quotes = d.quotes.size();
    return t;
}

struct HistoryCache {
    ThreadShape shape;
    bool built = false, stale = false;  // stale: an entry did not match its key, rebuild
    HistoryLayout layout;
    std::vector<Row> rows;               // parallel to layout.items
    ReadIndex reads;                     // ✓✓ under my messages
    size_t message_count = 0;            // "History · N messages"
    float list_top = 0;                  // the list's top in the thread window (last frame)
    // The reader's place kept by last frame's scroll correction: held on to until the
    // view settles (a new pick there could be an entry the reader never saw).
    std::optional<HistoryKey> correcting;
};
HistoryCache g_cache;

struct PendingJump {
    std::optional<HistoryKey> key;
    int frames = 0;  // frames since it was first scrolled to
} g_jump;

constexpr float kOverdraw = 250;  // px drawn above and below the view: keyboard focus and touch scrolling find neighbours
constexpr float kJumpMargin = 12;  // a jumped-to entry sits this far under the view's top
constexpr Millis kFlashHold = 1000, kFlashFade = 1500;  // the landing's wash: held, then fading

struct Flash {
    std::optional<HistoryKey> key;
    Millis since = 0;
} g_flash;
constexpr float kOlderAhead = 1500;  // px: the next older page is asked for when the view comes this close to the end

int code_points(const std::string& t) {
    int n = 0;
    for (unsigned char ch : t) n += (ch & 0xC0) != 0x80;
    return n;
}

void rebuild(HistoryCache& c, const RequestDetail& d, int64_t only, int64_t gap, int64_t me) {
    const std::vector<HistoryEntry> entries = merged_history(d, only);
    std::vector<HistoryItem> items;
    items.reserve(entries.size());
    c.rows.clear();
    c.rows.reserve(entries.size());
    c.message_count = 0;
    bool prev_event = false;
    bool gap_placed = gap == 0;
    for (const HistoryEntry& e : entries) {
        // The gap: under the oldest message above it (newest first, the events of that
        // part sit above that message), or before the first older one when it is hidden.
        if (!gap_placed && e.message && e.message->id < gap) {
            HistoryItem g;
            g.key = {HistoryKind::Gap, 0};
            items.push_back(g);
            c.rows.push_back(Row{});
            gap_placed = true;
            prev_event = false;
        }
        HistoryItem it;
        Row r;
        // Events sit close together; bubbles (and quote cards) get more air.
        it.gap = e.event && prev_event ? 6 : 10;
        if (e.message) {
            const Message& m = *e.message;
            r.at = (int32_t)(e.message - d.messages.data());
            it.key = {HistoryKind::Message, m.id};
            it.hint.text_chars = code_points(m.body);
            it.hint.text_breaks = (int)std::count(m.body.begin(), m.body.end(), '\n');
            it.hint.attachments = (int)m.attachments.size();
            it.hint.own = m.author_id == me;
            it.hint.header_chars = code_points(m.author_name) + code_points(role_name(m.author_role)) + 3;
            c.message_count++;
            prev_event = false;
        } else {
            const Event& ev = *e.event;
            r.at = (int32_t)(e.event - d.events.data());
            it.key = {HistoryKind::Event, ev.id};
            it.hint.text_chars = 24 + code_points(ev.actor_name) + code_points(ev.target_name) + code_points(ev.text);
            prev_event = true;
            if (ev.kind == "quote_sent") {
                for (size_t q = 0; q < d.quotes.size(); q++)
                    if (d.quotes[q].number == ev.text && d.quotes[q].version == ev.value) {
                        r.quote = (int32_t)q;
                        break;
                    }
                if (r.quote >= 0) {
                    it.key.kind = HistoryKind::QuoteCard;
                    prev_event = false;
                }
            }
        }
        items.push_back(it);
        c.rows.push_back(r);
    }
    history_set_items(c.layout, std::move(items));
    c.reads = build_read_index(d);
    c.shape = shape_of(d, only, gap);
    c.built = true;
    c.stale = false;
}

// Draws entry i at the cursor; false when the thread no longer matches the cache.
bool draw_entry(UiContext& ui, const RequestDetail& d, const HistoryCache& c, size_t i, bool buyer, float w,
                std::map<int64_t, int64_t>& newest_seen) {
    const HistoryKey& key = c.layout.items[i].key;
    const Row& r = c.rows[i];
    if (key.kind == HistoryKind::Gap) {
        // The messages between a jump's window and the newest part: asked for as the
        // reader comes near (ui_history_draw); a failure says why, with a button.
        AppState& s = ui.state;
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 8);
        const float x = ImGui::GetCursorPosX();
        if (!s.pages.gap_error.empty()) {
            ui_text_wrapped(i18n::trf("Messages did not load: {0}", {s.pages.gap_error}), w, fonts.small, pal().danger, "alert");
            ImGui::SetCursorPosX(x);
            if (ui_button(i18n::tr("Load messages"), ButtonKind::Secondary)) action_thread_fill_gap(s, false, ui.fx);
        } else {
            const ImVec2 p = ImGui::GetCursorScreenPos();
            ImGui::GetWindowDrawList()->AddLine(ImVec2(p.x, p.y + 1), ImVec2(p.x + w, p.y + 1), pal().border);
            ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 10);
            ImGui::SetCursorPosX(x);
            ui_text(i18n::tr("Loading messages…"), fonts.small, pal().muted, "status");
        }
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 8);
        return true;
    }
    if (key.kind == HistoryKind::Message) {
        if (r.at < 0 || (size_t)r.at >= d.messages.size() || d.messages[r.at].id != key.id) return false;
        const Message& m = d.messages[r.at];
        const ImRect rect = message_bubble(ui, d, c.reads, m, w);
        // Displayed = some of it inside the thread's visible area (a modal on top still shows it).
        if (m.author_id != ui.state.inbox.me.id && ImGui::IsRectVisible(rect.Min, rect.Max)) {
            int64_t& best = newest_seen[m.conversation_id];
            best = std::max(best, m.id);
        }
        return true;
    }
    if (r.at < 0 || (size_t)r.at >= d.events.size() || d.events[r.at].id != key.id) return false;
    const Event& e = d.events[r.at];
    if (key.kind == HistoryKind::QuoteCard && r.quote >= 0 && (size_t)r.quote < d.quotes.size()) {
        const Quote& q = d.quotes[r.quote];
        if (q.number == e.text && q.version == e.value) {
            draw_quote_card(ui, q, w);
            return true;
        }
    }
    event_line(d, e, buyer, w);
    return key.kind == HistoryKind::Event;  // a card whose quote went: rebuild
}

}  // namespace

void history_jump_to(const HistoryKey& key) { g_jump = {key, 0}; }
void history_jump_cancel() { g_jump = {}; }
std::optional<HistoryKey> history_flashing(Millis now) {
    if (!g_flash.key || now - g_flash.since >= kFlashHold + kFlashFade) return std::nullopt;
    return g_flash.key;
}
void history_jump_to_message(int64_t message_id) { history_jump_to({HistoryKind::Message, message_id}); }
std::optional<HistoryKey> history_jump_pending() {
    if (!g_jump.key || g_jump.frames > 0) return std::nullopt;
    if (g_cache.built && history_find(g_cache.layout, *g_jump.key)) return std::nullopt;
    return g_jump.key;
}

void draw_history(UiContext& ui, const RequestDetail& d, float x0, float w) {
    AppState& s = ui.state;
    HistoryCache& c = g_cache;
    const bool buyer = is_buyer(s);
    const int64_t only = shown_conversation(s);
    const float scroll = ImGui::GetScrollY(), view_h = ImGui::GetWindowHeight();
    // A jump asked for by an action (a search result, a link, window.parley.jumpToMessage):
    // scrolled to once drawn; one the server did not return is given up.
    if (s.pages.jump_to) {
        history_jump_to_message(s.pages.jump_to);
        s.pages.jump_to = 0;
    }
    if (g_jump.key && g_jump.key->kind == HistoryKind::Message && g_jump.key->id == s.pages.missing) g_jump = {};

    // The reader's place in last frame's layout, before anything changes it.
    const bool same_thread = c.built && c.shape.request == d.id && c.shape.only == only;
    const float old_list_top = c.list_top;
    const double old_top = scroll - old_list_top;
    HistoryAnchor anchor;
    if (same_thread && c.correcting) anchor = history_anchor_of(c.layout, *c.correcting);
    if (same_thread && !anchor.valid) anchor = history_anchor(c.layout, old_top, old_top + view_h);
    c.correcting.reset();
    if (!same_thread) c = HistoryCache{};
    const int64_t gap = s.pages.gap_above;
    if (!c.built || c.stale || !(c.shape == shape_of(d, only, gap))) rebuild(c, d, only, gap, s.inbox.me.id);
    ImGui::PushFont(fonts.body);
    history_set_metrics(c.layout, {w, ImGui::GetTextLineHeight()});
    ImGui::PopFont();

    ImGui::SetCursorPos(ImVec2(x0, ImGui::GetCursorPosY() + 22));
    // All of the thread's messages, not only the pages loaded (a buyer's one conversation:
    // those loaded, the server counts the whole request).
    const size_t n = only ? c.message_count : std::max<size_t>(c.message_count, (size_t)std::max(0, d.message_total));
    std::string hist = std::string(i18n::tr("History")) + "  ·  " + i18n::trn("{0} message", "{0} messages", (long long)n);
    ui_text(hist, fonts.bold, pal().muted, "heading");
    // Translation: "Always translate…" at the heading's right when it fits, else under it.
    const ImRect head(ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
    draw_auto_translate_switch(ui, head, head.Min.x + w);

    // Only the entries in view (plus a margin) are drawn, each measured as it is;
    // the others are skipped at their cached heights.
    const float list_top = ImGui::GetCursorPosY();
    c.list_top = list_top;
    const double view_top = scroll - list_top;
    const auto [first, last] = history_range(c.layout, view_top - kOverdraw, view_top + view_h + kOverdraw);
    std::map<int64_t, int64_t> newest_seen;  // conversation → newest message of others on screen
    float y = list_top + (float)history_offset(c.layout, first);
    std::optional<float> jump_drawn_at;  // where the entry jumped to was drawn (list offset)
    const std::optional<HistoryKey> flash = history_flashing(ui.now);
    for (size_t i = first; i < last; i++) {
        const HistoryItem& it = c.layout.items[i];
        ImGui::SetCursorPos(ImVec2(x0, y + it.gap));
        const float top = ImGui::GetCursorScreenPos().y;
        if (flash && it.key == *flash) {
            // Behind the entry, at its cached height; fades out, a frame asked for each step.
            const Millis age = ui.now - g_flash.since;
            const float a = age < kFlashHold ? 1.f : 1.f - (float)(age - kFlashHold) / (float)kFlashFade;
            const float h = (float)(history_offset(c.layout, i + 1) - history_offset(c.layout, i)) - it.gap;
            const ImVec2 p = ImGui::GetCursorScreenPos();
            const ImU32 col = (pal().flash & ~IM_COL32_A_MASK) | ((ImU32)(std::clamp(a, 0.f, 1.f) * 255) << IM_COL32_A_SHIFT);
            ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x - 6, p.y - 4), ImVec2(p.x + w + 6, p.y + h + 4), col, 10);
            ui.fx.redraw = true;
        }
        if (draw_entry(ui, d, c, i, buyer, w, newest_seen)) history_measured(c.layout, i, ImGui::GetCursorScreenPos().y - top);
        else c.stale = true;  // the thread changed under the cache: rebuilt next frame
        if (g_jump.key && it.key == *g_jump.key) jump_drawn_at = y + it.gap - list_top;
        y = ImGui::GetCursorPosY();
    }
    // A jump's gap: filled as the view comes near it, from the side the reader comes
    // from (its top in the view's upper half: they scroll up from the window).
    // Not while a jump is still scrolling to its entry (the view is not the reader's yet).
    if (s.pages.gap_above && s.pages.gap_error.empty() && !g_jump.key) {
        if (auto g = history_find(c.layout, {HistoryKind::Gap, 0})) {
            const double at = history_offset(c.layout, *g);
            if (at + kOlderAhead >= view_top && at <= view_top + view_h + kOlderAhead)
                action_thread_fill_gap(s, at > view_top + view_h / 2, ui.fx);
        }
    }
    // The rest of the list's height, so that the scrollbar and what follows stay right.
    ImGui::SetCursorPos(ImVec2(x0, list_top + (float)history_total(c.layout)));
    ImGui::Dummy(ImVec2(w, 0));
    // Thread pages: near the oldest entry loaded, the next older page (one at a time).
    if (d.older != 0) {
        const double end = history_total(c.layout);
        if (view_top + view_h + kOlderAhead >= end && s.pages.error.empty()) action_thread_older(s, ui.fx);
        ImGui::SetCursorPos(ImVec2(x0, ImGui::GetCursorPosY() + 10));
        if (!s.pages.error.empty()) {
            ui_text_wrapped(i18n::trf("Older messages did not load: {0}", {s.pages.error}), w, fonts.small, pal().danger, "alert");
            ImGui::SetCursorPosX(x0);
            if (ui_button(i18n::tr("Load older messages"), ButtonKind::Secondary)) action_thread_older(s, ui.fx);
        } else {
            ui_text(i18n::tr("Loading older messages…"), fonts.small, pal().muted, "status");
        }
    }
    if (c.layout.items.empty() && d.older == 0) {
        ImGui::SetCursorPos(ImVec2(x0, ImGui::GetCursorPosY() + 6));
        ui_text(buyer ? i18n::tr("No replies yet.") : i18n::tr("No replies yet. Be the first to answer this buyer."),
                fonts.body, pal().muted);
    }
    for (const auto& [conversation, message] : newest_seen) action_displayed(s, conversation, message, ui.fx);

    // Keep the reader's place: what was inserted or re-measured above the anchor, and
    // what above the list changed height (the request card at a new width), move the
    // scroll by as much. Applied to the scroll itself (not a target a wheel event of the
    // next frame would replace); this frame is not shown, the next one is right.
    // Not while the scrollbar is dragged: its thumb follows the pointer, not the content.
    ImGuiWindow* win = ImGui::GetCurrentWindow();
    const bool dragging = ImGui::GetActiveID() == ImGui::GetWindowScrollbarID(win, ImGuiAxis_Y);
    const double delta =
        anchor.valid && !dragging ? history_anchor_delta(c.layout, anchor) + (list_top - old_list_top) : 0.0;
    if (std::fabs(delta) >= 0.5) {
        win->Scroll.y = std::max(0.f, win->Scroll.y + (float)delta);
        if (win->ScrollTarget.y != FLT_MAX) win->ScrollTarget.y += (float)delta;
        c.correcting = anchor.key;
        ui_mark_unsettled();
    }
    // A jump: scroll to the entry's offset, then once more if it was not drawn where
    // asked (its neighbours measured meanwhile); done when it shows in place.
    if (g_jump.key) {
        if (auto i = history_find(c.layout, *g_jump.key)) {
            const double want = history_offset(c.layout, *i) + c.layout.items[*i].gap - kJumpMargin;
            // Drawn where asked, nothing above it moved; or, near the end, as high as the
            // scroll goes with all of it in view.
            const bool at_end = scroll >= ImGui::GetScrollMaxY() - 1;
            const double bottom = history_offset(c.layout, *i + 1);
            const bool in_place = jump_drawn_at && std::fabs(delta) < 0.5 &&
                                  (std::fabs(*jump_drawn_at - kJumpMargin - view_top) < 1.0 ||
                                   (at_end && *jump_drawn_at >= view_top && bottom <= view_top + view_h));
            if (in_place || g_jump.frames >= 4) {
                g_flash = {g_jump.key, ui.now};
                g_jump = {};
            } else {
                ImGui::SetScrollY(list_top + (float)want);
                c.correcting.reset();  // the view moves away: pick a new place there
                g_jump.frames++;
                ui_mark_unsettled();
            }
        }
    }
}

}  // namespace parley
