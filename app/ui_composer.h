// A multi-line text field that word-wraps as you type (Dear ImGui 1.90's
// InputTextMultiline does not), grows from min_lines to max_lines, then scrolls.
// Keyboard: arrows, Ctrl+arrows, Home/End, Shift-selection, Ctrl+A/C/X/V/Z/Y,
// Enter = new line, Ctrl/Cmd+Enter = submit, Esc = leave. Text from soft keyboards
// and IMEs arrives through text_input.h.
#pragma once
#include <string>

namespace parley {

struct ComposerResult {
    bool submitted = false;  // Ctrl/Cmd+Enter
    bool changed = false;    // the text changed this frame
    bool active = false;     // has the keyboard
};

// `secret`: a key or password — drawn as dots, never copied or cut, the accessibility
// mirror gets dots too. `keep_below`: px under the field that belong with it (the reply's
// Send row), shown with it when the page shrinks under an active field (a phone keyboard).
ComposerResult ui_composer(const char* str_id, const std::string& label, const std::string& placeholder,
                           std::string& text, float width, int min_lines, int max_lines, bool disabled,
                           bool secret = false, float keep_below = 0);
// The next field's content was refused: a red outline, and aria-invalid in the mirror
// (its error text is shown under it by the caller).
void ui_composer_invalid_next();

}  // namespace parley
