#include "app/registry.h"
#include <cstdarg>
#include <unordered_map>
#include <nlohmann/json.hpp>
#include "imgui.h"
#include "imgui_internal.h"

namespace parley::reg {

namespace {
std::vector<Widget> g_building, g_published;
std::unordered_map<ImGuiID, size_t> g_index;  // id → position in g_building
std::string g_next_kind, g_next_label;
}

void install(ImGuiContext* ctx) { ctx->TestEngineHookItems = true; }

void begin_frame() {
    g_building.clear();
    g_index.clear();
    g_next_kind.clear();
    g_next_label.clear();
}

void end_frame() {
    // Unlabelled items (scrollbars, child windows, frames of multi-line fields) mean
    // nothing to a test or a screen reader.
    std::erase_if(g_building, [](const Widget& w) { return w.label.empty(); });
    g_published.swap(g_building);
}

void next_kind(const char* kind) { g_next_kind = kind; }
void next_label(const std::string& label) { g_next_label = label; }

std::string strip_id(const char* label) {
    if (!label) return {};
    const char* end = ImGui::FindRenderedTextEnd(label);
    return std::string(label, end);
}

const std::vector<Widget>& widgets() { return g_published; }

std::string widgets_json() {
    nlohmann::json arr = nlohmann::json::array();
    for (const Widget& w : g_published)
        arr.push_back({{"id", w.id}, {"kind", w.kind}, {"label", w.label},
                       {"x", w.x}, {"y", w.y}, {"w", w.w}, {"h", w.h},
                       {"disabled", w.disabled}, {"checked", w.checked}, {"focused", w.focused}});
    return arr.dump();
}

// Clip to what the user can actually see: the current window's clip rect.
static bool visible_rect(ImGuiContext& g, ImRect bb, ImRect& out) {
    if (g.CurrentWindow) bb.ClipWithFull(g.CurrentWindow->ClipRect);
    if (bb.GetWidth() <= 0.5f || bb.GetHeight() <= 0.5f) return false;
    out = bb;
    return true;
}

void add_text(const char* kind, const std::string& label, float x0, float y0, float x1, float y1) {
    ImGuiContext& g = *GImGui;
    ImRect r;
    if (!visible_rect(g, ImRect(x0, y0, x1, y1), r)) return;
    Widget w;
    w.kind = kind;
    w.label = label;
    w.x = r.Min.x; w.y = r.Min.y; w.w = r.GetWidth(); w.h = r.GetHeight();
    g_building.push_back(std::move(w));
}

}  // namespace parley::reg

using namespace parley::reg;

void ImGuiTestEngineHook_ItemAdd(ImGuiContext* ctx, ImGuiID id, const ImRect& bb, const ImGuiLastItemData* item) {
    ImGuiContext& g = *ctx;
    if (!item) return;  // windows themselves: not interesting to tests or readers
    // The hints belong to the first real item after them, even if it is clipped out.
    std::string kind, label;
    kind.swap(g_next_kind);
    label.swap(g_next_label);
    ImRect r;
    if (!visible_rect(g, bb, r)) return;
    Widget w;
    w.id = id;
    w.x = r.Min.x; w.y = r.Min.y; w.w = r.GetWidth(); w.h = r.GetHeight();
    w.disabled = (item->InFlags & ImGuiItemFlags_Disabled) != 0;
    w.focused = (g.ActiveId == id) || (g.NavId == id && g.NavDisableHighlight == false && g.NavWindow);
    w.kind = std::move(kind);
    w.label = std::move(label);
    g_index[id] = g_building.size();
    g_building.push_back(std::move(w));
}

void ImGuiTestEngineHook_ItemInfo(ImGuiContext*, ImGuiID id, const char* label, ImGuiItemStatusFlags flags) {
    auto it = g_index.find(id);
    if (it == g_index.end()) return;
    Widget& w = g_building[it->second];
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
