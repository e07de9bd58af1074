#include "server/mail/reply_strip.h"

#include <vector>

#include "server/mail/reply_patterns.h"

namespace parley::server {
namespace {

using namespace reply;

enum class Kind { Text, Quote, Attrib };

// A line is a view into the text: only lines that can be markers (neither blank nor
// quoted) get a folded copy, so memory stays a small constant per line of the text.
struct Line {
    std::string_view raw;  // without line end
    std::string folded;    // fold_line(raw), only for lines neither blank nor quoted
    Kind kind = Kind::Text;
};

bool blank(std::string_view s) {
    for (char c : s)
        if (c != ' ' && c != '\t' && c != '\r') return false;
    return true;
}

bool quoted(std::string_view raw) {
    size_t i = 0;
    while (i < raw.size() && (raw[i] == ' ' || raw[i] == '\t')) ++i;
    return i < raw.size() && raw[i] == '>';
}

std::vector<Line> split_lines(std::string_view text) {
    std::vector<Line> lines;
    size_t start = 0;
    for (size_t i = 0; i <= text.size(); ++i) {
        if (i == text.size() || text[i] == '\n' || text[i] == '\r') {
            lines.push_back(Line{text.substr(start, i - start), {}, Kind::Text});
            if (i < text.size() && text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            start = i + 1;
        }
    }
    for (auto& l : lines)
        if (!blank(l.raw) && !quoted(l.raw)) l.folded = fold_line(l.raw);
    return lines;
}

size_t next_nonblank(const std::vector<Line>& lines, size_t i) {
    while (i < lines.size() && blank(lines[i].raw)) ++i;
    return i;
}

// An Outlook header block starting at i: a From field and at least two other header
// fields among the next lines (blank lines allowed between them).
bool header_block(const std::vector<Line>& lines, size_t i) {
    if (header_field(lines[i].folded) != 'F') return false;
    int others = 0;
    size_t j = i + 1;
    for (int seen = 0; j < lines.size() && seen < 8; ++j) {
        if (blank(lines[j].raw)) continue;
        ++seen;
        char k = header_field(lines[j].folded);
        if (k == 'H') ++others;
        else if (others > 0) break;  // a wrapped To/Cc list line stops the count
    }
    return others >= 2;
}

// How many lines (1..3) starting at i form an attribution, 0 if none.
size_t attribution_at(const std::vector<Line>& lines, size_t i) {
    if (quoted(lines[i].raw) || blank(lines[i].raw)) return 0;
    if (is_attribution(lines[i].folded)) return 1;
    if (!starts_attribution(lines[i].folded)) return 0;
    std::string joined = lines[i].folded;
    for (size_t n = 1; n < 3 && i + n < lines.size(); ++n) {
        if (blank(lines[i + n].raw) || quoted(lines[i + n].raw)) return 0;
        joined += ' ';
        joined += lines[i + n].folded;
        if (is_attribution(joined)) return n + 1;
    }
    return 0;
}

// Where the history begins for good (rule 1), lines.size() when nowhere.
size_t hard_cut(std::vector<Line>& lines) {
    for (size_t i = 0; i < lines.size(); ++i) {
        const Line& l = lines[i];
        if (quoted(l.raw) || blank(l.raw)) continue;
        if (is_separator(l.folded)) return i;
        if (is_underscores(l.raw)) {
            size_t j = next_nonblank(lines, i + 1);
            if (j < lines.size() && header_field(lines[j].folded) != 0) return i;
        }
        if (header_block(lines, i)) return i;
        if (size_t n = attribution_at(lines, i)) {
            size_t j = next_nonblank(lines, i + n);
            if (j < lines.size() && !quoted(lines[j].raw)) return i;  // unquoted history below
            for (size_t k = 0; k < n; ++k) lines[i + k].kind = Kind::Attrib;
            i += n - 1;
        }
    }
    return lines.size();
}

std::string_view rtrim(std::string_view s) {
    size_t e = s.size();
    while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r')) --e;
    return s.substr(0, e);
}

}  // namespace

std::string strip_reply(std::string_view text) {
    std::vector<Line> lines = split_lines(text);
    size_t end = hard_cut(lines);
    lines.resize(end);
    for (auto& l : lines)
        if (l.kind == Kind::Text && quoted(l.raw)) l.kind = Kind::Quote;

    // Rule 4: signatures end their run of new text (a run ends at a quote/attribution).
    bool in_sig = false;
    std::vector<bool> drop(lines.size(), false);
    for (size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].kind != Kind::Text) {
            in_sig = false;
            continue;
        }
        const std::string_view r = rtrim(lines[i].raw);
        if (r == "--" || is_phone_signature(lines[i].folded))
            in_sig = true;
        drop[i] = in_sig;
    }

    // Rule 3: runs of new text (non-blank Text lines, signatures excluded).
    size_t first_quote = lines.size(), last_answer = lines.size();
    int runs_after_quote = 0;
    bool in_run = false;
    for (size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].kind != Kind::Text) {
            if (first_quote == lines.size()) first_quote = i;
            in_run = false;
            continue;
        }
        if (drop[i] || blank(lines[i].raw)) continue;
        if (!in_run && first_quote < i) ++runs_after_quote;
        in_run = true;
        last_answer = i;
    }
    // Inline answers: two or more runs of new text after the first quoted line.
    bool inline_mode = runs_after_quote >= 2;

    std::vector<std::string_view> out;
    for (size_t i = 0; i < lines.size(); ++i) {
        if (drop[i]) continue;
        if (lines[i].kind == Kind::Attrib) continue;
        if (lines[i].kind == Kind::Quote) {
            if (!inline_mode || last_answer == lines.size() || i > last_answer) continue;
            out.push_back(rtrim(lines[i].raw));
            continue;
        }
        out.push_back(rtrim(lines[i].raw));
    }
    // Rule 5: blank lines.
    std::string result;
    bool pending_blank = false;
    for (const auto& l : out) {
        if (l.empty()) {
            pending_blank = !result.empty();
            continue;
        }
        if (pending_blank) result += "\n\n";
        else if (!result.empty()) result += '\n';
        pending_blank = false;
        result += l;
    }
    return result;
}

}  // namespace parley::server
