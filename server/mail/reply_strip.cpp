#include "server/mail/reply_strip.h"

#include <algorithm>
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

// ">" quotes, also "| " (Outlook Express, Eudora) and supercite's "C> " / "JS> ".
bool quoted(std::string_view raw) {
    size_t i = 0;
    while (i < raw.size() && (raw[i] == ' ' || raw[i] == '\t')) ++i;
    if (i >= raw.size()) return false;
    if (raw[i] == '>') return true;
    auto ends_prefix = [&](size_t j) { return j == raw.size() || raw[j] == ' ' || raw[j] == '>' || raw[j] == '|'; };
    if (raw[i] == '|') {
        // "| Item | Qty |" is a table row of the new text, not a quote.
        size_t e = raw.find_last_not_of(" \t\r");
        return ends_prefix(i + 1) && !(e > i && raw[e] == '|');
    }
    size_t j = i;
    while (j < raw.size() && j - i < 4 && raw[j] >= 'A' && raw[j] <= 'Z') ++j;
    return j > i && j - i <= 3 && j < raw.size() && raw[j] == '>' && ends_prefix(j + 1);
}

// A line of only '-', '_' or '=' (at least 5), as clients put above a header block.
bool rule_line(std::string_view raw) {
    size_t n = 0;
    for (char c : raw) {
        if (c == '-' || c == '_' || c == '=') ++n;
        else if (c != ' ' && c != '\t' && c != '\r') return false;
    }
    return n >= 5;
}

// Text that says it is a mailing list's footer.
bool list_footer_word(std::string_view folded) {
    for (std::string_view w : {"mailing list", "mailingliste", "listinfo", "unsubscribe", "lista de correo",
                               "liste de diffusion"})
        if (folded.find(w) != std::string_view::npos) return true;
    return false;
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
        std::string_view next = lines[i + n].raw;
        if (blank(next)) return 0;
        if (quoted(next)) {
            // Wrapped with its end on a quoted line: "On … <addr>" then "> wrote:", or
            // the address's own ">" starting the line ("…@example.it" then ">:").
            std::string rest = fold_line(next.substr(next.find('>') + 1));
            for (std::string cand : {joined + " " + rest, joined + rest, joined + ">" + rest})
                if (!rest.empty() && is_attribution(cand)) return n + 1;
            return 0;
        }
        joined += joined.back() == '<' ? "" : " ";
        joined += lines[i + n].folded;
        if (is_attribution(joined)) return n + 1;
    }
    return 0;
}

// GroupWise's separator, history unquoted below it: ">>> Name <addr> 12/7/2026 10:14 AM >>>".
bool groupwise_separator(std::string_view raw) {
    raw = raw.substr(std::min(raw.size(), raw.find_first_not_of(" \t")));
    size_t e = raw.find_last_not_of(" \t\r");
    if (e == std::string_view::npos) return false;
    raw = raw.substr(0, e + 1);
    if (raw.size() < 12 || raw.substr(0, 4) != ">>> " || raw.substr(raw.size() - 4) != " >>>") return false;
    for (char c : raw)
        if (c >= '0' && c <= '9') return true;
    return false;
}

// Where the history begins for good (rule 1), lines.size() when nowhere.
size_t hard_cut(std::vector<Line>& lines) {
    for (size_t i = 0; i < lines.size(); ++i) {
        const Line& l = lines[i];
        if (groupwise_separator(l.raw)) return i;
        if (quoted(l.raw) || blank(l.raw)) continue;
        if (is_separator(l.folded)) return i;
        if (is_underscores(l.raw)) {
            size_t j = next_nonblank(lines, i + 1);
            if (j < lines.size() && header_field(lines[j].folded) != 0) return i;
            // A mailing list's footer below the line.
            for (size_t k = j, seen = 0; k < lines.size() && seen < 3; ++k, ++seen)
                if (!quoted(lines[k].raw) && list_footer_word(lines[k].folded)) return i;
        }
        if (rule_line(l.raw)) {
            size_t j = next_nonblank(lines, i + 1);
            if (j < lines.size() && !quoted(lines[j].raw) && header_block(lines, j)) return i;
        }
        if (header_block(lines, i)) return i;
        // GMX/Web.de put the date first: "Gesendet: …" then "Von: …", "An: …".
        if (header_field(l.folded) == 'H' && i + 1 < lines.size() && !blank(lines[i + 1].raw) &&
            header_block(lines, i + 1))
            return i;
        if (size_t n = attribution_at(lines, i)) {
            size_t j = next_nonblank(lines, i + n);
            if (j < lines.size() && !quoted(lines[j].raw)) return i;  // unquoted history below
            for (size_t k = 0; k < n; ++k) lines[i + k].kind = Kind::Attrib;
            i += n - 1;
        }
    }
    return lines.size();
}

// "Sent from my iPhone" as a signature: a short line (at most 7 words) that names a
// device or client, or else is the last line of its run and no sentence; never
// "Sent from my office the drawings are attached." in a text.
bool phone_signature_at(const std::vector<Line>& lines, size_t i) {
    const std::string& f = lines[i].folded;
    if (!is_phone_signature(f)) return false;
    int words = 1;
    for (char c : f) words += c == ' ';
    if (words > 7) return false;
    // A device or client named: a signature wherever it stands in its run.
    for (std::string_view d : {"iphone", "ipad", "android", "yahoo", "outlook", "galaxy", "samsung", "blackberry",
                               "huawei", "mail for windows", "proton mail"})
        if (f.find(d) != std::string::npos) return true;
    // Otherwise only as the last line of its run, not ending as a sentence.
    if (f.back() == '.' || f.back() == '!' || f.back() == '?') return false;
    for (size_t j = i + 1; j < lines.size() && lines[j].kind == Kind::Text && !quoted(lines[j].raw); ++j)
        if (!blank(lines[j].raw)) return false;
    return true;
}

// Rule 5 on the kept lines.
std::string join_lines(const std::vector<std::string_view>& out) {
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
        if (r == "--" || (!in_sig && phone_signature_at(lines, i))) in_sig = true;
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
    return join_lines(out);
}

StrippedReply strip_reply_keep(std::string_view text) {
    std::string stripped = strip_reply(text);
    if (!stripped.empty()) return {std::move(stripped), false};
    // Nothing left: is there any line that is none of quote, attribution, separator,
    // header field, rule or signature? Then the stripping lost a real reply.
    std::vector<Line> lines = split_lines(text);
    bool content = false;
    for (size_t i = 0; i < lines.size() && !content; ++i) {
        const Line& l = lines[i];
        if (blank(l.raw) || quoted(l.raw)) continue;
        if (size_t n = attribution_at(lines, i)) {
            i += n - 1;
            continue;
        }
        std::string_view r = rtrim(l.raw);
        if (r == "--" || r == "-- " || rule_line(l.raw) || is_separator(l.folded) || header_field(l.folded) != 0 ||
            is_phone_signature(l.folded))
            continue;
        content = true;
    }
    if (!content) return {};
    std::vector<std::string_view> out;
    for (const auto& l : lines) out.push_back(rtrim(l.raw));
    return {join_lines(out), true};
}

}  // namespace parley::server
