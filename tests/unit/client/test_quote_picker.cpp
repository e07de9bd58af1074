// Pickers in the quote composer (a list over the composer's sheet): a click on a choice
// takes it (each choice is its own ImGui item: they once shared one id and no click took),
// the list opens under its button, Escape closes the list and not the composer.
#include <catch2/catch.hpp>

#include <cmath>

#include "app/quote_state.h"
#include "app/registry.h"
#include "app/state.h"
#include "app/ui.h"
#include "imgui_frames.h"

using namespace parley;

TEST_CASE("quote composer: a click on a currency in its list picks it", "[client][quote]") {
    ImGuiFrames f;
    AppState s = seller_on_request();
    s.thread->can.quote = true;
    Effects fx;
    action_quote_new(s, 1000, fx);
    REQUIRE(s.qe.open);
    ImGuiIO& io = ImGui::GetIO();
    auto frames = [&](int n) { for (int i = 0; i < n; i++) f.frame([&] { draw_app(s, fx, 1280, 800, 1000); }); };
    auto click = [&](const reg::Widget& w) {
        const float x = w.x + w.w / 2, y = w.y + w.h / 2;
        io.AddMousePosEvent(x, y);
        frames(2);
        io.AddMouseButtonEvent(0, true);
        frames(2);
        io.AddMouseButtonEvent(0, false);
        frames(3);
    };
    frames(3);
    const reg::Widget* cur = find_widget("Currency: EUR", "button");
    REQUIRE(cur);
    click(*cur);
    const reg::Widget* eur = find_widget("EUR", "option");
    REQUIRE(eur);
    CHECK(eur->checked);
    CHECK(eur->y >= cur->y + cur->h);  // under its button
    CHECK(std::abs(eur->x - cur->x) < 12);
    const reg::Widget* usd = find_widget("USD", "option");
    REQUIRE(usd);
    CHECK_FALSE(usd->focused);
    click(*usd);
    CHECK(s.qe.currency == "USD");
    CHECK_FALSE(find_widget("USD", "option"));  // the list closed
    REQUIRE(find_widget("Currency: USD", "button"));

    // The Incoterm the same way; Escape with its list open closes the list only.
    const reg::Widget* inco = find_widget("Incoterm: " + s.qe.incoterm, "button");
    REQUIRE(inco);
    click(*inco);
    const reg::Widget* cip = find_widget("CIP", "option");
    REQUIRE(cip);
    click(*cip);
    CHECK(s.qe.incoterm == "CIP");
    click(*find_widget("Incoterm: CIP", "button"));
    REQUIRE(find_widget("EXW", "option"));
    io.AddKeyEvent(ImGuiKey_Escape, true);
    frames(1);
    io.AddKeyEvent(ImGuiKey_Escape, false);
    frames(3);
    CHECK_FALSE(find_widget("EXW", "option"));
    CHECK(s.qe.open);  // the composer stays
    CHECK(find_widget("Incoterm: CIP", "button"));
}
