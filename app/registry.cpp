#include "app/registry.h"
#include "app/fonts.h"
#include <cstring>
#include <unordered_map>
#include <unordered_set>
#include <nlohmann/json.hpp>
#include "imgui.h"
#include "imgui_internal.h"

namespace parley::reg {

namespace {
std::vector<Widget> g_building, g_all, g_published;
std::unordered_map<ImGuiID, size_t> g_index;  // id → position in g_building
std::string g_next_kind, g_next_label, g_next_href, g_next_value;
bool g_next_checked = false, g_next_invalid = false;
ImGuiID g_focus_request = 0;
// The last list item submitted: later items drawn inside its rect belong to it.
struct Row {
    ImGuiID id = 0;
    ImRect bb;
    ImGuiWindow* window = nullptr;
} g_row;
}  // namespace

void install(ImGuiContext* ctx) { ctx->TestEngineHookItems = true; }

void begin_frame() {
    g_building.clear();
    g_index.clear();
    g_next_kind.clear();
    g_next_label.clear();
    g_next_href.clear();
    g_next_value.clear();
    g_next_checked = false;
    g_next_invalid = false;
    g_row = {};
}

void end_frame() {
    // Unlabelled items (scrollbars, child windows, frames of multi-line fields) mean
    // nothing to a test or a screen reader.
    std::erase_if(g_building, [](const Widget& w) { return w.label.empty(); });
    // The mirror keys its elements by id: make them unique (repeated texts, badges).
    std::unordered_set<uint32_t> used;
    for (Widget& w : g_building) {
        for (uint32_t salt = 1; w.id == 0 || used.count(w.id); salt++) w.id = ImHashData(&salt, sizeof salt, w.id);
        used.insert(w.id);
    }
    g_all.swap(g_building);
    g_published.clear();
    for (const Widget& w : g_all)
        if (w.visible) g_published.push_back(w);
    g_focus_request = 0;  // only good for the frame after it was asked
}

void next_kind(const char* kind) { g_next_kind = kind; }
void next_label(const std::string& label) { g_next_label = label; }
bool has_next_label() { return !g_next_label.empty(); }
void next_href(const std::string& href) { g_next_href = href; }
void next_value(const std::string& text) { g_next_value = text; }
void next_checked(bool checked) { g_next_checked = checked; }
void next_invalid() { g_next_invalid = true; }
void request_focus(uint32_t id) { g_focus_request = id; }

std::string strip_id(const char* label) {
    if (!label) return {};
    const char* end = ImGui::FindRenderedTextEnd(label);
    return std::string(label, end);
}

const std::vector<Widget>& widgets() { return g_published; }
const std::vector<Widget>& all_widgets() { return g_all; }

std::string widgets_json() {
    nlohmann::json arr = nlohmann::json::array();
    for (const Widget& w : g_published)
        arr.push_back({{"id", w.id}, {"kind", w.kind}, {"label", w.label},
                       {"x", w.x}, {"y", w.y}, {"w", w.w}, {"h", w.h},
                       {"disabled", w.disabled}, {"checked", w.checked}, {"focused", w.focused},
                       {"href", w.href}, {"invalid", w.invalid}});
    return arr.dump();
}

std::string mirror_json() {
    // No rects, no focus: scrolling or moving the mouse leaves this string unchanged.
    nlohmann::json arr = nlohmann::json::array();
    for (const Widget& w : g_all) {
        nlohmann::json o = {{"id", w.id}, {"kind", w.kind}, {"label", w.label}, {"region", w.region}};
        if (w.level) o["level"] = w.level;
        if (w.parent) o["parent"] = w.parent;
        if (w.disabled) o["disabled"] = true;
        if (w.kind == "checkbox" || w.kind == "radio") o["checked"] = w.checked;
        if (!w.href.empty()) o["href"] = w.href;
        if (w.kind == "input") o["value"] = w.value, o["multiline"] = w.multiline;
        if (w.invalid) o["invalid"] = true;
        arr.push_back(std::move(o));
    }
    return arr.dump();
}

uint32_t mirror_hash() {
    uint32_t h = 0;
    auto str = [&](const std::string& s) { h = ImHashData(s.data(), s.size() + 1, h); };  // +1: the '\0' separates
    for (const Widget& w : g_all) {
        const uint32_t nums[] = {w.id, w.parent, (uint32_t)w.level, (uint32_t)w.disabled, (uint32_t)w.checked,
                                 (uint32_t)w.multiline, (uint32_t)w.invalid};
        h = ImHashData(nums, sizeof nums, h);
        str(w.kind), str(w.label), str(w.region), str(w.href), str(w.value);
    }
    return h;
}

// Clip to what the user can actually see: the current window's clip rect.
static bool visible_rect(ImGuiContext& g, ImRect bb, ImRect& out) {
    if (g.CurrentWindow) bb.ClipWithFull(g.CurrentWindow->ClipRect);
    if (bb.GetWidth() <= 0.5f || bb.GetHeight() <= 0.5f) return false;
    out = bb;
    return true;
}

// The child window directly under the root, by the name it was begun with
// (ImGui names children "Parent/name_XXXXXXXX"); a modal dialog (or full-screen sheet)
// is a region of its own, "dialog:<its id>", whatever window opened it.
static std::string region_of(ImGuiWindow* w) {
    if (!w) return {};
    if (w->RootWindow && (w->RootWindow->Flags & ImGuiWindowFlags_Modal)) return std::string("dialog:") + w->RootWindow->Name;
    while (w->ParentWindow && w->ParentWindow != w->RootWindow) w = w->ParentWindow;
    const char* name = w->Name;
    if (const char* slash = std::strrchr(name, '/')) name = slash + 1;
    size_t n = std::strlen(name);
    if (n > 9 && name[n - 9] == '_') n -= 9;
    return std::string(name, n);
}

// Headings as big as the title font are level 2, smaller ones (bold body) level 3:
// the spoken outline follows the visual one.
static int heading_level() {
    ImGuiIO& io = ImGui::GetIO();
    ImFont* base = io.FontDefault ? io.FontDefault : io.Fonts->Fonts.Size ? io.Fonts->Fonts[0] : nullptr;
    float base_px = base ? base->FontSize * base->Scale * io.FontGlobalScale : 13.f;
    return ImGui::GetFontSize() > base_px * 1.1f ? 2 : 3;
}

// Fills what every entry has: rect, visibility, region, the list item around it.
static void place(ImGuiContext& g, Widget& w, const ImRect& bb) {
    ImRect r;
    w.visible = visible_rect(g, bb, r);
    if (!w.visible) r = bb;
    w.x = r.Min.x; w.y = r.Min.y; w.w = r.GetWidth(); w.h = r.GetHeight();
    w.region = region_of(g.CurrentWindow);
    if (g_row.id && g_row.window == g.CurrentWindow && g_row.bb.Contains(bb.GetCenter())) w.parent = g_row.id;
}

void add_text(const char* kind, const std::string& label, float x0, float y0, float x1, float y1) {
    ImGuiContext& g = *GImGui;
    Widget w;
    w.kind = kind;
    w.label = label;
    place(g, w, ImRect(x0, y0, x1, y1));
    if (w.kind == "heading") w.level = heading_level();
    // Seeded by the row (or window) so the same words elsewhere get another id.
    ImGuiID seed = w.parent ? w.parent : g.CurrentWindow ? g.CurrentWindow->ID : 0;
    w.id = ImHashStr(label.data(), label.size(), ImHashStr(kind, 0, seed));
    g_building.push_back(std::move(w));
}

}  // namespace parley::reg

using namespace parley::reg;

void ImGuiTestEngineHook_ItemAdd(ImGuiContext* ctx, ImGuiID id, const ImRect& bb, const ImGuiLastItemData* item) {
    ImGuiContext& g = *ctx;
    if (!item) return;  // windows themselves: not interesting to tests or readers
    // The hints belong to the first real item after them, even if it is clipped out.
    Widget w;
    w.kind.swap(g_next_kind);
    w.label.swap(g_next_label);
    w.href.swap(g_next_href);
    w.value.swap(g_next_value);
    w.checked = g_next_checked;  // custom radios say it here; ImGui's own widgets in ItemInfo
    g_next_checked = false;
    w.invalid = g_next_invalid;
    g_next_invalid = false;
    w.id = id;
    place(g, w, bb);
    w.disabled = (item->InFlags & ImGuiItemFlags_Disabled) != 0;
    w.nav_focus = g.NavId == id && !g.NavDisableHighlight && g.NavWindow;
    w.focused = g.ActiveId == id || w.nav_focus;
    w.multiline = bb.GetHeight() > 2.5f * ImGui::GetFontSize();
    if (w.kind == "listitem") g_row = {id, bb, g.CurrentWindow};
    if (id == g_focus_request) {
        // As if the user had tabbed here: out of any other active field, focus ring
        // on, and scrolled into view.
        if (g.ActiveId && g.ActiveId != id) ImGui::ClearActiveID();
        ImGui::SetFocusID(id, g.CurrentWindow);
        g.NavDisableHighlight = false;
        g.NavDisableMouseHover = true;
        ImGui::ScrollToRectEx(g.CurrentWindow, bb, ImGuiScrollFlags_KeepVisibleEdgeX | ImGuiScrollFlags_KeepVisibleEdgeY);
        g_focus_request = 0;
    }
    g_index[id] = g_building.size();
    g_building.push_back(std::move(w));
}

void ImGuiTestEngineHook_ItemInfo(ImGuiContext*, ImGuiID id, const char* label, ImGuiItemStatusFlags flags) {
    auto it = g_index.find(id);
    if (it == g_index.end()) return;
    Widget& w = g_building[it->second];
    // ImGui's own widgets (buttons, selectables) draw their label: the atlas must bake its
    // glyphs (CJK arrives lazily; app/fonts.h).
    parley::glyphs::note_drawn(strip_id(label));
    if (w.label.empty()) w.label = strip_id(label);
    if (flags & ImGuiItemStatusFlags_Checked) w.checked = true;
    if (w.kind.empty()) {
        if (flags & ImGuiItemStatusFlags_Inputable) w.kind = "input";
        else if (flags & ImGuiItemStatusFlags_Checkable) w.kind = "checkbox";
        else if (flags & ImGuiItemStatusFlags_Openable) w.kind = "tree";
        else w.kind = "button";
    }
}

void ImGuiTestEngineHook_Log(ImGuiContext*, const char*, ...) {}

const char* ImGuiTestEngine_FindItemDebugLabel(ImGuiContext*, ImGuiID id) {
    for (const Widget& w : g_published)
        if (w.id == id) return w.label.c_str();
    return nullptr;
}
