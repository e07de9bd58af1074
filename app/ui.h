// Immediate-mode screens over AppState. Drawing only reads the state; changes go
// through the named actions of state.h, which fill Effects.
#pragma once
#include "app/layout.h"
#include "app/state.h"
#include "imgui.h"

namespace parley {

struct UiContext {
    AppState& state;
    Effects& fx;
    Layout layout;
    Millis now = 0;
};

// The whole app for one frame, in a full-screen window of width × height CSS px.
void draw_app(AppState& state, Effects& fx, float width, float height, Millis now);

// True when the frame just drawn is about to be corrected: the history moved the
// thread's scroll to keep the reader's place (entries arrived or changed height above
// it). The platform draws again at once instead of showing this frame.
bool ui_frame_unsettled();
void ui_mark_unsettled();  // during a frame: the next frame is the right one

// Screens (ui_inbox.cpp, ui_thread.cpp).
void draw_inbox(UiContext& ui, float width, float height);
void draw_thread(UiContext& ui, float width, float height);

// Small widgets shared by the screens (ui.cpp). Every one registers itself in the
// widget registry with a readable label.
enum class ButtonKind { Primary, Secondary, Ghost };
bool ui_button(const char* label, ButtonKind kind = ButtonKind::Primary, ImVec2 size = ImVec2(0, 0),
               bool disabled = false);
void ui_text(const std::string& text, ImFont* font = nullptr, ImU32 color = 0, const char* kind = "text");
// Wrapped at wrap_width (CSS px from the cursor); returns the height used.
float ui_text_wrapped(const std::string& text, float wrap_width, ImFont* font = nullptr, ImU32 color = 0,
                      const char* kind = "text");
// One line cut with "…" to fit max_width; the registry gets the full text.
void ui_text_fit(const std::string& text, float max_width, ImFont* font = nullptr, ImU32 color = 0,
                 const char* kind = "text");
void ui_badge(const std::string& text, ImU32 fg, ImU32 bg);
void ui_avatar(const std::string& name, float size);
void ui_hand_cursor_if_hovered();
float ui_button_width(const char* label);
// The button that confirms a destructive action ("Yes, remove"): white on red; id keeps
// it apart from other buttons with the same text.
bool ui_danger_button(const char* text, const std::string& id, ImVec2 size, bool disabled);  // a ui_button's width for this label (bold font, padding)
// A one-line text field with its label above (the composer widget, so phones get their
// keyboard and IMEs work). True on Enter, which submits instead of adding a line.
// `secret`: an API key or password, shown as dots.
bool ui_field(const std::string& id, const char* label, const std::string& placeholder, std::string& text, float w,
              bool disabled, const std::string& reader_label = "", bool secret = false);
// A switch (kind "checkbox") or a radio dot (kind "radio") with its text, one tap target;
// the registry gets kind, name and checked state. True when tapped (never when disabled).
bool ui_choice(const char* kind, const std::string& id, const std::string& text, const std::string& name, bool on,
               bool disabled);
// A server's refusal: red text on a pale red band, at screen x, w wide.
void ui_error_band(const std::string& error, float x, float w);

}  // namespace parley
