#include <catch2/catch.hpp>
#include "app/textedit.h"

using namespace parley;

static void setup(TextEditor& e, float width = 10) {
    e.set_layout(width, 10, [](char32_t c) { return is_cjk(c) ? 2.f : 1.f; });
}

TEST_CASE("typing, backspace, undo and redo", "[edit]") {
    TextEditor e;
    setup(e);
    e.insert("Hola");
    e.insert(" señor");
    CHECK(e.text() == "Hola señor");
    CHECK(e.take_changed());
    CHECK_FALSE(e.take_changed());
    e.key(EditKey::Backspace);
    CHECK(e.text() == "Hola seño");
    e.key(EditKey::Undo);
    CHECK(e.text() == "Hola señor");
    e.key(EditKey::Redo);
    CHECK(e.text() == "Hola seño");
}

TEST_CASE("the caret follows wrapped rows: End, Home, Up, Down", "[edit]") {
    TextEditor e;
    setup(e, 8);
    e.set_text("hola que tal");  // rows: "hola que " | "tal"
    REQUIRE(e.rows().size() == 2);
    CHECK(e.caret().row == 1);
    e.key(EditKey::LineStart);
    CHECK(e.cursor() == 9);
    e.key(EditKey::Up);
    CHECK(e.caret().row == 0);
    CHECK(e.cursor() == 0);
    e.key(EditKey::LineEnd);
    CHECK(e.caret().row == 0);
    e.key(EditKey::Down);
    CHECK(e.caret().row == 1);
    e.key(EditKey::TextStart);
    CHECK(e.cursor() == 0);
}

TEST_CASE("word moves and shift-selection", "[edit]") {
    TextEditor e;
    setup(e, 100);
    e.set_text("precio, plazo y envío");
    e.key(EditKey::TextStart);
    e.key(EditKey::WordRight);
    CHECK(e.cursor() == 8);  // after "precio, "
    e.key(EditKey::WordRight, /*shift=*/true);
    CHECK(e.selection() == "plazo ");
    e.key(EditKey::TextEnd);
    e.key(EditKey::WordLeft);
    CHECK(e.cursor() == 16);  // start of "envío"
}

TEST_CASE("selection is replaced by typing and can be cut; paste drops CR", "[edit]") {
    TextEditor e;
    setup(e, 100);
    e.set_text("abc def");
    e.select_all();
    CHECK(e.selection() == "abc def");
    e.insert("x");
    CHECK(e.text() == "x");
    e.insert("\r\nline2");
    CHECK(e.text() == "x\nline2");
    e.key(EditKey::LineStart, true);
    e.key(EditKey::LineEnd, true);
    e.select_all();
    CHECK(e.cut() == "x\nline2");
    CHECK(e.text().empty());
}

TEST_CASE("clicks place the caret in wrapped rows; words select on double click", "[edit]") {
    TextEditor e;
    setup(e, 8);
    e.set_text("hola que tal");
    e.click(1.2f, 15);  // second row, after "t"
    CHECK(e.cursor() == 10);
    e.click(0, 0);
    e.drag(4, 0);
    CHECK(e.selection() == "hola");
    e.select_word_at(6, 2);
    CHECK(e.selection() == "que");
}

TEST_CASE("CJK text edits by character and never splits a code point", "[edit]") {
    TextEditor e;
    setup(e, 6);
    e.insert("見積もり");
    CHECK(e.rows().size() == 2);
    e.key(EditKey::Backspace);
    CHECK(e.text() == "見積も");
    e.key(EditKey::Left);
    e.insert("👍");
    CHECK(e.text() == "見積👍も");
}

TEST_CASE("browser edits are applied as minimal replacements, undoable", "[edit]") {
    TextEditor e;
    setup(e, 100);
    e.set_text("Buenos dias");
    // Autocorrect replaced "dias" with "días", caret after it.
    e.replace_with("Buenos días", 11, 11);
    CHECK(e.text() == "Buenos días");
    CHECK(e.cursor() == 11);
    // A soft keyboard's backspace.
    e.replace_with("Buenos día", 10, 10);
    CHECK(e.text() == "Buenos día");
    e.key(EditKey::Undo);
    CHECK(e.text() == "Buenos días");
    // Selection only.
    e.replace_with("Buenos días", 0, 6);
    CHECK(e.selection() == "Buenos");
}
