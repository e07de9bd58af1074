#include <catch2/catch.hpp>
#include "app/textwrap.h"

using namespace parley;

// Fixed-width "font": 1 unit per character, 2 for CJK (like fullwidth glyphs).
static float adv(char32_t c) { return is_cjk(c) ? 2.f : 1.f; }

static std::vector<std::string> lines(const std::string& text, float width) {
    std::u32string u = utf8_to_u32(text);
    std::vector<std::string> out;
    for (const WrapRow& r : wrap_text(u, width, adv)) out.push_back(u32_to_utf8(u, r.start, r.start + r.count));
    return out;
}

TEST_CASE("Latin text wraps after spaces; spaces hang at the row end", "[wrap]") {
    CHECK(lines("hola que tal", 8) == std::vector<std::string>{"hola que ", "tal"});
    CHECK(lines("hola que tal", 12) == std::vector<std::string>{"hola que tal"});
    CHECK(lines("hola  que", 4) == std::vector<std::string>{"hola  ", "que"});
    auto rows = wrap_text(utf8_to_u32("hola que tal"), 8, adv);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].width == 8.f);  // "hola que" without the trailing space
    CHECK(rows[1].width == 3.f);
}

TEST_CASE("hard newlines end rows; a final newline leaves an empty row for the caret", "[wrap]") {
    CHECK(lines("a\nb", 10) == std::vector<std::string>{"a\n", "b"});
    CHECK(lines("a\n", 10) == std::vector<std::string>{"a\n", ""});
    CHECK(lines("", 10) == std::vector<std::string>{""});
    CHECK(lines("\n\n", 10) == std::vector<std::string>{"\n", "\n", ""});
}

TEST_CASE("words longer than a row are cut, never lost", "[wrap]") {
    CHECK(lines("Rahmenvertragsverhandlung", 10) ==
          std::vector<std::string>{"Rahmenvert", "ragsverhan", "dlung"});
    CHECK(lines("ab Donaudampfschiff", 6) == std::vector<std::string>{"ab ", "Donaud", "ampfsc", "hiff"});
}

TEST_CASE("CJK breaks between characters but not before closing punctuation", "[wrap]") {
    // 5 ideographs of width 2 in a row of 6: three per row.
    CHECK(lines("液压泵价格", 6) == std::vector<std::string>{"液压泵", "价格"});
    // "。" may not start a row: it stays with the previous character.
    CHECK(lines("お見積り。", 8) == std::vector<std::string>{"お見積", "り。"});
    // Mixed: Latin word, then CJK.
    CHECK(lines("GP-40型号", 6) == std::vector<std::string>{"GP-40", "型号"});
}

TEST_CASE("emoji and other astral characters stay whole", "[wrap]") {
    std::u32string u = utf8_to_u32("ok 👍👍👍");
    REQUIRE(u.size() == 6);
    auto rows = wrap_text(u, 4, adv);
    std::string all;
    for (auto& r : rows) all += u32_to_utf8(u, r.start, r.start + r.count);
    CHECK(all == "ok 👍👍👍");
    CHECK(rows.size() == 2);
}

TEST_CASE("UTF-8 decoding replaces invalid bytes and round-trips valid text", "[utf8]") {
    std::string s = "Grüße — ¿Precio? 価格 Цена 👍";
    CHECK(u32_to_utf8(utf8_to_u32(s)) == s);
    CHECK(utf8_to_u32("a\xC3") == U"a\uFFFD");           // truncated sequence
    CHECK(utf8_to_u32("\xC0\xAF") == U"\uFFFD\uFFFD");   // overlong '/'
    CHECK(utf8_to_u32("\xED\xA0\x80") == U"\uFFFD\uFFFD\uFFFD");  // surrogate
    CHECK(utf8_to_u32("\x80x") == U"\uFFFDx");
}
