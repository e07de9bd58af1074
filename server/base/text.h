// Small text helpers shared by the server files.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace parley::server {

inline bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

inline std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

// `prefix` then the decimal `id` ("m12", "r3"). Built by appending: GCC 12 warns
// (falsely, -Wrestrict) on `"literal" + std::to_string(...)`.
inline std::string tagged_id(std::string_view prefix, int64_t id) {
    std::string s(prefix);
    s += std::to_string(id);
    return s;
}

// ASCII letters lowered; other bytes (UTF-8 included) unchanged.
inline std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// At most `max` bytes of valid UTF-8 `s`, cut before a continuation byte.
inline std::string utf8_prefix(const std::string& s, size_t max) {
    if (s.size() <= max) return s;
    while (max > 0 && (static_cast<unsigned char>(s[max]) & 0xC0) == 0x80) --max;
    return s.substr(0, max);
}

// At most max_bytes of s, cut at a UTF-8 character boundary, with "…" if cut.
// Line breaks become spaces (snippets are one line).
inline std::string snippet_of(std::string_view s, size_t max_bytes = 140) {
    s = trim(s);
    bool cut = false;
    if (s.size() > max_bytes) {
        size_t n = max_bytes;
        while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
        s = s.substr(0, n);
        cut = true;
    }
    std::string out(s);
    for (char& c : out)
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    if (cut) out += "\xE2\x80\xA6";
    return out;
}

// Appends code point cp as UTF-8; NUL, surrogates and cp > 0x10FFFF become U+FFFD.
inline void append_utf8(std::string& out, uint32_t cp) {
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Text for HTML (element content or a quoted attribute): & < > " ' escaped; with
// `newlines`, line breaks become <br>. Carriage returns are dropped.
inline std::string html_escape(std::string_view s, bool newlines = false) {
    std::string out;
    out.reserve(s.size() + s.size() / 8);
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            case '\r': break;
            case '\n': out += newlines ? "<br>\n" : "\n"; break;
            default: out += c;
        }
    }
    return out;
}

}  // namespace parley::server
