// The bridge between the focused text field and the browser's hidden <textarea>
// (the platform layer's input model for soft keyboards, IME, autocorrect, dictation).
// The field publishes its text and selection each frame; the platform mirrors them
// into the textarea, and sends back what the browser's editing did to it.
#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace parley {

struct TextInputState {
    bool active = false;        // a text field has the keyboard
    uint32_t field = 0;         // which one (ImGui id)
    std::string text;           // its whole text (UTF-8)
    int sel_start = 0, sel_end = 0;  // selection in code points (equal = caret)
    float caret_x = 0, caret_y = 0, line_height = 16;  // CSS px, for the IME window
    float x = 0, y = 0, w = 0, h = 0;                  // the field's rect, CSS px
    uint64_t version = 0;       // bumps when the app changed text or selection
    bool secret = false;        // a key or password: the browser gets a password input, not
                                // the textarea (screen readers and autofill treat it as one)
    // Every text field drawn this frame, id → text: a tap focuses the textarea before
    // the field is active, and the textarea must start from the field's text.
    std::unordered_map<uint32_t, std::string> drawn;
    std::unordered_set<uint32_t> drawn_secret;  // those of them drawn as dots
    // A tap on this field whose click landed elsewhere (a phone keyboard opening
    // shrank the page before the click was handled): set by the platform once every
    // queued event is handled; the field activates on its next frame, wherever it is
    // drawn then, with the caret at (tap_x, tap_y) from its top-left.
    uint32_t tapped = 0;
    float tap_x = 0, tap_y = 0;
};

// Written by the composer widget, read by the platform after each frame.
TextInputState& text_input();

// What the browser's editing produced: the field's full new text and selection.
// Queued by the platform, applied by the field on its next frame.
struct TextReplacement {
    uint32_t field = 0;
    std::string text;
    int sel_start = 0, sel_end = 0;
    bool pending = false;
};
TextReplacement& pending_replacement();

}  // namespace parley
