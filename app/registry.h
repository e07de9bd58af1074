// Widget registry: what is on screen this frame, for tests and the screen-reader
// mirror. Fed by Dear ImGui's test-engine hooks (IMGUI_ENABLE_TEST_ENGINE), which we
// implement here instead of linking the real test engine.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

struct ImGuiContext;

namespace parley::reg {

struct Widget {
    uint32_t id = 0;    // ImGui's item id; plain text gets a hash (stable while its text is)
    std::string kind;   // button, link, input, text, message, alert, heading, checkbox, radio, listitem
    std::string label;  // without the "##id" part
    float x = 0, y = 0, w = 0, h = 0;  // visible part (whole item when !visible), CSS pixels
    bool disabled = false, checked = false;
    bool focused = false;    // active (being clicked/edited) or keyboard-focused
    bool nav_focus = false;  // keyboard focus: ImGui's nav cursor is on it, ring shown
    bool visible = true;     // false: submitted but scrolled out of its window
    bool multiline = false;  // inputs taller than two lines of text
    bool invalid = false;    // inputs: what it holds was refused (shown red, aria-invalid)
    int level = 0;           // headings: 2 for title-sized text, 3 for smaller
    uint32_t parent = 0;     // the list item this widget is drawn inside, if any
    std::string region;      // the child window directly under the root ("inbox", "thread"), or "dialog:<id>"
    std::string href;        // links and list items: where activating them goes
    std::string value;       // inputs: the current text (when the widget reports it)
};

void install(ImGuiContext* ctx);  // turns the hooks on for this context
void begin_frame();               // after ImGui::NewFrame()
void end_frame();                 // after ImGui::EndFrame()/Render(): publishes the frame

// Hints for the next item submitted (they also keep items scrolled out of view
// readable: ImGui reports labels only for items it does not clip).
void next_kind(const char* kind);          // instead of the kind guessed from its flags
void next_label(const std::string& label); // for fields whose visible label is hidden with "##"
bool has_next_label();  // a caller already named the next item
void next_href(const std::string& href);   // link target
void next_value(const std::string& text);  // an input's current text
void next_checked(bool checked);           // custom radios/checkboxes drawn without ImGui's widgets
void next_invalid();                       // an input whose content was refused
// Plain text never reaches the hooks: our text wrappers register it with this.
void add_text(const char* kind, const std::string& label, float x0, float y0, float x1, float y1);

// Next frame, when the item with this id is submitted: give it ImGui's keyboard focus
// (with the focus ring) and scroll it into view.
void request_focus(uint32_t id);

const std::vector<Widget>& widgets();      // last published frame, visible widgets only
const std::vector<Widget>& all_widgets();  // … and those scrolled out of view
std::string widgets_json();                // widgets(), for window.parley.widgets()
std::string mirror_json();  // all_widgets() without geometry: changes only when the UI's meaning does
uint32_t mirror_hash();     // of what mirror_json() says, cheaper than building it
std::string strip_id(const char* label);  // "Send##reply" → "Send"; "###x" → ""

}  // namespace parley::reg
