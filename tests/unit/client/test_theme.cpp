// Dark mode, the palettes: every colour pair the screens draw reaches its WCAG 2.x
// contrast in both palettes (4.5:1 for text, 3:1 only for large text and the parts of
// controls, as each pair declares); every colour of a palette is in some pair or declared
// decoration, so a new colour cannot slip past; luminance is WCAG's (sRGB linearised);
// the page around the canvas (shell.html) uses the same colours.
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include "app/palette.h"
#include "app/theme.h"
#include "imgui_frames.h"

using namespace parley;
using namespace parley::theme;

namespace {
const Palette* kBoth[] = {&light(), &dark()};

std::string hex(ImU32 c) {
    char b[8];
    std::snprintf(b, sizeof b, "#%02x%02x%02x", (c >> IM_COL32_R_SHIFT) & 0xFF, (c >> IM_COL32_G_SHIFT) & 0xFF,
                  (c >> IM_COL32_B_SHIFT) & 0xFF);
    return b;
}
const char* need_name(Need n) { return n == Need::Text ? "text" : n == Need::Large ? "large text" : "UI part"; }
}  // namespace

TEST_CASE("theme: contrast is WCAG 2.x — relative luminance of linearised sRGB, (L1 + 0.05) / (L2 + 0.05)", "[theme]") {
    const ImU32 white = rgb(255, 255, 255), black = rgb(0, 0, 0);
    CHECK(relative_luminance(white) == Approx(1.0));
    CHECK(relative_luminance(black) == Approx(0.0));
    CHECK(contrast_ratio(white, black) == Approx(21.0));
    CHECK(contrast_ratio(black, white) == Approx(21.0));  // order does not matter
    CHECK(contrast_ratio(white, white) == Approx(1.0));
    // Reference values: #767676 on white is the classic 4.54:1; #777777 just fails (4.48).
    CHECK(contrast_ratio(rgb(0x76, 0x76, 0x76), white) == Approx(4.54).epsilon(0.002));
    CHECK(contrast_ratio(rgb(0x77, 0x77, 0x77), white) < 4.5);
    // The linear segment under 0.04045: 10/255 → (10/255)/12.92, not the power curve.
    CHECK(relative_luminance(rgb(10, 10, 10)) == Approx(10.0 / 255 / 12.92));
    CHECK(relative_luminance(rgb(128, 128, 128)) == Approx(0.2158605).epsilon(1e-5));
    // Channel weights: green counts most.
    CHECK(relative_luminance(rgb(0, 255, 0)) == Approx(0.7152));
    CHECK(relative_luminance(rgb(255, 0, 0)) == Approx(0.2126));
    // A translucent colour is what it looks like on its background.
    CHECK(contrast_ratio(rgb(0, 0, 0, 0), white) == Approx(1.0));
    CHECK(contrast_ratio(rgb(0, 0, 0, 128), white) == Approx(contrast_ratio(rgb(127, 127, 127), white)));
}

TEST_CASE("theme: every colour pair of both palettes reaches its contrast (text 4.5:1, UI parts 3:1)", "[theme]") {
    REQUIRE(contrast_pairs().size() > 60);
    for (const Palette* p : kBoth) {
        int checked = 0;
        for (const ColorPair& pair : contrast_pairs()) {
            const auto fg = color_named(*p, pair.fg), bg = color_named(*p, pair.bg);
            INFO(p->name << ": " << pair.fg << " on " << pair.bg << " (" << pair.where << ")");
            REQUIRE(fg);
            REQUIRE(bg);
            const double ratio = contrast_ratio(*fg, *bg);
            INFO(hex(*fg) << " on " << hex(*bg) << " = " << ratio << ":1, needs " << need_ratio(pair.need) << ":1 for "
                          << need_name(pair.need));
            CHECK(ratio >= need_ratio(pair.need));
            checked++;
        }
        CHECK(checked == (int)contrast_pairs().size());
    }
}

TEST_CASE("theme: the pairs cover every colour of a palette; the rest is declared decoration", "[theme]") {
    std::set<std::string> in_pairs, decorative;
    for (const ColorPair& pair : contrast_pairs()) in_pairs.insert(pair.fg), in_pairs.insert(pair.bg);
    for (const Decoration& d : decorations()) {
        INFO(d.name);
        CHECK(std::string(d.why).size() > 10);
        CHECK(decorative.insert(d.name).second);
        CHECK_FALSE(in_pairs.count(d.name));  // decoration, or checked: not both
    }
    for (const Palette* p : kBoth) {
        const auto all = colors(*p);
        CHECK(all.size() > 70);
        std::set<std::string> names;
        for (const NamedColor& c : all) {
            INFO(p->name << "." << c.name << " is in no contrast pair: add the pairs it is drawn in "
                         "(app/palette.cpp), or declare it decoration with the reason");
            CHECK((in_pairs.count(c.name) || decorative.count(c.name)));
            names.insert(c.name);
        }
        for (const std::string& n : in_pairs) {
            INFO("a pair names " << n << ", which " << p->name << " lacks");
            CHECK(names.count(n));
        }
        for (const std::string& n : decorative) {
            INFO("a decoration names " << n << ", which " << p->name << " lacks");
            CHECK(names.count(n));
        }
    }
}

TEST_CASE("theme: the dark palette is dark and the light one light, every colour set", "[theme]") {
    CHECK(std::string(light().name) == "light");
    CHECK(std::string(dark().name) == "dark");
    CHECK_FALSE(light().dark);
    CHECK(dark().dark);
    CHECK(relative_luminance(light().bg) > 0.85);
    CHECK(relative_luminance(dark().bg) < 0.02);
    CHECK(relative_luminance(dark().text) > relative_luminance(dark().panel));
    CHECK(relative_luminance(light().text) < relative_luminance(light().panel));
    // Cards sit a step above the page in both (lighter in dark, white on grey in light).
    CHECK(relative_luminance(dark().panel) > relative_luminance(dark().bg));
    CHECK(relative_luminance(light().panel) > relative_luminance(light().bg));
    // Nothing left at zero by mistake, except colours meant translucent (alpha set).
    for (const Palette* p : kBoth)
        for (const NamedColor& c : colors(*p)) {
            INFO(p->name << "." << c.name);
            CHECK(((c.value >> IM_COL32_A_SHIFT) & 0xFF) > 0);
        }
}

TEST_CASE("theme: use() makes a palette the one in use and gives Dear ImGui its colours", "[theme]") {
    ImGuiFrames f;
    use(dark());
    CHECK(&pal() == &dark());
    CHECK(ImGui::GetColorU32(ImGuiCol_WindowBg) == dark().bg);
    CHECK(ImGui::GetColorU32(ImGuiCol_Text) == dark().text);
    CHECK(ImGui::GetColorU32(ImGuiCol_PopupBg) == dark().panel);
    CHECK(ImGui::GetColorU32(ImGuiCol_Button) == dark().accent_fill);
    CHECK(ImGui::GetColorU32(ImGuiCol_TextSelectedBg) == dark().text_selected_bg);
    apply_style();  // spacing reset: the colours stay the palette's
    CHECK(ImGui::GetColorU32(ImGuiCol_WindowBg) == dark().bg);
    use(light());
    CHECK(&pal() == &light());
    CHECK(ImGui::GetColorU32(ImGuiCol_WindowBg) == light().bg);
    CHECK(ImGui::GetColorU32(ImGuiCol_Text) == light().text);
}

TEST_CASE("theme: the page around the canvas (shell.html) has the palettes' colours, dark and light", "[theme]") {
    std::ifstream in(std::string(PARLEY_SOURCE_DIR) + "/shell.html");
    REQUIRE(in.good());
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string html = ss.str();
    // The variables of each block: ":root {…}" (light) and ":root[data-theme=dark] {…}".
    auto block = [&](const std::string& selector) {
        const size_t at = html.find(selector + " {");
        REQUIRE(at != std::string::npos);
        const size_t end = html.find('}', at);
        std::map<std::string, std::string> vars;
        static const std::regex var(R"(--parley-([a-z_]+):\s*(#[0-9a-f]{6}))");
        const std::string body = html.substr(at, end - at);
        for (std::sregex_iterator it(body.begin(), body.end(), var), e; it != e; ++it) vars[(*it)[1]] = (*it)[2];
        return vars;
    };
    const auto light_vars = block(":root"), dark_vars = block(":root[data-theme=dark]");
    const auto device_dark = block(":root:not([data-theme=light])");  // inside @media (prefers-color-scheme: dark)
    CHECK(device_dark == dark_vars);
    for (auto [vars, p] : {std::pair{light_vars, &light()}, std::pair{dark_vars, &dark()}}) {
        REQUIRE(vars.size() >= 8);
        for (const auto& [name, value] : vars) {
            const auto c = color_named(*p, name);
            INFO(p->name << ": --parley-" << name << " in shell.html names no colour of the palette");
            REQUIRE(c);
            INFO("--parley-" << name << " is " << value << ", the palette's " << hex(*c));
            CHECK(value == hex(*c));
        }
        CHECK(vars.count("bg"));  // the page behind the canvas: no seam, no flash
    }
    // With no choice made, the device's preference decides before any script runs.
    CHECK(html.find("@media (prefers-color-scheme: dark)") != std::string::npos);
    CHECK(html.find("<meta name=\"color-scheme\" content=\"light dark\">") != std::string::npos);
}
