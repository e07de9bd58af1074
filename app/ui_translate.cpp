// Translation in the page: a text with "Translate" under it, the picker of
// the nine languages (greyed where no provider covers the pair), the translation under
// "Translated from French · Show original", what the author sent along, and the two
// switches (always translate incoming messages; also send a translation).
#include "app/format.h"
#include "app/i18n.h"
#include "app/registry.h"
#include "app/state.h"
#include "app/ui_text_view.h"
#include "app/ui_thread.h"
#include "app/fonts.h"

namespace parley {

using namespace theme;

namespace {

// A language chip of the picker; greyed and inert when the pair is not available.
bool chip(const std::string& label, const std::string& reader, const std::string& id, bool enabled, bool current) {
    ImGui::PushFont(fonts.small);
    ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 1);
    ImGui::PushStyleVar(ImGuiStyleVar_FrameRounding, 14);
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(12, 7));
    ImGui::PushStyleColor(ImGuiCol_Button, current ? pal().accent_bg : pal().panel);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, pal().hover);
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, pal().pressed);
    ImGui::PushStyleColor(ImGuiCol_Border, enabled ? pal().accent : pal().border);
    ImGui::PushStyleColor(ImGuiCol_Text, enabled ? pal().accent : pal().muted);
    ImGui::BeginDisabled(!enabled);
    reg::next_kind("button");
    reg::next_label(reader);
    const bool pressed = ImGui::Button((label + "###" + id).c_str());
    if (enabled) ui_hand_cursor_if_hovered();
    ImGui::EndDisabled();
    if (ImGui::IsItemVisible()) glyphs::note_drawn(label);
    ImGui::PopStyleColor(5);
    ImGui::PopStyleVar(3);
    ImGui::PopFont();
    return pressed && enabled;
}

// The nine languages, the reader's own first (the default target).
std::vector<std::string> picker_order() {
    std::vector<std::string> out{i18n::language()};
    for (const auto& l : i18n::languages())
        if (l.code != out[0]) out.push_back(l.code);
    return out;
}

void draw_picker(UiContext& ui, const std::string& item, const std::string& from, float x, float w) {
    AppState& s = ui.state;
    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + 4));
    const std::string head = from.empty() ? std::string(i18n::tr("Translate into (the language of this text is not known)"))
                                          : i18n::trf("Translate from {0} into", {language_name(from)});
    ui_text_wrapped(head, w, fonts.small, pal().muted);
    float cx = x, cy = ImGui::GetCursorScreenPos().y + 4, row_h = 0;
    bool greyed = false;
    for (const std::string& code : picker_order()) {
        if (code == from) continue;
        const bool ok = pair_available(s.tl, from, code);
        greyed = greyed || !ok;
        const std::string name = language_name(code);
        ImGui::PushFont(fonts.small);
        const float cw = ImGui::CalcTextSize(name.c_str()).x + 24;
        ImGui::PopFont();
        if (cx > x && cx + cw > x + w) {  // wrap to the next row
            cx = x;
            cy += row_h + 6;
        }
        ImGui::SetCursorScreenPos(ImVec2(cx, cy));
        const std::string reader = ok ? i18n::trf("Translate into {0}", {name})
                                      : i18n::trf("{0}: not available on this server", {name});
        if (chip(name, reader, "tl_" + item + "_" + code, ok, code == i18n::language()))
            action_translate(s, item, code, ui.fx);
        cx = ImGui::GetItemRectMax().x + 6;
        row_h = std::max(row_h, ImGui::GetItemRectSize().y);
    }
    ImGui::SetCursorScreenPos(ImVec2(x, cy + row_h + 4));
    if (greyed) ui_text_wrapped(i18n::tr("Greyed languages are not available on this server."), w, fonts.small, pal().muted);
    ImGui::Dummy(ImVec2(w, 0));
}

}  // namespace

namespace {
const TranslationView* view_of(const AppState& s, const std::string& item) {
    if (!s.thread || s.tl.request_id != s.thread->id) return nullptr;
    auto it = s.tl.items.find(item);
    return it == s.tl.items.end() ? nullptr : &it->second;
}
}  // namespace

std::string translate_button_label(const AppState& s, const std::string& item) {
    const TranslationView* v = view_of(s, item);
    if (v && v->pending) return i18n::tr("Translating…");
    if (v && !v->text.empty()) return v->show_original ? i18n::tr("Show translation") : i18n::tr("Other language");
    return i18n::tr("Translate");
}

void draw_translate_button(UiContext& ui, const std::string& item) {
    AppState& s = ui.state;
    const TranslationView* v = view_of(s, item);
    const std::string label = translate_button_label(s, item);
    if (v && v->pending) {
        const ImVec2 p = ImGui::GetCursorScreenPos();
        ImGui::SetCursorScreenPos(ImVec2(p.x + 6, p.y + 2));
        ui_text(label, fonts.small, pal().muted, "status");
    } else if (v && !v->text.empty() && v->show_original) {
        if (quiet_button((label + "###tr" + item).c_str(), i18n::trf("Show the translation into {0}", {language_name(v->target)})))
            action_translate_toggle(s, item, ui.fx);
    } else if (v && !v->text.empty()) {
        if (quiet_button((label + "###ol" + item).c_str(), i18n::tr("Translate into another language")))
            action_translate_picker(s, item, ui.fx);
    } else {
        if (quiet_button((label + "###tl" + item).c_str(), label)) action_translate_picker(s, item, ui.fx);
    }
}

void draw_translatable(UiContext& ui, const std::string& item, const std::string& original, const char* str_id,
                       float x, float w, const char* kind, bool button_elsewhere) {
    AppState& s = ui.state;
    const bool ours = s.thread && s.tl.request_id == s.thread->id;
    auto it = ours ? s.tl.items.find(item) : s.tl.items.end();
    const TranslationView* v = it == s.tl.items.end() ? nullptr : &it->second;
    const bool translated = v && !v->text.empty() && !v->show_original;

    if (translated) {
        // "Translated from French · Show original", then the translation.
        const float y = ImGui::GetCursorScreenPos().y;
        ui_text(translated_from_line(*v) + "  ·", fonts.small, pal().muted, "status");
        ImGui::SetCursorScreenPos(ImVec2(ImGui::GetItemRectMax().x + 4, y - 2));
        if (quiet_button((std::string(i18n::tr("Show original")) + "###orig" + item).c_str(), i18n::tr("Show original")))
            action_translate_toggle(s, item, ui.fx);
        ImGui::SetCursorScreenPos(ImVec2(x, std::max(ImGui::GetCursorScreenPos().y, y + 18) + 2));
        TextViewResult tv = ui_text_view((std::string(str_id) + "_tl").c_str(), v->text, w, fonts.body, pal().text, kind);
        if (!tv.open_url.empty()) ui.fx.open_url = tv.open_url;
    } else {
        TextViewResult tv = ui_text_view(str_id, original, w, fonts.body, pal().text, kind);
        if (!tv.open_url.empty()) ui.fx.open_url = tv.open_url;
    }
    if (original.empty()) return;
    if (!button_elsewhere) {  // the button under the text
        ImGui::SetCursorScreenPos(ImVec2(x - 6, ImGui::GetCursorScreenPos().y));
        draw_translate_button(ui, item);
    }
    if (v && !v->error.empty()) {
        ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + 2));
        ui_text_wrapped(v->error, w, fonts.small, pal().danger, "alert");
    }
    // The text's language only for the open picker: finding it is a pass over the thread.
    if (s.tl.picker_item == item) draw_picker(ui, item, item_language(s, item), x, w);
}

void draw_sent_translation(UiContext& ui, const Message& m, float x, float w) {
    if (m.sent_translation.empty()) return;
    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + 6));
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddLine(ImVec2(p.x, p.y), ImVec2(p.x + w, p.y), pal().border);
    ImGui::SetCursorScreenPos(ImVec2(x, p.y + 6));
    ui_text(i18n::trf("Translation sent in {0}", {language_name(m.sent_lang)}), fonts.small, pal().muted, "status");
    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + 2));
    const std::string id = "##sent" + std::to_string(m.id);
    TextViewResult tv = ui_text_view(id.c_str(), m.sent_translation, w, fonts.body, pal().text, "message");
    if (!tv.open_url.empty()) ui.fx.open_url = tv.open_url;
}

void draw_auto_translate_switch(UiContext& ui, const ImRect& heading, float right) {
    AppState& s = ui.state;
    if (!s.tl.settings_loaded) return;
    const std::string name = i18n::trf("Always translate incoming messages into {0}", {language_name(i18n::language())});
    // Beside the heading with the whole sentence, or the short form (phones), else below.
    std::string text = name;
    auto width = [](const std::string& t) {
        ImGui::PushFont(fonts.body);
        const float sw = 40 + 8 + ImGui::CalcTextSize(t.c_str()).x + 4;  // ui_choice's width
        ImGui::PopFont();
        return sw;
    };
    float sw = width(text);
    if (heading.Max.x + 24 + sw > right) {
        text = i18n::tr("Always translate");
        sw = width(text);
        if (heading.Max.x + 16 + sw > right) text = name;
    }
    const float choice_h = 34;
    const bool beside = text != name || heading.Max.x + 24 + sw <= right;
    const ImVec2 at = beside ? ImVec2(right - sw, heading.GetCenter().y - choice_h / 2)
                             : ImVec2(heading.Min.x, heading.Max.y + 4);
    ImGui::SetCursorScreenPos(at);
    if (ui_choice("checkbox", "##auto_translate", text, name, s.tl.settings.auto_translate, s.tl.settings_saving))
        action_translate_auto(s, !s.tl.settings.auto_translate, ui.fx);
    // The history goes on under the taller of the two.
    ImGui::SetCursorScreenPos(ImVec2(heading.Min.x, std::max(heading.Max.y, at.y + choice_h)));
    ImGui::Dummy(ImVec2(0, 0));
}

void draw_send_translation_switch(UiContext& ui, int64_t request_id, bool disabled) {
    AppState& s = ui.state;
    const std::string to = send_translation_target(s);
    if (to.empty()) return;
    const std::string text = i18n::trf("Also send a translation into {0}", {language_name(to)});
    const bool on = s.tl.send_translation[request_id];
    if (ui_choice("checkbox", "##send_translation", text, text, on, disabled))
        action_translate_send_toggle(s, request_id, !on, ui.fx);
}

}  // namespace parley
