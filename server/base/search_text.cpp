#include "server/base/search_text.h"

#include <algorithm>

#include "server/base/text.h"

namespace parley::server {

char32_t utf8_next(const std::string& s, size_t& i) {
    const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + static_cast<size_t>(len) > s.size()) {
        ++i;
        return 0xFFFD;
    }
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < len; ++k) {
        if ((b(i + static_cast<size_t>(k)) & 0xC0) != 0x80) {
            ++i;
            return 0xFFFD;
        }
        cp = (cp << 6) | (b(i + static_cast<size_t>(k)) & 0x3F);
    }
    i += static_cast<size_t>(len);
    return cp;
}

bool is_cjk(char32_t cp) {
    return (cp >= 0x2E80 && cp <= 0x2FDF) ||   // radicals
           (cp >= 0x3040 && cp <= 0x30FF) ||   // hiragana, katakana
           (cp >= 0x3400 && cp <= 0x4DBF) ||   // ideographs, extension A
           (cp >= 0x4E00 && cp <= 0x9FFF) ||   // ideographs
           (cp >= 0xAC00 && cp <= 0xD7AF) ||   // Hangul syllables
           (cp >= 0xF900 && cp <= 0xFAFF) ||   // compatibility ideographs
           (cp >= 0xFF66 && cp <= 0xFF9F) ||   // half-width katakana
           (cp >= 0x20000 && cp <= 0x2FFFF);   // extensions B…
}

char32_t search_fold(char32_t c) {
    if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
    if (c >= 0xC0 && c <= 0xFF) {
        // À..ÿ: the base letter (× and ÷ stay, ß stays, æ ð þ stay).
        static const char kLatin1[] = "aaaaaaaceeeeiiii" "dnooooo*ouuuuyts"  // C0..DF (D7 ×, DE Þ, DF ß)
                                      "aaaaaaaceeeeiiii" "dnooooo/ouuuuyty";  // E0..FF
        static_assert(sizeof(kLatin1) == 0x40 + 1, "one letter per code point U+00C0..U+00FF");
        const char b = kLatin1[c - 0xC0];
        if (c == 0xC6 || c == 0xE6) return 0xE6;                   // æ
        if (c == 0xD0 || c == 0xF0) return 0xF0;                   // ð
        if (c == 0xDE || c == 0xFE) return 0xFE;                   // þ
        if (c == 0xDF) return 0xDF;                                // ß
        if (b == '*' || b == '/') return c;
        return static_cast<char32_t>(b);
    }
    if (c >= 0x100 && c <= 0x17F) {
        static const char kExtA[] = "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiIiJjKkkLlLlLlLlLlNnNnNnnNn"
                                    "OoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";
        static_assert(sizeof(kExtA) == 0x80 + 1, "one letter per code point U+0100..U+017F");
        const char b = kExtA[c - 0x100];
        return static_cast<char32_t>(b >= 'A' && b <= 'Z' ? b + 32 : b);
    }
    if (c >= 0x410 && c <= 0x42F) return c + 0x20;   // Cyrillic capitals
    if (c >= 0x400 && c <= 0x40F) return c + 0x50;   // Ѐ..Џ
    if (c >= 0x391 && c <= 0x3A9) return c + 0x20;   // Greek capitals
    return c;
}

// Letters and digits of any script (for word boundaries); ASCII punctuation and spaces
// and the common Unicode punctuation are not.
bool is_search_word(char32_t c) {
    if (c < 0x80) return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (c == 0xA0 || c == 0xAB || c == 0xBB || c == 0xD7 || c == 0xF7 || c == 0xB7) return false;
    if (c >= 0x2000 && c <= 0x206F) return false;   // general punctuation (— ‘ ’ “ ” …)
    if (c >= 0x3000 && c <= 0x303F) return false;   // CJK punctuation (、。「」)
    if (c >= 0xFF00 && c <= 0xFF0F) return false;   // full-width punctuation
    if (c >= 0xFF1A && c <= 0xFF20) return false;
    return true;
}

std::vector<SearchTerm> search_terms(const std::string& query) {
    std::vector<SearchTerm> out;
    std::string cur;
    bool cur_cjk = false;
    auto flush = [&] {
        if (!cur.empty()) out.push_back({cur, cur_cjk});
        cur.clear();
    };
    for (size_t i = 0; i < query.size() && out.size() < 16;) {
        const char32_t c = utf8_next(query, i);
        if (!is_search_word(c) || c == 0xFFFD) {
            flush();
            continue;
        }
        const bool cjk = is_cjk(c);
        if (!cur.empty() && cjk != cur_cjk) flush();
        cur_cjk = cjk;
        append_utf8(cur, c);
    }
    flush();
    return out;
}

namespace {
struct Folded {
    std::u32string cps;          // folded code points
    std::vector<size_t> offset;  // byte offset of each in the original (+ one past the end)
};
Folded fold(const std::string& s) {
    Folded f;
    for (size_t i = 0; i < s.size();) {
        f.offset.push_back(i);
        f.cps.push_back(search_fold(utf8_next(s, i)));
    }
    f.offset.push_back(s.size());
    return f;
}
std::u32string fold_term(const std::string& t) { return fold(t).cps; }
}  // namespace

Snippet search_snippet(const std::string& text, const std::vector<SearchTerm>& terms, size_t max_bytes) {
    const Folded f = fold(text);
    // Every match in the whole text, as code point ranges.
    std::vector<std::pair<size_t, size_t>> hits;
    for (const SearchTerm& t : terms) {
        const std::u32string needle = fold_term(t.text);
        if (needle.empty()) continue;
        for (size_t pos = f.cps.find(needle); pos != std::u32string::npos; pos = f.cps.find(needle, pos + 1)) {
            // Words match at the start of a word; CJK anywhere.
            if (!t.cjk && pos > 0 && is_search_word(f.cps[pos - 1]) && !is_cjk(f.cps[pos - 1])) continue;
            hits.push_back({pos, pos + needle.size()});
            if (hits.size() > 64) break;
        }
    }
    std::sort(hits.begin(), hits.end());
    // The window: from a little before the first match, cut at code points.
    size_t from = 0, to = f.cps.size();
    if (text.size() > max_bytes) {
        const size_t first_byte = hits.empty() ? 0 : f.offset[hits.front().first];
        size_t start_byte = first_byte > max_bytes / 3 ? first_byte - max_bytes / 3 : 0;
        while (from < f.cps.size() && f.offset[from] < start_byte) ++from;
        // Start after a space when one is near, so the snippet does not begin mid-word.
        for (size_t k = from; k < f.cps.size() && k < from + 12; ++k)
            if (f.cps[k] == ' ' && k + 1 < f.cps.size() && (hits.empty() || k + 1 <= hits.front().first)) {
                from = k + 1;
                break;
            }
        to = from;
        while (to < f.cps.size() && f.offset[to + 1] - f.offset[from] <= max_bytes) ++to;
    }
    Snippet out;
    if (from > 0) out.text = "…";
    // Byte offset in the snippet of each code point of the window.
    std::vector<int> at(to - from + 1, 0);
    for (size_t k = from; k < to; ++k) {
        at[k - from] = static_cast<int>(out.text.size());
        const char32_t c = [&] {
            size_t i = f.offset[k];
            return utf8_next(text, i);
        }();
        append_utf8(out.text, c == '\n' || c == '\r' || c == '\t' ? U' ' : c);
    }
    at[to - from] = static_cast<int>(out.text.size());
    if (to < f.cps.size()) out.text += "…";
    for (const auto& [a, b] : hits) {
        if (a < from || b > to) continue;
        if (!out.ranges.empty() && at[a - from] < out.ranges.back().first + out.ranges.back().second) continue;
        out.ranges.push_back({at[a - from], at[b - from] - at[a - from]});
    }
    return out;
}

}  // namespace parley::server
