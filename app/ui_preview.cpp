// The page previews of a PDF document (a quote uploaded as a PDF, or any PDF): a sheet
// over the page with the pages one under the other, fetched as they come on screen;
// tap a page (or "Enlarge") for twice the size; "Open PDF" opens the original.
#include <algorithm>
#include "app/fonts.h"
#include "app/i18n.h"
#include "app/preview_state.h"
#include "app/registry.h"
#include "app/state.h"
#include "app/ui_thread.h"
#include "imgui_internal.h"

namespace parley {

using namespace theme;

static void preview_body(UiContext& ui, float w) {
    AppState& s = ui.state;
    PdfPreview& p = s.preview;
    const float x = ImGui::GetCursorScreenPos().x, top = ImGui::GetCursorScreenPos().y;
    constexpr float kTap = 36;

    // Header: the name and page count; Close at the right; then Enlarge and Open PDF.
    const float cw = ui_button_width(i18n::tr("Close"));
    ui_text_wrapped(p.name, w - cw - 12, fonts.title, pal().text, "heading");
    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
    std::string count = p.loading ? std::string(i18n::tr("Loading the pages…"))
                                  : i18n::trn("{0} page", "{0} pages", (long long)p.pages.size());
    if (p.truncated) count += "  ·  " + std::string(i18n::tr("the first pages only"));
    ui_text(count, fonts.small, pal().muted, "status");
    const float after_head = ImGui::GetCursorScreenPos().y;
    ImGui::SetCursorScreenPos(ImVec2(x + w - cw, top));
    if (ui_button((std::string(i18n::tr("Close")) + "###preview_close").c_str(), ButtonKind::Secondary, ImVec2(cw, kTap)))
        action_preview_close(s, ui.fx);
    ImGui::SetCursorScreenPos(ImVec2(x, std::max(after_head, top + kTap) + 8));
    const char* zoom = p.zoomed ? i18n::tr("Fit to width") : i18n::tr("Enlarge");
    const float zw = ui_button_width(zoom);
    if (ui_button((std::string(zoom) + "###preview_zoom").c_str(), ButtonKind::Secondary, ImVec2(zw, kTap),
                  p.pages.empty()))
        action_preview_toggle_zoom(s, ui.fx);
    ImGui::SameLine(0, 8);
    const std::string href = "/api/v1/attachments/" + std::to_string(p.attachment_id);
    reg::next_href(href);
    const char* open = i18n::tr("Open PDF");
    if (ui_button((std::string(open) + "###preview_open").c_str(), ButtonKind::Secondary, ImVec2(ui_button_width(open), kTap)))
        ui.fx.open_url = href;
    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + 10));
    if (!p.error.empty()) {
        ui_error_band(p.error, x, w);
        return;
    }

    // The pages: in a child so that an enlarged page scrolls sideways too.
    const float avail_h = ImGui::GetContentRegionAvail().y;
    ImGui::BeginChild("##pages", ImVec2(w, std::max(120.f, avail_h)), ImGuiChildFlags_None,
                      p.zoomed ? ImGuiWindowFlags_HorizontalScrollbar : 0);
    const float page_w = (p.zoomed ? 2.f : 1.f) * (ImGui::GetContentRegionAvail().x - 2);
    const float dpr = ImGui::GetIO().DisplayFramebufferScale.x;
    const int want_w = preview_request_width(page_w, dpr);
    const TextureHooks& hooks = texture_hooks();
    for (size_t i = 0; i < p.pages.size(); i++) {
        PreviewPage& pg = p.pages[i];
        const ImVec2 a = ImGui::GetCursorScreenPos();
        const ImVec2 b(a.x + page_w, a.y + page_w * p.aspect[i]);
        const std::string n = std::to_string(i + 1);
        reg::next_kind("button");
        // Readers (and tests) hear whether the page is there yet.
        const std::string label = i18n::trf("Page {0} of {1}", {n, std::to_string(p.pages.size())});
        reg::next_label(pg.texture ? label : pg.state == PreviewPage::Failed
                                                 ? label + ", " + i18n::tr("This page could not be shown.")
                                                 : label + ", " + i18n::trf("Loading page {0}…", {n}));
        if (ImGui::InvisibleButton(("##page" + n).c_str(), b - a)) action_preview_toggle_zoom(s, ui.fx);
        ImDrawList* dl = ImGui::GetWindowDrawList();
        if (!ImGui::IsItemVisible()) {
            ImGui::Dummy(ImVec2(0, 10));
            continue;
        }
        action_preview_need_page(s, static_cast<int>(i + 1), want_w, ui.fx);
        if (!pg.rgba.empty() && hooks.create) {  // decoded: hand it to the GPU once
            pg.texture = hooks.create(pg.rgba.data(), pg.w, pg.h);
            pg.rgba.clear();
            pg.rgba.shrink_to_fit();
        }
        dl->AddRectFilled(a + ImVec2(2, 3), b + ImVec2(2, 3), pal().shadow, 2);  // a soft shadow
        dl->AddRectFilled(a, b, pal().panel);
        if (pg.texture) {
            dl->AddImage(reinterpret_cast<ImTextureID>(static_cast<uintptr_t>(pg.texture)), a, b);
        } else {
            const bool failed = pg.state == PreviewPage::Failed;
            const std::string t = failed ? std::string(i18n::tr("This page could not be shown."))
                                         : i18n::trf("Loading page {0}…", {n});
            ImGui::PushFont(fonts.small);
            const ImVec2 ts = ImGui::CalcTextSize(t.c_str());
            dl->AddText(ImVec2(a.x + (page_w - ts.x) / 2, a.y + 40), failed ? pal().danger : pal().muted, t.c_str());
            glyphs::note_drawn(t);
            ImGui::PopFont();
        }
        dl->AddRect(a, b, pal().border);
        ImGui::Dummy(ImVec2(0, 10));
    }
    ImGui::EndChild();
}

void draw_pdf_preview(UiContext& ui) {
    AppState& s = ui.state;
    const bool want = s.preview.attachment_id != 0;
    Sheet sheet;
    if (!begin_sheet("###pdf_preview", want, 900, 1000, sheet)) return;
    preview_body(ui, sheet.inner_w);
    if (ImGui::IsKeyPressed(ImGuiKey_Escape, false)) action_preview_close(s, ui.fx);
    end_sheet();
}

}  // namespace parley
