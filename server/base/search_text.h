// Search text: how a query is cut into terms, how text is folded for matching (case and
// the accents of Latin letters), and the highlighted snippet a search result shows.
// Store-independent: the SQLite store builds its FTS5 query from search_terms(), a
// PostgreSQL store can build its own; the domain cuts snippets with search_snippet().
#pragma once
#include <string>
#include <vector>

namespace parley::server {

// A term of a query: a word (matched as a word prefix: "valv" finds "valves") or a run
// of CJK characters (matched as a substring anywhere: 阀门 in 球阀门).
struct SearchTerm {
    std::string text;   // as typed (UTF-8)
    bool cjk = false;
};
std::vector<SearchTerm> search_terms(const std::string& query);

// True for code points written without spaces between words (Han, kana, Hangul).
bool is_cjk(char32_t cp);

// True for the characters of words (letters and digits of any script, '_'): what
// search_terms keeps, and what a store indexes as words.
bool is_search_word(char32_t cp);

// Lower case, accents of Latin letters removed (é → e, Ł → l), one code point per code
// point so that offsets map back to the original.
char32_t search_fold(char32_t cp);

// Up to about `max_bytes` of `text` around its first match (whole when short), newlines
// as spaces, "…" where cut; `ranges` are the matches inside the snippet as
// (byte offset, byte length) pairs.
struct Snippet {
    std::string text;
    std::vector<std::pair<int, int>> ranges;
};
Snippet search_snippet(const std::string& text, const std::vector<SearchTerm>& terms, size_t max_bytes = 180);

// UTF-8 decoding that never fails: a bad byte decodes as U+FFFD of length 1 (encoding:
// append_utf8 in text.h).
char32_t utf8_next(const std::string& s, size_t& i);

}  // namespace parley::server
