// Small text helpers shared by the server files.
#pragma once
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

}  // namespace parley::server
