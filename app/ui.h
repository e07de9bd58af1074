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

}  // namespace parley
