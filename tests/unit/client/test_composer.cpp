// The composer field with real ImGui frames: a finger's tap activates it on its next
// frame wherever it is drawn then — also out of view, after a phone keyboard shrank
// the page — with the caret where the finger was, and the page scrolls to it.
#include <catch2/catch.hpp>

#include <string>

#include "app/text_input.h"
#include "app/ui_composer.h"
#include "imgui.h"
#include "imgui_internal.h"
#include "imgui_frames.h"

using namespace parley;

namespace {

// A page taller than the viewport with the composer at its bottom; returns the result.
ComposerResult page(float height, std::string& text, float* scroll = nullptr) {
    ComposerResult r;
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(390, height));
    ImGui::Begin("thread", nullptr, ImGuiWindowFlags_NoDecoration);
    ImGui::Dummy(ImVec2(10, 500));  // the request and its history above
    r = ui_composer("##reply", "Write your reply", "Write…", text, 328, 3, 10, false);
    if (scroll) *scroll = ImGui::GetScrollY();
    ImGui::End();
    return r;
}

}  // namespace

TEST_CASE("composer: a tap activates the field even when the page shrank under it", "[composer]") {
    ImGuiFrames f(ImVec2(390, 844));
    std::string text = "Hola";
    ComposerResult r;
    f.frame([&] { r = page(844, text); });
    REQUIRE_FALSE(r.active);

    // The finger lifts on the field's second character; the keyboard opens and the
    // page is 430 px high before the app draws again: the field is below the fold.
    TextInputState& ti = text_input();
    ti.tapped = ImGui::FindWindowByName("thread")->GetID("##reply");
    ti.tap_x = 10 + 1.2f * ImGui::GetFont()->GetCharAdvance('H');  // left padding + 1.2 chars
    ti.tap_y = 12;
    ImGui::GetIO().DisplaySize = ImVec2(390, 430);
    f.frame([&] { r = page(430, text); });
    CHECK(r.active);
    CHECK(ti.tapped == 0);  // taken
    CHECK(ti.active);
    CHECK(ti.sel_start == 1);  // the caret after "H", where the finger was (not at the end)
    CHECK(ti.sel_end == ti.sel_start);

    // The caret is kept in view: the page scrolls down to the field.
    float scroll = 0;
    f.frame([&] { r = page(430, text, &scroll); });
    f.frame([&] { r = page(430, text, &scroll); });
    CHECK(r.active);
    CHECK(scroll > 0);
}

TEST_CASE("composer: a tap on another field's id does nothing here", "[composer]") {
    ImGuiFrames f(ImVec2(390, 844));
    std::string text;
    ComposerResult r;
    text_input().tapped = 12345;
    f.frame([&] { r = page(844, text); });
    CHECK_FALSE(r.active);
    CHECK(text_input().tapped == 12345);  // someone else's: the platform forgets it later
    text_input().tapped = 0;
}

TEST_CASE("composer: a secret field shows dots, to the eye and to the mirror, and copies nothing", "[composer]") {
    ImGuiFrames f(ImVec2(390, 844));
    std::string key = "odoo-key-123";
    ComposerResult r;
    auto draw = [&](bool secret) {
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(390, 844));
        ImGui::Begin("settings", nullptr, ImGuiWindowFlags_NoDecoration);
        r = ui_composer("##key", "API key", "", key, 328, 1, 1, false, secret);
        ImGui::End();
    };
    auto value = [] {
        for (const auto& w : reg::all_widgets())
            if (w.kind == "input" && w.label == "API key") return w.value;
        return std::string("(no field)");
    };
    f.frame([&] { draw(true); });
    std::string dots;
    for (size_t i = 0; i < key.size(); ++i) dots += "\u2022";
    CHECK(value() == dots);
    f.frame([&] { draw(false); });
    CHECK(value() == key);  // the same field as plain text: the check above can fail

    // Selected all and Ctrl+C / Ctrl+X: the clipboard stays as it was, the key stays typed.
    ImGui::SetClipboardText("before");
    text_input().tapped = ImGui::FindWindowByName("settings")->GetID("##key");
    f.frame([&] { draw(true); });
    REQUIRE(r.active);  // the keys below reach the field
    for (ImGuiKey k : {ImGuiKey_A, ImGuiKey_C, ImGuiKey_X}) {
        ImGuiIO& io = ImGui::GetIO();
        io.AddKeyEvent(ImGuiMod_Ctrl, true);
        io.AddKeyEvent(k, true);
        f.frame([&] { draw(true); });
        io.AddKeyEvent(k, false);
        io.AddKeyEvent(ImGuiMod_Ctrl, false);
        f.frame([&] { draw(true); });
    }
    CHECK(std::string(ImGui::GetClipboardText()) == "before");
    CHECK(key == "odoo-key-123");
    text_input().tapped = 0;
}
