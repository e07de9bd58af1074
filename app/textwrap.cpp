#include "app/textwrap.h"

namespace parley {

bool is_cjk(char32_t c) {
    return (c >= 0x1100 && c <= 0x11FF) ||   // Hangul Jamo
           (c >= 0x2E80 && c <= 0x303F) ||   // CJK radicals, punctuation
           (c >= 0x3040 && c <= 0x30FF) ||   // Hiragana, Katakana
           (c >= 0x3100 && c <= 0x31FF) ||   // Bopomofo, Katakana ext
           (c >= 0x3200 && c <= 0x4DBF) ||   // enclosed CJK, ext A
           (c >= 0x4E00 && c <= 0x9FFF) ||   // unified ideographs
           (c >= 0xAC00 && c <= 0xD7AF) ||   // Hangul syllables
           (c >= 0xF900 && c <= 0xFAFF) ||   // compatibility ideographs
           (c >= 0xFF00 && c <= 0xFFEF) ||   // fullwidth forms
           (c >= 0x20000 && c <= 0x3134F);   // ext B…
}

bool is_space(char32_t c) { return c == ' ' || c == '\t' || c == 0x3000 || (c >= 0x2000 && c <= 0x200B); }

// Characters that must not start a row (closing punctuation; Japanese/Chinese rules).
static bool no_break_before(char32_t c) {
    switch (c) {
        case U'、': case U'。': case U'，': case U'．': case U'！': case U'？': case U'）': case U'」':
        case U'』': case U'】': case U'〉': case U'》': case U'ー': case U'・': case U'：': case U'；':
        case U'ぁ': case U'ぃ': case U'ぅ': case U'ぇ': case U'ぉ': case U'っ': case U'ゃ': case U'ゅ':
        case U'ょ': case U'ァ': case U'ィ': case U'ゥ': case U'ェ': case U'ォ': case U'ッ': case U'ャ':
        case U'ュ': case U'ョ': case ',': case '.': case '!': case '?': case ')': case ':': case ';':
            return true;
        default: return false;
    }
}

std::vector<WrapRow> wrap_text(const std::u32string& t, float max_width, const Advance& advance) {
    std::vector<WrapRow> rows;
    const int n = (int)t.size();
    int start = 0;
    for (;;) {
        float w = 0;        // width so far, hanging spaces included
        float ink = 0;      // width up to the last non-space character
        int brk = -1;       // where the next row may start (-1: nowhere yet)
        float ink_at_brk = 0;
        int next = -1;      // where the next row does start
        float row_w = 0;
        for (int i = start; i < n; i++) {
            const char32_t c = t[i];
            if (c == '\n') { next = i + 1; row_w = ink; break; }
            const float a = advance(c);
            if (is_space(c)) {  // spaces hang past the edge and open a break after them
                w += a;
                brk = i + 1;
                ink_at_brk = ink;
                continue;
            }
            // Around CJK characters a row may break anywhere, except before closing
            // punctuation.
            if (i > start && !is_space(t[i - 1]) && !no_break_before(c) && (is_cjk(c) || is_cjk(t[i - 1]))) {
                brk = i;
                ink_at_brk = ink;
            }
            if (w + a > max_width && i > start) {
                if (brk > start) { next = brk; row_w = ink_at_brk; }  // at the last opportunity
                else { next = i; row_w = ink; }                         // a word longer than a row
                break;
            }
            w += a;
            ink = w;
        }
        if (next < 0) {  // the rest fits
            rows.push_back({start, n - start, ink});
            return rows;
        }
        rows.push_back({start, next - start, row_w});
        start = next;
        // A final '\n' still gets its (empty) row on the next turn, for the caret.
        if (start == n && t[n - 1] != '\n') return rows;
    }
}

void append_utf8(std::string& out, char32_t c) {
    if (c < 0x80) out += (char)c;
    else if (c < 0x800) { out += (char)(0xC0 | (c >> 6)); out += (char)(0x80 | (c & 0x3F)); }
    else if (c < 0x10000) {
        out += (char)(0xE0 | (c >> 12)); out += (char)(0x80 | ((c >> 6) & 0x3F)); out += (char)(0x80 | (c & 0x3F));
    } else {
        out += (char)(0xF0 | (c >> 18)); out += (char)(0x80 | ((c >> 12) & 0x3F));
        out += (char)(0x80 | ((c >> 6) & 0x3F)); out += (char)(0x80 | (c & 0x3F));
    }
}

std::u32string utf8_to_u32(const std::string& s) {
    std::u32string out;
    out.reserve(s.size());
    const unsigned char* p = (const unsigned char*)s.data();
    const size_t n = s.size();
    for (size_t i = 0; i < n;) {
        unsigned char b = p[i];
        int len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
        char32_t c = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
        bool ok = len > 0 && i + len <= n;
        for (int k = 1; ok && k < len; k++) {
            if ((p[i + k] & 0xC0) != 0x80) ok = false;
            else c = (c << 6) | (p[i + k] & 0x3F);
        }
        // Reject overlong forms, surrogates and out-of-range values.
        if (ok && ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
                   (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF))
            ok = false;
        if (!ok) { out += U'\uFFFD'; i += 1; continue; }
        out += c;
        i += len;
    }
    return out;
}

std::string u32_to_utf8(const std::u32string& s, size_t begin, size_t end) {
    if (end > s.size()) end = s.size();
    std::string out;
    out.reserve(end > begin ? end - begin : 0);
    for (size_t i = begin; i < end; i++) append_utf8(out, s[i]);
    return out;
}

}  // namespace parley
