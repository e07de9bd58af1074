#include "app/textedit.h"
#include <algorithm>
#include <cassert>
#include <cstring>

#define IM_ASSERT(x) assert(x)  // imstb_textedit.h uses it

namespace parley {
namespace te {

// ---- stb_textedit, instantiated on TextEditor with UTF-32 characters ----
#define IMSTB_TEXTEDIT_STRING TextEditor
#define IMSTB_TEXTEDIT_CHARTYPE char32_t
#define IMSTB_TEXTEDIT_GETWIDTH_NEWLINE (-1.0f)
#define IMSTB_TEXTEDIT_UNDOSTATECOUNT 99
#define IMSTB_TEXTEDIT_UNDOCHARCOUNT 4000

static int STB_TEXTEDIT_STRINGLEN(const TextEditor* e) { return (int)e->text_.size(); }
static char32_t STB_TEXTEDIT_GETCHAR(const TextEditor* e, int i) { return e->text_[i]; }
static float STB_TEXTEDIT_GETWIDTH(TextEditor* e, int row_start, int i) {
    char32_t c = e->text_[row_start + i];
    return c == '\n' ? IMSTB_TEXTEDIT_GETWIDTH_NEWLINE : e->advance_(c);
}
static int STB_TEXTEDIT_KEYTOTEXT(int key) { return key >= 0x200000 ? 0 : key; }
static char32_t STB_TEXTEDIT_NEWLINE = '\n';

}  // namespace te
}  // namespace parley

// The header part declares the state structs; keep them in our namespace.
namespace parley::te {
#include "imstb_textedit.h"

static void STB_TEXTEDIT_LAYOUTROW(StbTexteditRow* r, TextEditor* e, int start) {
    // Rows come from our wrapper, so stb's caret movement follows the wrapped lines.
    const auto& rows = e->rows_;
    auto it = std::upper_bound(rows.begin(), rows.end(), start, [](int s, const WrapRow& row) { return s < row.start; });
    const WrapRow& row = it == rows.begin() ? rows.front() : *(it - 1);
    r->x0 = 0;
    r->x1 = row.width;
    r->baseline_y_delta = e->line_height_;
    r->ymin = 0;
    r->ymax = e->line_height_;
    r->num_chars = row.start + row.count - start;
}

static bool is_word_char(char32_t c) { return !is_space(c) && c != '\n' && !std::strchr(",.;:!?()[]{}\"'", c < 128 ? (int)c : 1); }
static int move_word_left(TextEditor* e, int i) {
    const auto& t = e->text_;
    while (i > 0 && !is_word_char(t[i - 1])) i--;
    while (i > 0 && is_word_char(t[i - 1]) && !is_cjk(t[i - 1])) i--;
    if (i > 0 && is_cjk(t[i - 1])) i--;
    return i;
}
static int move_word_right(TextEditor* e, int i) {
    const auto& t = e->text_;
    const int n = (int)t.size();
    if (i < n && is_cjk(t[i])) return i + 1;
    while (i < n && is_word_char(t[i]) && !is_cjk(t[i])) i++;
    while (i < n && !is_word_char(t[i])) i++;
    return i;
}
#define STB_TEXTEDIT_MOVEWORDLEFT move_word_left
#define STB_TEXTEDIT_MOVEWORDRIGHT move_word_right

static void STB_TEXTEDIT_DELETECHARS(TextEditor* e, int pos, int n) {
    e->text_.erase((size_t)pos, (size_t)n);
    e->changed_ = true;
    e->relayout();
}
static bool STB_TEXTEDIT_INSERTCHARS(TextEditor* e, int pos, const char32_t* s, int n) {
    // Built by appending rather than with text_.insert(pos, s, n): same result, without
    // GCC 12's false -Wrestrict on libstdc++'s overlap check (GCC bug 105329).
    std::u32string t;
    t.reserve(e->text_.size() + (size_t)n);
    t.append(e->text_, 0, (size_t)pos);
    t.append(s, (size_t)n);
    t.append(e->text_, (size_t)pos);
    e->text_ = std::move(t);
    e->changed_ = true;
    e->relayout();
    return true;
}

#define STB_TEXTEDIT_K_LEFT 0x200000
#define STB_TEXTEDIT_K_RIGHT 0x200001
#define STB_TEXTEDIT_K_UP 0x200002
#define STB_TEXTEDIT_K_DOWN 0x200003
#define STB_TEXTEDIT_K_LINESTART 0x200004
#define STB_TEXTEDIT_K_LINEEND 0x200005
#define STB_TEXTEDIT_K_TEXTSTART 0x200006
#define STB_TEXTEDIT_K_TEXTEND 0x200007
#define STB_TEXTEDIT_K_DELETE 0x200008
#define STB_TEXTEDIT_K_BACKSPACE 0x200009
#define STB_TEXTEDIT_K_UNDO 0x20000A
#define STB_TEXTEDIT_K_REDO 0x20000B
#define STB_TEXTEDIT_K_WORDLEFT 0x20000C
#define STB_TEXTEDIT_K_WORDRIGHT 0x20000D
#define STB_TEXTEDIT_K_PGUP 0x20000E
#define STB_TEXTEDIT_K_PGDOWN 0x20000F
#define STB_TEXTEDIT_K_SHIFT 0x400000

// stb's mouse handlers are not used: TextEditor::click() and drag() place the caret on
// our wrapped rows themselves.
[[maybe_unused]] static void stb_textedit_click(TextEditor*, STB_TexteditState*, float, float);
[[maybe_unused]] static void stb_textedit_drag(TextEditor*, STB_TexteditState*, float, float);

#define IMSTB_TEXTEDIT_IMPLEMENTATION
#define IMSTB_TEXTEDIT_memmove memmove
#include "imstb_textedit.h"
}  // namespace parley::te

namespace parley {

struct TextEditor::Stb {
    te::STB_TexteditState s;
};

TextEditor::TextEditor() : stb_(new Stb) {
    advance_ = [](char32_t) { return 8.f; };
    te::stb_textedit_initialize_state(&stb_->s, /*single_line=*/0);
    relayout();
}
TextEditor::~TextEditor() = default;

void TextEditor::relayout() { rows_ = wrap_text(text_, wrap_width_, advance_); }

void TextEditor::set_layout(float wrap_width, float line_height, Advance advance) {
    wrap_width_ = std::max(wrap_width, 1.f);
    line_height_ = line_height;
    advance_ = std::move(advance);
    relayout();
    stb_->s.row_count_per_page = 6;
}

void TextEditor::set_text(const std::string& utf8) {
    text_ = utf8_to_u32(utf8);
    te::stb_textedit_initialize_state(&stb_->s, 0);
    stb_->s.cursor = stb_->s.select_start = stb_->s.select_end = (int)text_.size();
    stb_->s.row_count_per_page = 6;
    relayout();
}

std::string TextEditor::text() const { return u32_to_utf8(text_); }

void TextEditor::move_to(int idx, bool shift) {
    auto& s = stb_->s;
    if (shift) {
        if (s.select_start == s.select_end) s.select_start = s.cursor;
        s.cursor = s.select_end = idx;
    } else {
        s.cursor = s.select_start = s.select_end = idx;
    }
    s.has_preferred_x = 0;
}

int TextEditor::index_at(int r, float x) const {
    r = std::clamp(r, 0, (int)rows_.size() - 1);
    const WrapRow& row = rows_[r];
    const bool last = r + 1 == (int)rows_.size();
    int end = row.start + row.count;
    // The caret may not sit after a row's '\n', nor after the last character of a
    // soft-wrapped row (that spot is the start of the next row).
    if (end > row.start && (text_[end - 1] == '\n' || !last)) end--;
    float acc = 0;
    for (int i = row.start; i < end; i++) {
        float w = advance_(text_[i]);
        if (x < acc + w / 2) return i;
        acc += w;
    }
    return end;
}

void TextEditor::key(EditKey k, bool shift) {
    // Row-wise moves follow the wrapped rows, as in a browser's textarea. stb's own
    // versions (tuned for Dear ImGui) only know hard lines.
    const CaretPos c = caret();
    switch (k) {
        case EditKey::LineStart: move_to(rows_[c.row].start, shift); preferred_x_ = -1; return;
        case EditKey::LineEnd: move_to(index_at(c.row, 1e9f), shift); preferred_x_ = -1; return;
        case EditKey::Up: case EditKey::Down: case EditKey::PageUp: case EditKey::PageDown: {
            if (preferred_x_ < 0) preferred_x_ = c.x;
            int step = (k == EditKey::PageUp || k == EditKey::PageDown) ? 6 : 1;
            int target = c.row + ((k == EditKey::Up || k == EditKey::PageUp) ? -step : step);
            float x = preferred_x_;
            if (target < 0) move_to(0, shift);
            else if (target >= (int)rows_.size()) move_to((int)text_.size(), shift);
            else move_to(index_at(target, x), shift);
            preferred_x_ = x;
            return;
        }
        default: break;
    }
    preferred_x_ = -1;
    int code = 0x200000 + (int)k;
    if (shift) code |= STB_TEXTEDIT_K_SHIFT;
    te::stb_textedit_key(this, &stb_->s, code);
}

void TextEditor::insert(const std::string& utf8) {
    std::u32string u = utf8_to_u32(utf8);
    // Normalise line breaks: pasted Windows text must not leave '\r' in the reply.
    u.erase(std::remove(u.begin(), u.end(), U'\r'), u.end());
    if (u.empty()) return;
    preferred_x_ = -1;
    te::stb_textedit_paste(this, &stb_->s, u.data(), (int)u.size());
}

int TextEditor::index_at_point(float x, float y) const {
    if (y < 0) return 0;
    int r = (int)(y / line_height_);
    if (r >= (int)rows_.size()) return (int)text_.size();
    return index_at(r, x);
}
void TextEditor::click(float x, float y) {
    preferred_x_ = -1;
    move_to(index_at_point(x, y), false);
}
void TextEditor::drag(float x, float y) {
    preferred_x_ = -1;
    move_to(index_at_point(x, y), true);
}

void TextEditor::replace_with(const std::string& utf8, int a, int b) {
    std::u32string u = utf8_to_u32(utf8);
    u.erase(std::remove(u.begin(), u.end(), U'\r'), u.end());
    const std::u32string& t = text_;
    size_t p = 0;
    while (p < t.size() && p < u.size() && t[p] == u[p]) p++;
    size_t s = 0;
    while (s < t.size() - p && s < u.size() - p && t[t.size() - 1 - s] == u[u.size() - 1 - s]) s++;
    if (p + s < t.size() || p + s < u.size()) {
        auto& st = stb_->s;
        st.select_start = (int)p;
        st.select_end = (int)(t.size() - s);
        st.cursor = st.select_end;
        std::u32string ins = u.substr(p, u.size() - s - p);
        if (ins.empty()) te::stb_textedit_cut(this, &st);
        else te::stb_textedit_paste(this, &st, ins.data(), (int)ins.size());
    }
    set_selection(a, b);
}

void TextEditor::set_selection(int a, int b) {
    const int n = (int)text_.size();
    a = std::clamp(a, 0, n);
    b = std::clamp(b, 0, n);
    auto& st = stb_->s;
    st.select_start = a;
    st.select_end = b;
    st.cursor = b;
    preferred_x_ = -1;
}

void TextEditor::select_all() {
    stb_->s.select_start = 0;
    stb_->s.cursor = stb_->s.select_end = (int)text_.size();
}

void TextEditor::select_word_at(float x, float y) {
    click(x, y);
    int c = stb_->s.cursor, n = (int)text_.size();
    int a = c, b = c;
    while (a > 0 && te::is_word_char(text_[a - 1]) && !is_cjk(text_[a - 1])) a--;
    while (b < n && te::is_word_char(text_[b]) && !is_cjk(text_[b])) b++;
    if (a == b && b < n) b++;  // a single CJK character or punctuation
    stb_->s.select_start = a;
    stb_->s.cursor = stb_->s.select_end = b;
}

bool TextEditor::has_selection() const { return stb_->s.select_start != stb_->s.select_end; }
int TextEditor::cursor() const { return stb_->s.cursor; }
int TextEditor::selection_start() const { return std::min(stb_->s.select_start, stb_->s.select_end); }
int TextEditor::selection_end() const { return std::max(stb_->s.select_start, stb_->s.select_end); }

std::string TextEditor::selection() const { return u32_to_utf8(text_, selection_start(), selection_end()); }

std::string TextEditor::cut() {
    std::string s = selection();
    if (has_selection()) te::stb_textedit_cut(this, &stb_->s);
    return s;
}

CaretPos TextEditor::position_of(int index) const {
    CaretPos p;
    int r = 0;
    for (int i = 0; i < (int)rows_.size(); i++) {
        const WrapRow& row = rows_[i];
        // An index at a soft row end belongs to the next row (where typing continues).
        if (index >= row.start && (index < row.start + row.count || i + 1 == (int)rows_.size())) { r = i; break; }
    }
    const WrapRow& row = rows_[r];
    float x = 0;
    for (int i = row.start; i < index && i < (int)text_.size(); i++)
        if (text_[i] != '\n') x += advance_(text_[i]);
    p.x = x;
    p.y = r * line_height_;
    p.row = r;
    return p;
}

CaretPos TextEditor::caret() const { return position_of(stb_->s.cursor); }

bool TextEditor::take_changed() {
    bool c = changed_;
    changed_ = false;
    return c;
}

}  // namespace parley
