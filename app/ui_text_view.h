// Read-only text that wraps in every script and can be selected and copied like a
// web page: mouse drag, double-click word, Ctrl/Cmd+C; long-press on touch selects
// the message. URLs and e-mail addresses are links.
#pragma once
#include <string>
#include <vector>
#include "imgui.h"

namespace parley {

struct LinkSpan {
    int start = 0, end = 0;  // code points
    std::string href;        // https://…, mailto:…
};
// Finds http(s)://…, www.… and e-mail addresses; trailing punctuation stays outside.
std::vector<LinkSpan> find_links(const std::u32string& text);

struct TextViewResult {
    std::string open_url;  // a link was clicked
};

TextViewResult ui_text_view(const char* str_id, const std::string& text, float width, ImFont* font, ImU32 color,
                            const char* reg_kind);

// The same, as wide as the text (up to max_width, then it wraps): a name or a title
// that other items sit beside (SameLine) and that can still be selected and copied.
TextViewResult ui_text_view_fit(const char* str_id, const std::string& text, float max_width, ImFont* font,
                                ImU32 color, const char* reg_kind = "text");

// The current selection in any text view (empty if none).
std::string text_view_selection();

}  // namespace parley
