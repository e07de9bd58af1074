// The editing engine of the wrapped composer: text as UTF-32, word-wrapped rows,
// caret, selection and undo (Dear ImGui's copy of stb_textedit, instantiated for our
// own string type). No ImGui calls: the widget (ui_composer.cpp) feeds it keys and
// clicks; unit tests drive it directly.
#pragma once
#include <memory>
#include <string>
#include <vector>
#include "app/textwrap.h"

namespace parley {

enum class EditKey {
    Left, Right, Up, Down, LineStart, LineEnd, TextStart, TextEnd,
    Delete, Backspace, Undo, Redo, WordLeft, WordRight, PageUp, PageDown
};

struct CaretPos {
    float x = 0, y = 0;  // top-left of the caret, relative to the text's origin
    int row = 0;
};

class TextEditor {
public:
    TextEditor();
    ~TextEditor();
    TextEditor(const TextEditor&) = delete;
    TextEditor& operator=(const TextEditor&) = delete;

    // Layout: rows wrap at wrap_width; each row is line_height tall.
    void set_layout(float wrap_width, float line_height, Advance advance);
    void set_text(const std::string& utf8);  // caret at the end, undo history cleared
    std::string text() const;
    const std::u32string& chars() const { return text_; }
    const std::vector<WrapRow>& rows() const { return rows_; }
    float line_height() const { return line_height_; }

    void key(EditKey k, bool shift = false);
    void insert(const std::string& utf8);  // types over the selection
    void click(float x, float y);           // relative to the text's origin
    void drag(float x, float y);
    // Makes the text equal to `utf8` by replacing only what differs (one undo step),
    // then selects [sel_start, sel_end) (code points). For input from the browser.
    void replace_with(const std::string& utf8, int sel_start, int sel_end);
    void set_selection(int start, int end);
    void select_all();
    void select_word_at(float x, float y);
    std::string selection() const;          // selected text (UTF-8)
    std::string cut();                      // removes and returns the selection
    bool has_selection() const;

    int cursor() const;
    int selection_start() const;  // ordered
    int selection_end() const;
    CaretPos caret() const;
    CaretPos position_of(int index) const;  // any character index

    // True once after each change of the text (for saving drafts as you type).
    bool take_changed();

    // Used by the stb_textedit glue (textedit.cpp).
    std::u32string text_;
    std::vector<WrapRow> rows_;
    float wrap_width_ = 1e9f, line_height_ = 16;
    Advance advance_;
    bool changed_ = false;
    void relayout();

private:
    int index_at(int row, float x) const;
    int index_at_point(float x, float y) const;  // nearest caret index in a row
    void move_to(int index, bool shift);
    float preferred_x_ = -1;  // column kept while moving up/down
    struct Stb;
    std::unique_ptr<Stb> stb_;
};

}  // namespace parley
