// The inbox: one page of requests at a time, newest activity first, fetched as the
// reader scrolls (app/inbox_state.h); only the rows in view are drawn and registered.
// A search box over it (results best match first, the match highlighted) and filter chips.
#include <algorithm>
#include <cfloat>
#include "app/fonts.h"
#include "app/format.h"
#include "app/i18n.h"
#include "net/locale.h"
#include "app/registry.h"
#include "app/theme.h"
#include "app/ui_composer.h"
#include "app/workflow_state.h"
#include "app/ui.h"
#include "imgui_internal.h"

namespace parley {

using namespace theme;

struct StatusLook {
    const char* text;
    ImU32 fg, bg;
};

// The row's badge. Sellers see where the request stands; buyers whether it was answered.
static StatusLook status_look(const std::string& status) {
    const Palette& p = pal();
    if (status == "to_answer") return {i18n::tr("To answer"), p.warn, p.warn_bg};
    if (status == "answered") return {i18n::tr("Answered"), p.good, p.good_bg};
    if (status == "declined") return {i18n::tr("Declined"), p.muted, p.neutral_bg};
    if (status == "won") return {i18n::tr("Won"), p.on_good, p.good_fill};
    if (status == "lost") return {i18n::tr("Lost"), p.danger, p.danger_bg};
    if (status == "open") return {i18n::tr("Open"), pal().accent, pal().accent_bg};
    return {nullptr, 0, 0};
}

static float badge_width(const char* text) {
    ImGui::PushFont(fonts.small);
    float w = ImGui::CalcTextSize(text).x + 12;
    ImGui::PopFont();
    return w;
}

constexpr float kRowHeight = 92;
constexpr float kResultHeight = 116;  // a search result: one more line, the match

// The match of a search result on one line: the text with the matched bytes in bold
// accent on a pale band, cut at `w`.
static void draw_match(const RequestSummary& r, float x, float y, float w) {
    std::string t = r.match_text;
    for (char& ch : t)
        if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';  // one line; byte offsets unchanged
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->PushClipRect(ImVec2(x, y - 2), ImVec2(x + w, y + 24), true);
    std::vector<std::pair<int, int>> ranges = r.match_ranges;
    std::sort(ranges.begin(), ranges.end());
    const int n = (int)t.size();
    // A match beyond a narrow column's edge: start later (at a word), after "…", so that
    // the first match shows.
    if (!ranges.empty()) {
        ImGui::PushFont(fonts.body);
        const int end = std::clamp(ranges[0].first + ranges[0].second, 0, n);
        int from = 0;
        float width = ImGui::CalcTextSize(t.data(), t.data() + end).x;
        while (from < ranges[0].first && width > w * 0.8f) {
            int next = from + 1;
            while (next < n && (t[next] & 0xC0) == 0x80) next++;  // a whole code point
            width -= ImGui::CalcTextSize(t.data() + from, t.data() + next).x;
            from = next;
        }
        if (from > 0) {
            const size_t space = t.rfind(' ', from);
            if (space != std::string::npos && (int)space + 1 < ranges[0].first && (int)space + 1 >= from - 12)
                from = (int)space + 1;
            if (from > ranges[0].first) from = ranges[0].first;
            t = "…" + t.substr(from);
            const int shift = 3 - from;  // "…" is 3 bytes
            for (auto& [off, len] : ranges) off += shift;
        }
        ImGui::PopFont();
    }
    const int count = (int)t.size();
    // The pieces (plain, matched, plain, …), measured first: a line wider than `w` ends in
    // "…" at a whole code point rather than being cut mid-letter by the clip.
    struct Piece {
        int from, to;
        bool hit;
    };
    std::vector<Piece> pieces;
    int at = 0;
    for (const auto& [off, len] : ranges) {
        const int a = std::clamp(off, at, count), b = std::clamp(off + len, a, count);
        if (a > at) pieces.push_back({at, a, false});
        if (b > a) pieces.push_back({a, b, true});
        at = b;
    }
    if (count > at) pieces.push_back({at, count, false});
    ImGui::PushFont(fonts.body);
    const float size = ImGui::GetFontSize();  // CSS px (the atlas is baked at the device's ratio)
    ImGui::PopFont();
    auto width_of = [&](bool hit, int from, int to) {
        return (hit ? fonts.bold : fonts.body)->CalcTextSizeA(size, FLT_MAX, 0, t.data() + from, t.data() + to).x;
    };
    float total = 0;
    for (const Piece& pc : pieces) total += width_of(pc.hit, pc.from, pc.to);
    const char* kEllipsis = "…";
    const float ell = fonts.body->CalcTextSizeA(size, FLT_MAX, 0, kEllipsis).x;
    const float limit = total > w ? x + w - ell : x + w;
    float cx = x;
    for (const Piece& pc : pieces) {
        if (cx >= limit) break;
        int to = pc.to;
        float pw = width_of(pc.hit, pc.from, to);
        while (to > pc.from && cx + pw > limit) {  // drop code points until it fits
            do to--; while (to > pc.from && (t[to] & 0xC0) == 0x80);
            pw = width_of(pc.hit, pc.from, to);
        }
        if (to == pc.from) break;
        ImFont* f = pc.hit ? fonts.bold : fonts.body;
        if (pc.hit) dl->AddRectFilled(ImVec2(cx - 1, y), ImVec2(cx + pw + 1, y + size + 3), pal().accent_bg, 3);
        dl->AddText(f, size, ImVec2(cx, y + 1), pc.hit ? pal().accent : pal().text, t.data() + pc.from, t.data() + to);
        cx += pw;
        if (to < pc.to) break;
    }
    if (total > w) {
        dl->AddText(fonts.body, size, ImVec2(cx, y + 1), pal().text, kEllipsis);
        cx += ell;
    }
    dl->PopClipRect();
    reg::add_text("text", t, x, y, std::min(cx, x + w), y + 20);
    glyphs::note_drawn(t);
}

static void draw_row(UiContext& ui, const RequestSummary& r, float width, bool selected, bool result) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float g = ui.layout.gutter;
    const float row_h = result ? kResultHeight : kRowHeight;
    ImVec2 p = ImGui::GetCursorScreenPos();

    // A seller's rows are headed with the buyer; a buyer's with the seller he wrote to
    // (his own name and country would say nothing).
    const bool buyer = is_buyer(ui.state);
    const std::string& who = !buyer ? r.buyer_name : !r.seller_company.empty() ? r.seller_company : r.seller_name;
    const std::string& who_more = buyer ? r.seller_name : r.buyer_company;
    // The whole row is one button; its label is what a screen reader would say.
    std::string label = who + ", " + who_more + " — " + r.product +
                        (r.unread ? std::string(" ") + i18n::tr("(unread)") : std::string()) + "###row" + std::to_string(r.id);  // ### : the id stays when the label changes
    reg::next_kind("listitem");
    reg::next_label(reg::strip_id(label.c_str()));  // kept even when scrolled out of view
    Route to{Screen::Request, r.id};
    if (result) to.message_id = r.match_message_id;
    reg::next_href(route_path(to));
    bool pressed = ImGui::InvisibleButton(label.c_str(), ImVec2(width, row_h));
    bool hovered = ImGui::IsItemHovered();
    ui_hand_cursor_if_hovered();

    ImU32 bg = selected ? pal().selected : hovered ? pal().hover : pal().panel;
    dl->AddRectFilled(p, ImVec2(p.x + width, p.y + row_h), bg);
    dl->AddLine(ImVec2(p.x + g, p.y + row_h - 1), ImVec2(p.x + width - g, p.y + row_h - 1), pal().border);
    if (selected) dl->AddRectFilled(p, ImVec2(p.x + 3, p.y + row_h), pal().accent);
    if (ImGui::IsItemFocused() && !ImGui::GetCurrentContext()->NavDisableHighlight)  // keyboard focus ring
        dl->AddRect(ImVec2(p.x + 2, p.y + 2), ImVec2(p.x + width - 2, p.y + row_h - 2), pal().accent, 6, 0, 2);

    const float avatar = 40;
    float x = p.x + g, y = p.y + 14;
    ImGui::SetCursorScreenPos(ImVec2(x, y));
    ui_avatar(who, avatar);
    if (r.unread) dl->AddCircleFilled(ImVec2(x + avatar - 4, y + 4), 6, pal().accent, 16),
                  dl->AddCircle(ImVec2(x + avatar - 4, y + 4), 6, pal().panel, 16, 2);

    float tx = x + avatar + 12;
    float right = p.x + width - g;
    // Line 1: who (bold if unread) … status badge, age.
    std::string age = format_age(ui.now, r.last_activity);
    ImGui::PushFont(fonts.small);
    float age_w = ImGui::CalcTextSize(age.c_str()).x;
    ImGui::PopFont();
    const StatusLook look = status_look(r.status);
    const float status_w = look.text ? badge_width(look.text) + 8 : 0;
    ImGui::SetCursorScreenPos(ImVec2(tx, y - 2));
    ui_text_fit(who, right - age_w - 8 - status_w - tx, r.unread ? fonts.bold : fonts.body, pal().text);
    if (look.text) {
        ImGui::SetCursorScreenPos(ImVec2(right - age_w - status_w, y - 1));
        ui_badge(look.text, look.fg, look.bg);
    }
    ImGui::SetCursorScreenPos(ImVec2(right - age_w, y));
    ui_text(age, fonts.small, r.unread ? pal().accent : pal().muted);

    // Line 2: country · company · product (a buyer: the seller's contact · product).
    ImGui::SetCursorScreenPos(ImVec2(tx, y + 21));
    if (!buyer) {
        ui_badge(country_name(r.country), pal().muted, pal().neutral_bg);
        ImGui::SameLine(0, 6);
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 1);
    }
    ui_text_fit(who_more.empty() || who_more == who ? r.product : who_more + "  ·  " + r.product,
                right - ImGui::GetCursorScreenPos().x, fonts.small, pal().muted);
    // Line 3: who handles it (routed/forwarded to a network member), then the snippet.
    ImGui::SetCursorScreenPos(ImVec2(tx, y + 45));
    if (!r.handler_name.empty()) {
        const std::string by = i18n::trf("Handled by {0}", {r.handler_name});
        ui_text_fit(by, (right - tx) * 0.6f, fonts.small, pal().violet);
        ImGui::SameLine(0, 0);
        const float sx = ImGui::GetCursorScreenPos().x;
        if (right - sx > 60) {
            ImGui::SetCursorScreenPos(ImVec2(sx, y + 45));
            ui_text_fit("  ·  " + one_line(r.snippet, 400), right - sx, fonts.small, r.unread ? pal().text : pal().muted);
        }
    } else {
        ui_text_fit(one_line(r.snippet, 400), right - tx, fonts.small, r.unread ? pal().text : pal().muted);
    }

    if (result && !r.match_text.empty()) draw_match(r, tx, y + 68, right - tx);

    ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + row_h));
    if (pressed) action_inbox_open(ui.state, r, ui.fx);  // a search result: at the matching message
}

// A pill that filters the list ("All", "To answer 12", "Unread 3"); selected = accent.
// Its reader label is the filter's name; the count shows beside it.
static bool chip(const std::string& text, const char* id, const std::string& reader, bool on) {
    ImGui::PushStyleVar(ImGuiStyleVar_FrameRounding, 16);
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(14, 6));
    ImGui::PushStyleColor(ImGuiCol_Button, on ? pal().accent_bg : pal().panel);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, on ? pal().selected : pal().hover);
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, pal().selected);
    ImGui::PushStyleColor(ImGuiCol_Border, on ? pal().accent : pal().border);
    ImGui::PushStyleColor(ImGuiCol_Text, on ? pal().accent : pal().muted);
    ImGui::PushFont(fonts.bold);
    reg::next_kind("button");
    reg::next_label(reader);
    const bool pressed = ImGui::Button((text + "###" + id).c_str(), ImVec2(0, 32));
    if (ImGui::IsItemVisible()) glyphs::note_drawn(text);
    ImGui::PopFont();
    ImGui::PopStyleColor(5);
    ImGui::PopStyleVar(2);
    ui_hand_cursor_if_hovered();
    return pressed;
}

static const char* filter_name(const std::string& f) {
    if (f == "to_answer") return i18n::tr("To answer");
    if (f == "unread") return i18n::tr("Unread");
    if (f == "open") return i18n::tr("Open");
    if (f == "answered") return i18n::tr("Answered");
    return i18n::tr("All");
}

// The chips, wrapping onto a second line when the column is narrow. Returns the y below.
static float draw_chips(UiContext& ui, bool seller, float g, float width, float y) {
    AppState& s = ui.state;
    float x = g;
    for (const std::string& f : inbox_filters(seller)) {
        std::string text = filter_name(f);
        const int count = f == "to_answer" ? s.inbox.to_answer : f == "unread" ? s.inbox.unread : -1;
        if (count > 0) text += "  " + locale::format_count(count, i18n::language());
        ImGui::PushFont(fonts.bold);
        const float w = ImGui::CalcTextSize(text.c_str()).x + 28;
        ImGui::PopFont();
        if (x > g && x + w > width - g) x = g, y += 40;
        ImGui::SetCursorPos(ImVec2(x, y));
        const std::string id = "f_" + f;
        if (chip(text, id.c_str(), filter_name(f), s.ip.filter == f)) action_inbox_filter(s, f, ui.fx);
        x += w + 8;
    }
    return y + 40;
}

// Seller side: "12 to answer · Response rate 87% · Median first response 3 h", on one
// line when it fits, else wrapping between the parts (never inside one). Returns the
// y (window coordinates) below it.
static float draw_seller_stats(const Inbox& in, float width, float g, float y) {
    std::vector<std::pair<std::string, ImU32>> parts;
    parts.push_back({i18n::trf("{0} to answer", {locale::format_count(in.to_answer, i18n::language())}),
                     in.to_answer > 0 ? pal().warn : pal().muted});
    if (in.score) {
        const SellerScore& sc = *in.score;
        parts.push_back({sc.response_rate < 0 ? std::string(i18n::tr("Response rate —"))
                                              : i18n::trf("Response rate {0}%", {std::to_string(sc.response_rate)}),
                         pal().muted});
        parts.push_back({i18n::trf("Median first response {0}", {format_duration(sc.median_first_response)}), pal().muted});
    }
    ImGui::PushFont(fonts.small);
    const char* sep = "  ·  ";
    const float sep_w = ImGui::CalcTextSize(sep).x, line = ImGui::GetFontSize() + 6;
    float x = g;
    for (size_t i = 0; i < parts.size(); i++) {
        const float w = ImGui::CalcTextSize(parts[i].first.c_str()).x;
        if (i > 0 && x + sep_w + w > width - g) {
            x = g;
            y += line;
        } else if (i > 0) {
            ImGui::SetCursorPos(ImVec2(x, y));
            ImGui::TextUnformatted(sep);
            x += sep_w;
        }
        ImGui::SetCursorPos(ImVec2(x, y));
        ui_text(parts[i].first, i == 0 ? fonts.bold : fonts.small, parts[i].second);
        x += (i == 0 ? ImGui::GetItemRectSize().x : w);
    }
    ImGui::PopFont();
    return y + line;
}

// The search box: one line, "×" clears it (so does Escape); the search goes out after
// a short quiet (Enter: at once). Returns the y below it.
static float draw_search(UiContext& ui, float g, float width, float y) {
    AppState& s = ui.state;
    static bool was_active = false;
    const float clear_w = s.ip.typed.empty() ? 0 : 40;
    ImGui::SetCursorPos(ImVec2(g, y));
    std::string text = s.ip.typed;
    const ComposerResult r = ui_composer("##inbox_search", i18n::tr("Search requests"), i18n::tr("Search requests"),
                                         text, width - 2 * g - clear_w, 1, 1, false);
    const bool enter = text.find('\n') != std::string::npos;
    if (enter) text.erase(std::remove(text.begin(), text.end(), '\n'), text.end());
    if (text != s.ip.typed) action_inbox_search_typed(s, text, ui.now, ui.fx);
    if (enter || r.submitted) action_inbox_search_typed(s, text, ui.now - kSearchQuietMs, ui.fx), action_timer(s, ui.now, ui.fx);
    if ((r.active || was_active) && ImGui::IsKeyPressed(ImGuiKey_Escape, false)) action_inbox_search_clear(s, ui.fx);
    was_active = r.active;
    const float bottom = ImGui::GetCursorPosY();
    if (clear_w > 0) {
        ImGui::SetCursorPos(ImVec2(width - g - clear_w + 4, y + (bottom - y - 36) / 2));
        reg::next_kind("button");
        reg::next_label(i18n::tr("Clear search"));
        ImGui::PushStyleColor(ImGuiCol_Button, pal().panel);
        ImGui::PushStyleColor(ImGuiCol_ButtonHovered, pal().hover);
        ImGui::PushStyleColor(ImGuiCol_Text, pal().muted);
        ImGui::PushFont(fonts.bold);
        if (ImGui::Button("×###search_clear", ImVec2(36, 36))) action_inbox_search_clear(s, ui.fx);
        ImGui::PopFont();
        ImGui::PopStyleColor(3);
        ui_hand_cursor_if_hovered();
    }
    return bottom + 6;
}

// Export: the list as it is filtered and searched, as a file — CSV for any program (and
// CRM imports), XLSX for spreadsheets. The button shows the two formats on a line of
// their own below the header (a line, not a popup: it stays reachable from the mirror
// and by touch); the browser downloads the file and the page stays.
static bool g_export_open = false;

static void draw_export_button(float width, float g) {
    const char* label = i18n::tr("Export");
    const float bw = ui_button_width(label);
    ImGui::SetCursorPos(ImVec2(width - g - bw, 14));
    reg::next_label(i18n::tr("Export the list"));
    if (ui_button((std::string(label) + "###export").c_str(), g_export_open ? ButtonKind::Primary : ButtonKind::Secondary,
                  ImVec2(bw, 32)))
        g_export_open = !g_export_open;
}

// The formats' line when open; returns the y below it.
static float draw_export_formats(UiContext& ui, float g, float y) {
    if (!g_export_open) return y;
    float x = g;
    // File formats' own names: the same in every language.
    for (const auto& [format, text] : {std::pair{"csv", "CSV"}, std::pair{"xlsx", "Excel (XLSX)"}}) {
        const float w = ui_button_width(text);
        ImGui::SetCursorPos(ImVec2(x, y));
        if (ui_button((std::string(text) + "###export_" + format).c_str(), ButtonKind::Secondary, ImVec2(w, 32))) {
            g_export_open = false;
            ui.fx.open_url = inbox_export_path(ui.state.ip, format);
        }
        x += w + 8;
    }
    return y + 40;
}

// "Nothing to answer right now.", "No requests match “…”", …
static std::string empty_line(const AppState& s) {
    if (!s.ip.search.empty()) return i18n::trf("No requests match “{0}”", {s.ip.search});
    if (s.ip.filter == "to_answer") return i18n::tr("Nothing to answer right now.");
    if (s.ip.filter == "unread") return i18n::tr("No unread requests.");
    if (s.ip.filter != "all") return i18n::tr("No requests here.");
    return i18n::tr("No requests yet.");
}

// The rows: only those in view (and a margin) are drawn; the list's height is kept with
// a spacer, and the next page is asked for as the view nears the end.
static void draw_rows(UiContext& ui, float top) {
    AppState& s = ui.state;
    const float g = ui.layout.gutter;
    const bool result = !s.ip.search.empty();
    const float row_h = result ? kResultHeight : kRowHeight;
    const size_t n = s.inbox.requests.size();
    const float scroll = ImGui::GetScrollY(), view_h = ImGui::GetWindowHeight();
    const float margin = 2 * row_h;
    const size_t first = (size_t)std::clamp((scroll - top - margin) / row_h, 0.f, (float)n);
    const size_t last = (size_t)std::clamp((scroll - top + view_h + margin) / row_h + 1, 0.f, (float)n);
    const float width = ImGui::GetContentRegionMax().x;
    for (size_t i = first; i < last; i++) {
        const RequestSummary& r = s.inbox.requests[i];
        ImGui::SetCursorPos(ImVec2(0, top + i * row_h));
        const bool selected = ui.layout.two_panes && s.route.screen == Screen::Request && s.route.request_id == r.id;
        draw_row(ui, r, width, selected, result);
    }
    float y = top + n * row_h;
    if (!s.inbox.next_page.empty()) {
        // Ten rows before the end: the next page (one at a time).
        if (last + 10 >= n) action_inbox_more(s, ui.fx);
        ImGui::SetCursorPos(ImVec2(g, y + 14));
        if (!s.ip.more_error.empty()) {
            ui_text_wrapped(i18n::trf("More requests did not load: {0}", {s.ip.more_error}), width - 2 * g, fonts.small,
                            pal().danger, "alert");
            ImGui::SetCursorPosX(g);
            if (ui_button(i18n::tr("Load more"), ButtonKind::Secondary)) {
                s.ip.more_error.clear();
                action_inbox_more(s, ui.fx);
            }
        } else {
            ui_text(i18n::tr("Loading more requests…"), fonts.small, pal().muted, "status");
        }
        y = ImGui::GetCursorPosY();
    }
    ImGui::SetCursorPos(ImVec2(0, y));
    ImGui::Dummy(ImVec2(1, 24));
}

void draw_inbox(UiContext& ui, float width, float height) {
    AppState& s = ui.state;
    ImGui::PushStyleColor(ImGuiCol_ChildBg, pal().panel);
    ImGui::BeginChild("inbox", ImVec2(width, height), ImGuiChildFlags_None, ImGuiWindowFlags_NavFlattened);
    const float g = ui.layout.gutter;

    ImGui::SetCursorPos(ImVec2(g, 16));
    ui_text(i18n::tr("Requests"), fonts.title, pal().text, "heading");
    if (s.inbox.unread > 0) {
        ImGui::SameLine(0, 10);
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 3);
        ui_badge(i18n::trn("{0} unread", "{0} unread", s.inbox.unread), pal().on_accent, pal().accent_fill);
    }
    float top = 56;
    const bool can_export = s.inbox_loaded && session_scope(s) == 0;
    if (can_export) draw_export_button(width, g);
    const bool seller = s.inbox_loaded && is_seller_role(s.inbox.me.role);
    if (seller) top = draw_seller_stats(s.inbox, width, g, 50) + 4;
    if (can_export) top = draw_export_formats(ui, g, top);
    if (s.inbox_loaded) {
        top = draw_search(ui, g, width, top);
        top = draw_chips(ui, seller, g, width, top) + 4;
    }
    ImGui::SetCursorPos(ImVec2(0, top));

    if (!s.inbox_loaded) {
        ImGui::SetCursorPosX(g);
        if (s.inbox_error.empty()) ui_text(i18n::tr("Loading requests…"), fonts.body, pal().muted);
        else ui_text_wrapped(s.inbox_error, width - 2 * g, fonts.body, pal().danger, "alert");
    } else {
        if (!s.inbox_error.empty()) {  // a new filter or search failed
            ImGui::SetCursorPosX(g);
            ui_text_wrapped(s.inbox_error, width - 2 * g, fonts.small, pal().danger, "alert");
        } else if (s.ip.loading_first) {
            ImGui::SetCursorPosX(g);
            ui_text(s.ip.search.empty() ? i18n::tr("Loading requests…") : i18n::tr("Searching…"), fonts.small, pal().muted,
                    "status");
        }
        if (!s.ip.search.empty() && !s.ip.loading_first && s.inbox_error.empty() && !s.inbox.requests.empty()) {
            // How many a search found ("200+": its ranked pool is full, a more precise
            // search reaches the others).
            ImGui::SetCursorPosX(g);
            const std::string n = locale::format_count(s.inbox.total, i18n::language()) + (s.inbox.total_more ? "+" : "");
            ui_text(i18n::trf("Requests found: {0}", {n}), fonts.small, pal().muted, "status");
        }
        top = ImGui::GetCursorPosY();
        if (s.inbox.requests.empty()) {
            if (!s.ip.loading_first) {
                ImGui::SetCursorPosX(g);
                ui_text_wrapped(empty_line(s), width - 2 * g, fonts.body, pal().muted);
            }
        } else {
            draw_rows(ui, top);
        }
    }
    ImGui::EndChild();
    ImGui::PopStyleColor();
}

}  // namespace parley
