// "Attach a document" in the reply composer (chips, the Quote / Other documents
// choice) and the documents shown in message bubbles. The file picker itself opens in
// the platform layer, inside the tap that lands on a picker button (picker_buttons()).
#include <algorithm>
#include "app/attach.h"
#include "app/i18n.h"
#include "app/registry.h"
#include "app/theme.h"
#include "app/ui.h"
#include "app/ui_thread.h"
#include "imgui_internal.h"

namespace parley {

using namespace theme;

namespace {
ImU32 type_color(const std::string& label) {
    if (label == "PDF") return pal().file_pdf;
    if (label == "DOCX") return pal().file_doc;
    if (label == "XLSX" || label == "CSV") return pal().file_sheet;
    if (label == "PNG" || label == "JPEG") return pal().file_image;
    return pal().file_other;
}

// A document icon: a page with a folded corner and the type on a coloured band.
void file_icon(ImDrawList* dl, ImVec2 p, float h, const std::string& label) {
    const float w = h * 0.78f, fold = h * 0.28f;
    const ImU32 c = type_color(label);
    ImVec2 pts[5] = {p, ImVec2(p.x + w - fold, p.y), ImVec2(p.x + w, p.y + fold), ImVec2(p.x + w, p.y + h), ImVec2(p.x, p.y + h)};
    dl->AddConvexPolyFilled(pts, 5, pal().doc_page);
    dl->AddPolyline(pts, 5, pal().doc_outline, ImDrawFlags_Closed, 1.f);
    dl->AddTriangleFilled(ImVec2(p.x + w - fold, p.y), ImVec2(p.x + w - fold, p.y + fold), ImVec2(p.x + w, p.y + fold),
                          pal().doc_fold);
    ImFont* f = fonts.small ? fonts.small : ImGui::GetFont();
    const float fs = std::min(f->FontSize, h * 0.3f);
    const ImVec2 ts = f->CalcTextSizeA(fs, FLT_MAX, 0, label.c_str());
    const float band_y = p.y + h * 0.52f;
    const float bw = std::max(ts.x + 4, w - 2);
    dl->AddRectFilled(ImVec2(p.x + w / 2 - bw / 2 - 1, band_y), ImVec2(p.x + w / 2 + bw / 2 + 1, band_y + ts.y + 2), c, 2);
    dl->AddText(f, fs, ImVec2(p.x + w / 2 - ts.x / 2, band_y + 1), pal().on_file, label.c_str());
}

bool small_x_button(const std::string& id, const std::string& reader_label, float size) {
    reg::next_kind("button");
    reg::next_label(reader_label);
    ImGui::PushStyleColor(ImGuiCol_Button, kClear);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, pal().hover);
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, pal().pressed);
    ImGui::PushStyleColor(ImGuiCol_Text, pal().muted);
    ImGui::PushStyleVar(ImGuiStyleVar_FrameRounding, size / 2);
    const bool pressed = ImGui::Button(("×###" + id).c_str(), ImVec2(size, size));
    ui_hand_cursor_if_hovered();
    ImGui::PopStyleVar();
    ImGui::PopStyleColor(4);
    return pressed;
}
}  // namespace

void draw_attach_chips(UiContext& ui, Draft& d, float x, float w) {
    if (d.uploads.empty()) return;
    const float chip_w = std::min(w, 460.f), h = 50;
    int cancel = 0, remove = 0;
    for (const Upload& u : d.uploads) {
        ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + 6));
        const ImVec2 p = ImGui::GetCursorScreenPos();
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const bool failed = u.status == UploadStatus::Failed;
        dl->AddRectFilled(p, ImVec2(p.x + chip_w, p.y + h), failed ? pal().danger_bg : pal().chip_bg, 8);
        dl->AddRect(p, ImVec2(p.x + chip_w, p.y + h), failed ? pal().danger_border : pal().border, 8);
        const std::string type = file_type_label(u.name, "");
        file_icon(dl, ImVec2(p.x + 10, p.y + 9), 32, type);
        const float tx = p.x + 10 + 32 + 10, xbtn = 32;
        const float text_w = chip_w - (tx - p.x) - xbtn - 12;
        ImGui::SetCursorScreenPos(ImVec2(tx, p.y + 6));
        ui_text_fit(u.name, text_w, fonts.body, pal().text);
        ImGui::SetCursorScreenPos(ImVec2(tx, p.y + 27));
        std::string sub = format_size(u.size) + "  ·  " + (u.kind == "quote" ? i18n::tr("Quote") : type.c_str());
        if (u.status == UploadStatus::Uploading) {
            sub = i18n::trf("Uploading {0}: {1}%", {u.name, std::to_string(u.percent())});
            // Progress bar along the chip's bottom edge, with a readable name.
            const float bx0 = tx, bx1 = p.x + chip_w - xbtn - 14, by = p.y + h - 9;
            dl->AddRectFilled(ImVec2(bx0, by), ImVec2(bx1, by + 4), pal().border, 2);
            dl->AddRectFilled(ImVec2(bx0, by), ImVec2(bx0 + (bx1 - bx0) * u.percent() / 100.f, by + 4), pal().accent_fill, 2);
            reg::add_text("progressbar", sub, bx0, p.y + 27, bx1, by + 4);
            ImGui::SetCursorScreenPos(ImVec2(tx, p.y + 24));
            ImGui::PushFont(fonts.small);
            ImGui::PushStyleColor(ImGuiCol_Text, pal().muted);
            ImGui::TextUnformatted((format_size(u.loaded) + " / " + format_size(u.total) + "  ·  " +
                                    std::to_string(u.percent()) + "%").c_str());
            ImGui::PopStyleColor();
            ImGui::PopFont();
        } else if (failed) {
            ui_text_fit(u.error, text_w, fonts.small, pal().danger, "alert");
        } else {
            ui_text_fit(sub, text_w, fonts.small, pal().muted);
        }
        ImGui::SetCursorScreenPos(ImVec2(p.x + chip_w - xbtn - 8, p.y + (h - xbtn) / 2));
        const std::string id = "up" + std::to_string(u.token);
        if (u.status == UploadStatus::Uploading) {
            if (small_x_button(id, i18n::trf("Cancel upload {0}", {u.name}), xbtn)) cancel = u.token;
        } else if (small_x_button(id, i18n::trf("Remove {0}", {u.name}), xbtn)) {
            remove = u.token;
        }
        ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + h));
        ImGui::Dummy(ImVec2(chip_w, 0));
        ImGui::PushFont(fonts.small);
        const bool cut = failed && ImGui::CalcTextSize(u.error.c_str()).x > text_w;
        ImGui::PopFont();
        if (cut) {  // cut short on the chip: the whole message under it
            ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + 2));
            ui_text_wrapped(u.error, w, fonts.small, pal().danger, "alert");
        }
    }
    if (cancel) action_upload_cancel(ui.state, cancel, ui.fx);
    if (remove) action_upload_remove(ui.state, remove, ui.fx);
}

// "Attach a document" → a small menu: "Quote" / "Other documents". Those two are
// picker buttons: the platform opens the file picker inside the tap on them.
void draw_attach_button(UiContext&, float height, bool disabled) {
    const std::string label = std::string("+  ") + i18n::tr("Attach a document") + "###attach";
    reg::next_label(i18n::tr("Attach a document"));
    ImGui::PushFont(fonts.body);
    const float bw = ImGui::CalcTextSize(label.c_str(), nullptr, true).x + 2 * ImGui::GetStyle().FramePadding.x + 8;
    ImGui::PopFont();
    if (ui_button(label.c_str(), ButtonKind::Secondary, ImVec2(bw, height), disabled)) ImGui::OpenPopup("##attach_kind");
    const ImVec2 b = ImGui::GetItemRectMin();
    const ImVec2 bmax = ImGui::GetItemRectMax();
    // Open upwards when there is no room below (phones: the Send row is near the keyboard).
    const bool up = bmax.y + 110 > ImGui::GetMainViewport()->Size.y;
    ImGui::SetNextWindowPos(up ? ImVec2(b.x, b.y - 4) : ImVec2(b.x, bmax.y + 4), ImGuiCond_Always,
                            up ? ImVec2(0, 1) : ImVec2(0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(6, 6));
    ImGui::PushStyleVar(ImGuiStyleVar_PopupBorderSize, 1.f);
    ImGui::PushStyleVar(ImGuiStyleVar_PopupRounding, 10.f);
    ImGui::PushStyleVar(ImGuiStyleVar_ButtonTextAlign, ImVec2(0.f, 0.5f));
    const bool picked = take_picker_opened();
    if (ImGui::BeginPopup("##attach_kind")) {
        if (picked) ImGui::CloseCurrentPopup();
        const char* kinds[2] = {"quote", "other"};
        const char* names[2] = {i18n::tr("Quote"), i18n::tr("Other documents")};
        float mw = 200;
        ImGui::PushFont(fonts.body);
        for (const char* n : names) mw = std::max(mw, ImGui::CalcTextSize(n).x + 40);
        ImGui::PopFont();
        for (int k = 0; k < 2; k++) {
            const std::string id = std::string(names[k]) + "###attach_" + kinds[k];
            reg::next_label(names[k]);
            if (ui_button(id.c_str(), ButtonKind::Ghost, ImVec2(mw, 44))) ImGui::CloseCurrentPopup();
            picker_buttons()[ImGui::GetItemID()] = kinds[k];
        }
        ImGui::EndPopup();
    }
    ImGui::PopStyleVar(4);
}

void draw_message_attachments(UiContext& ui, const Message& m, float x, float w) {
    if (m.attachments.empty()) return;
    const float h = 46;
    const char* preview = i18n::tr("Preview");
    const float pw = ui_button_width(preview);
    for (const Attachment& a : m.attachments) {
        // PDFs get "Preview" beside them: their pages shown in the page (ui_preview.cpp).
        const bool pdf = a.type == "application/pdf";
        const float chip_w = std::min(pdf ? w - pw - 8 : w, 420.f);
        ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + 6));
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const std::string type = file_type_label(a.name, a.type);
        const std::string href = "/api/v1/attachments/" + std::to_string(a.id);
        const std::string sub = format_size(a.size) + "  ·  " +
                                (a.kind == "quote" ? std::string(i18n::tr("Quote")) + " (" + type + ")" : type);
        reg::next_kind("link");
        reg::next_label(a.name + ", " + sub);
        reg::next_href(href);
        const bool clicked = ImGui::InvisibleButton(("##att" + std::to_string(a.id)).c_str(), ImVec2(chip_w, h));
        const bool hovered = ImGui::IsItemHovered();
        if (hovered) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddRectFilled(p, ImVec2(p.x + chip_w, p.y + h), hovered ? pal().hover : pal().panel, 8);
        dl->AddRect(p, ImVec2(p.x + chip_w, p.y + h), pal().border, 8);
        file_icon(dl, ImVec2(p.x + 9, p.y + 7), 32, type);
        const float tx = p.x + 9 + 32 + 10, text_w = chip_w - (tx - p.x) - 10;
        ImGui::SetCursorScreenPos(ImVec2(tx, p.y + 4));
        ui_text_fit(a.name, text_w, fonts.body, pal().accent);
        ImGui::SetCursorScreenPos(ImVec2(tx, p.y + 24));
        ui_text_fit(sub, text_w, fonts.small, pal().muted);
        if (pdf) {
            ImGui::SetCursorScreenPos(ImVec2(p.x + chip_w + 8, p.y + (h - 36) / 2));
            reg::next_label(i18n::trf("Preview {0}", {a.name}));
            if (ui_button((std::string(preview) + "###prev" + std::to_string(a.id)).c_str(), ButtonKind::Secondary,
                          ImVec2(pw, 36)))
                action_preview_open(ui.state, a.id, a.name, ui.fx);
        }
        ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + h));
        ImGui::Dummy(ImVec2(chip_w, 0));
        if (clicked) ui.fx.open_url = href;
    }
    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + 8));
}

}  // namespace parley
