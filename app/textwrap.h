// Word wrapping for every script, shared by the composer and the message view.
// Works on UTF-32 so a row never cuts a UTF-8 sequence; breaks after spaces, around
// CJK characters (which have no spaces), and inside words too long for a row.
#pragma once
#include <functional>
#include <string>
#include <vector>

namespace parley {

struct WrapRow {
    int start = 0;    // first character (UTF-32 index)
    int count = 0;    // characters in the row, including a trailing '\n' or spaces
    float width = 0;  // drawn width, without trailing spaces and '\n'
};

using Advance = std::function<float(char32_t)>;

// Always at least one row; text ending in '\n' gets an empty last row (for the caret).
std::vector<WrapRow> wrap_text(const std::u32string& text, float max_width, const Advance& advance);

bool is_cjk(char32_t c);             // ideographs, kana, hangul, CJK punctuation, fullwidth forms
bool is_space(char32_t c);           // breakable space (not NBSP)
std::u32string utf8_to_u32(const std::string& s);  // invalid bytes become U+FFFD
std::string u32_to_utf8(const std::u32string& s, size_t begin = 0, size_t end = std::u32string::npos);
void append_utf8(std::string& out, char32_t c);

}  // namespace parley
