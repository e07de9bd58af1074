// A text view on a touch screen, in real ImGui frames: a long press (which the platform
// layer delivers as a right click from the finger) selects the whole text and offers
// "Copy" over it; the button copies and clears the selection; a mouse right click does
// nothing of the kind.
#include <catch2/catch.hpp>
#include "app/ui_text_view.h"
#include "imgui_frames.h"

using namespace parley;

namespace {
const char* kText = "Plazo de entrega: 3 semanas desde el pedido.";

void page() {
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(390, 400));
    ImGui::Begin("w", nullptr, ImGuiWindowFlags_NoDecoration);
    ImGui::SetCursorScreenPos(ImVec2(20, 200));
    ui_text_view("##msg", kText, 340, nullptr, IM_COL32_WHITE, "message");
    ImGui::End();
}

void right_click(ImGuiFrames& f, ImVec2 at, ImGuiMouseSource source) {
    ImGuiIO& io = ImGui::GetIO();
    io.AddMouseSourceEvent(source);
    io.AddMousePosEvent(at.x, at.y);
    io.AddMouseButtonEvent(1, true);
    io.AddMouseButtonEvent(1, false);
    for (int i = 0; i < 4; i++) f.frame(page);
}
}  // namespace

TEST_CASE("text view: a long press on touch selects the text and its Copy button copies it", "[text][touch]") {
    ImGuiFrames f(ImVec2(390, 400));
    ImGui::SetClipboardText("before");
    f.frame(page);
    const reg::Widget* msg = find_widget(kText, "message");
    REQUIRE(msg);
    const ImVec2 at(msg->x + 30, msg->y + msg->h / 2);

    right_click(f, at, ImGuiMouseSource_Mouse);  // a mouse's right click: nothing
    CHECK(text_view_selection().empty());
    CHECK_FALSE(find_widget("Copy", "button"));

    right_click(f, at, ImGuiMouseSource_TouchScreen);
    CHECK(text_view_selection() == kText);
    const reg::Widget* copy = find_widget("Copy", "button");
    REQUIRE(copy);
    CHECK(copy->h >= 44);  // finger-sized
    CHECK(copy->y + copy->h <= at.y);  // above the finger, not under it

    ImGuiIO& io = ImGui::GetIO();
    io.AddMouseSourceEvent(ImGuiMouseSource_TouchScreen);
    io.AddMousePosEvent(copy->x + copy->w / 2, copy->y + copy->h / 2);
    io.AddMouseButtonEvent(0, true);
    io.AddMouseButtonEvent(0, false);
    for (int i = 0; i < 4; i++) f.frame(page);
    CHECK(std::string(ImGui::GetClipboardText()) == kText);
    CHECK(text_view_selection().empty());  // done: the selection goes with the bubble
    CHECK_FALSE(find_widget("Copy", "button"));
}

TEST_CASE("text view: a tap elsewhere closes the Copy bubble and clears the selection", "[text][touch]") {
    ImGuiFrames f(ImVec2(390, 400));
    f.frame(page);
    const reg::Widget* msg = find_widget(kText, "message");
    REQUIRE(msg);
    right_click(f, ImVec2(msg->x + 30, msg->y + msg->h / 2), ImGuiMouseSource_TouchScreen);
    REQUIRE(find_widget("Copy", "button"));
    ImGuiIO& io = ImGui::GetIO();
    io.AddMouseSourceEvent(ImGuiMouseSource_TouchScreen);
    io.AddMousePosEvent(200, 380);
    io.AddMouseButtonEvent(0, true);
    io.AddMouseButtonEvent(0, false);
    for (int i = 0; i < 4; i++) f.frame(page);
    CHECK_FALSE(find_widget("Copy", "button"));
    CHECK(text_view_selection().empty());
}
