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
    uint32_t id = 0;
    std::string kind;   // button, link, input, text, heading, checkbox, listitem, window
    std::string label;  // without the "##id" part
    float x = 0, y = 0, w = 0, h = 0;  // visible part, CSS pixels
    bool disabled = false, checked = false, focused = false;
};

void install(ImGuiContext* ctx);  // turns the hooks on for this context
void begin_frame();               // after ImGui::NewFrame()
void end_frame();                 // after ImGui::EndFrame()/Render(): publishes the frame

// The next item submitted gets this kind (instead of the one guessed from its flags).
void next_kind(const char* kind);
// The next item gets this label (for fields whose visible label is hidden with "##").
void next_label(const std::string& label);
// Plain text never reaches the hooks: our text wrappers register it with this.
void add_text(const char* kind, const std::string& label, float x0, float y0, float x1, float y1);

const std::vector<Widget>& widgets();  // last published frame
std::string widgets_json();
std::string strip_id(const char* label);  // "Send##reply" → "Send"; "###x" → ""

}  // namespace parley::reg
