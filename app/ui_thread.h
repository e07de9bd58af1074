// Pieces of the request page (ui_thread.cpp), split by concern: the workflow controls
// (ui_actions.cpp) and the merged history (ui_history.cpp).
#pragma once
#include <optional>
#include <string>
#include "app/history_layout.h"
#include "app/theme.h"
#include "app/ui.h"
#include "net/wire.h"
#include "imgui.h"
#include "imgui_internal.h"

namespace parley {

// A card (the panel colour) with a border whose height is known only after drawing its content:
// draw content on channel 1, then the background on channel 0.
struct Card {
    ImDrawList* dl;
    ImVec2 start;
    float width;
    ImU32 bg, border;
    Card(float w, ImU32 bg_ = theme::pal().panel, ImU32 border_ = theme::pal().border) : width(w), bg(bg_), border(border_) {
        dl = ImGui::GetWindowDrawList();
        start = ImGui::GetCursorScreenPos();
        dl->ChannelsSplit(2);
        dl->ChannelsSetCurrent(1);
    }
    // Returns the bottom edge (screen y).
    float end(float pad_bottom) {
        float bottom = ImGui::GetCursorScreenPos().y + pad_bottom;
        dl->ChannelsSetCurrent(0);
        dl->AddRectFilled(start, ImVec2(start.x + width, bottom), bg, 10);
        if (border) dl->AddRect(start, ImVec2(start.x + width, bottom), border, 10);
        dl->ChannelsMerge();
        ImGui::SetCursorScreenPos(ImVec2(start.x, bottom));
        ImGui::Dummy(ImVec2(width, 0));
        return bottom;
    }
};

// ui_translate.cpp (translation): a text ("m<id>" / "r<id>") with "Translate" under it, its
// translation under "Translated from French · Show original"; what an author sent along;
// the switches "Always translate incoming messages" and "Also send a translation".
// `button_elsewhere`: the caller drew the Translate button (draw_translate_button) in a
// line of its own (a bubble's header, the request's date line); else it goes under the text.
void draw_translatable(UiContext& ui, const std::string& item, const std::string& original, const char* str_id,
                       float x, float w, const char* kind, bool button_elsewhere = false);
// "Translate" / "Show translation" / "Other language" (quiet button) or "Translating…".
std::string translate_button_label(const AppState& s, const std::string& item);
void draw_translate_button(UiContext& ui, const std::string& item);
void draw_sent_translation(UiContext& ui, const Message& m, float x, float w);
// The switch goes at the right of `heading` (screen rect) when it fits before `right`.
void draw_auto_translate_switch(UiContext& ui, const ImRect& heading, float right);
void draw_send_translation_switch(UiContext& ui, int64_t request_id, bool disabled);

// A small, quiet button ("Copy") that reads well to a screen reader (ui_thread.cpp).
bool quiet_button(const char* label, const std::string& reader_label);

// ui_attach.cpp: the composer's attachment chips and "Attach a document" menu; the
// documents of a message bubble (links to GET /api/v1/attachments/{id}).
void draw_attach_chips(UiContext& ui, Draft& d, float x, float w);
void draw_attach_button(UiContext& ui, float height, bool disabled);
void draw_message_attachments(UiContext& ui, const Message& m, float x, float w);

// ui_actions.cpp
// Inside the request card (screen x, width): who handles it (the buyer's choice of
// conversation when there are several), CCs, ratings, status;
// then one wrapping row of controls: the phone (Show number / tel: link) and the
// seller side's actions (Forward, CC, Decline, Close sale, Mark lost), or the buyer's
// "Rate this conversation".
void draw_handlers(UiContext&, const RequestDetail&, float x, float w);
void draw_card_actions(UiContext&, const RequestDetail&, float x, float w);
void draw_action_dialog(UiContext&, const RequestDetail&);  // the open modal (actions, rating)
// One symbol (✉ ★ ☎ …) drawn `size` px tall, its ink centred on `center`: symbol glyphs
// sit differently from letters, so line-box centring looks off.
void draw_symbol(const char* glyph_utf8, ImVec2 center, float size, ImU32 color);
// A full-width choice row (radio) sized for a finger; true when tapped.
bool radio_row(const char* id, const std::string& label, const std::string& detail, bool selected, float w);

// ui_quote.cpp, ui_quote_editor.cpp: structured quotes.
void draw_quote_card(UiContext&, const Quote&, float w);  // in the history, for "quote_sent"
void draw_quote_viewer(UiContext&);                         // modal over the page when ?quote=N
void draw_quote_editor(UiContext&);                         // the seller's quote composer
void draw_pdf_preview(UiContext&);                          // ui_preview.cpp: a PDF's pages
// A modal sheet: centred (max_w × max_h) on desktops, full screen on phones (< 640 px).
// begin_sheet opens/closes it to follow `want`; true → draw, then end_sheet().
struct Sheet {
    bool narrow = false;
    float inner_w = 0;
};
bool begin_sheet(const char* id, bool want, float max_w, float max_h, Sheet& sheet);
void end_sheet();

// ui_history.cpp: messages and events, newest first; reports read marks. Only the
// entries in view (and a margin) are drawn; the rest are skipped at their cached
// heights (app/history_layout.h).
void draw_history(UiContext&, const RequestDetail&, float x0, float w);
// Scrolls the open thread so that this entry shows near the top of the view: at once
// when it is in the history, else as soon as it arrives (an older page still loading);
// corrected once its neighbours are measured. For search results and deep links.
void history_jump_to(const HistoryKey&);
void history_jump_to_message(int64_t message_id);
// The entry a jump still waits for (not in the open thread's history yet), if any.
std::optional<HistoryKey> history_jump_pending();
void history_jump_cancel();
// The entry a jump landed on is washed in amber for a moment, fading, so that the eye
// finds it among its neighbours: that entry at `now`, if still shown.
std::optional<HistoryKey> history_flashing(Millis now);

}  // namespace parley
