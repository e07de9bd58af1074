// What machine translation must not touch. See protect.h.
#include "server/translate/protect.h"

#include <algorithm>
#include <cctype>

namespace parley::server {
namespace {

bool ascii_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

// Whitespace run length at i (ASCII whitespace and U+00A0).
size_t space_at(std::string_view s, size_t i) {
    if (i < s.size() && ascii_space(static_cast<unsigned char>(s[i]))) return 1;
    if (i + 1 < s.size() && static_cast<unsigned char>(s[i]) == 0xC2 && static_cast<unsigned char>(s[i + 1]) == 0xA0)
        return 2;
    return 0;
}

bool starts_with_ci(std::string_view s, std::string_view p) {
    if (s.size() < p.size()) return false;
    for (size_t i = 0; i < p.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(s[i])) != p[i]) return false;
    return true;
}

// Punctuation that belongs to the sentence, not to the token it touches.
constexpr std::string_view kLead[] = {"(", "[", "\"", "'", "\xC2\xBF" /*¿*/, "\xC2\xA1" /*¡*/, "\xC2\xAB" /*«*/,
                                      "\xE2\x80\x9C" /*“*/, "\xE2\x80\x98" /*‘*/};
constexpr std::string_view kTrail[] = {".", ",", ";", ":", "!", "?", ")", "]", "\"", "'", "\xC2\xBB" /*»*/,
                                       "\xE2\x80\x9D" /*”*/, "\xE2\x80\x99" /*’*/, "\xE2\x80\xA6" /*…*/};

size_t strip_lead(std::string_view w) {
    size_t n = 0;
    for (bool again = true; again;) {
        again = false;
        for (auto p : kLead)
            if (w.substr(n).rfind(p, 0) == 0 && n + p.size() < w.size()) { n += p.size(); again = true; }
    }
    return n;
}

size_t strip_trail(std::string_view w) {
    size_t n = 0;
    for (bool again = true; again;) {
        again = false;
        for (auto p : kTrail) {
            std::string_view rest = w.substr(0, w.size() - n);
            if (rest.size() > p.size() && rest.substr(rest.size() - p.size()) == p) { n += p.size(); again = true; }
        }
    }
    return n;
}

constexpr std::string_view kCurrencies[] = {"EUR", "USD", "GBP", "CHF", "JPY", "CNY", "RUB", "SEK", "NOK", "DKK",
                                            "PLN", "CZK", "MXN", "BRL", "CAD", "AUD", "INR", "\xE2\x82\xAC" /*€*/,
                                            "$", "\xC2\xA3" /*£*/, "\xC2\xA5" /*¥*/, "\xE2\x82\xBD" /*₽*/};
constexpr std::string_view kUnits[] = {
    "mm", "cm", "m", "km", "m2", "m3", "m\xC2\xB2", "m\xC2\xB3", "kg", "g", "t", "l", "ml", "bar", "psi", "kW", "W",
    "kV", "V", "A", "Hz", "kHz", "rpm", "\xC2\xB0" "C", "\xC2\xB0", "%", "pcs", "pc", "h", "min", "s", "in", "ft",
    "lb", "lbs", "Nm", "kN", "N", "MPa", "kPa", "Pa", "l/min", "m3/h", "m\xC2\xB3/h", "dB"};

template <size_t N>
bool one_of(std::string_view w, const std::string_view (&list)[N]) {
    return std::find(std::begin(list), std::end(list), w) != std::end(list);
}

bool has_digit(std::string_view w) {
    return std::any_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_url(std::string_view w) {
    return starts_with_ci(w, "http://") || starts_with_ci(w, "https://") || starts_with_ci(w, "www.") ||
           starts_with_ci(w, "ftp://") || starts_with_ci(w, "mailto:");
}

bool is_email(std::string_view w) {
    size_t at = w.find('@');
    return at != std::string_view::npos && at > 0 && w.find('.', at) != std::string_view::npos &&
           w.find('.', at) + 1 < w.size();
}

// "PTFE", "AISI", "EN-1092": an acronym or code (ASCII capitals, at least two, no
// lower case). Not used when the whole text shouts, where capitals are just words.
bool is_code(std::string_view w) {
    int upper = 0;
    for (char c : w) {
        if (c >= 'A' && c <= 'Z') ++upper;
        else if (c >= 'a' && c <= 'z') return false;
        else if (static_cast<unsigned char>(c) >= 0x80) return false;
    }
    return upper >= 2;
}

bool shouting(std::string_view s) {
    int upper = 0, lower = 0;
    for (char c : s) {
        if (c >= 'A' && c <= 'Z') ++upper;
        else if (c >= 'a' && c <= 'z') ++lower;
    }
    return upper > 8 && upper > 2 * lower;
}

struct Part {
    enum Kind { space, newline, word } kind;
    std::string_view text;
    bool keep = false;
    bool numeric = false;  // a kept token with a digit (prices and quantities attach to it)
};

void add(std::vector<TextPiece>& out, bool keep, std::string_view text) {
    if (text.empty()) return;
    if (!out.empty() && out.back().keep == keep) out.back().text += text;
    else out.push_back({keep, std::string(text)});
}

constexpr std::string_view kReserved = "\\[]^$/@<>{}*~#+|";

void escape_into(std::string& out, std::string_view s) {
    for (char c : s) {
        if (kReserved.find(c) != std::string_view::npos) out += '\\';
        out += c;
    }
}

// A translatable piece without its surrounding whitespace, and whether it has a letter
// (a piece of punctuation alone is not worth sending).
struct Core {
    size_t begin = 0, end = 0;
    bool letter = false;
};
Core core_of(std::string_view t) {
    Core c{0, t.size(), false};
    while (c.begin < c.end && space_at(t, c.begin)) c.begin += space_at(t, c.begin);
    while (c.end > c.begin && ascii_space(static_cast<unsigned char>(t[c.end - 1]))) --c.end;
    c.letter = std::any_of(t.begin() + c.begin, t.begin() + c.end, [](char ch) {
        return std::isalpha(static_cast<unsigned char>(ch)) || static_cast<unsigned char>(ch) >= 0x80;
    });
    return c;
}

}  // namespace

std::vector<TextPiece> protect_text(std::string_view text) {
    // 1. Cut into whitespace runs (those with a line break kept whole) and words; a word
    //    is split into leading punctuation, core, trailing punctuation.
    std::vector<Part> parts;
    const bool shout = shouting(text);
    size_t i = 0;
    while (i < text.size()) {
        size_t j = i;
        bool nl = false;
        while (j < text.size()) {
            size_t n = space_at(text, j);
            if (!n) break;
            nl = nl || text[j] == '\n';
            j += n;
        }
        if (j > i) {
            parts.push_back({nl ? Part::newline : Part::space, text.substr(i, j - i)});
            i = j;
            continue;
        }
        while (j < text.size() && !space_at(text, j)) ++j;
        std::string_view w = text.substr(i, j - i);
        size_t lead = strip_lead(w);
        std::string_view rest = w.substr(lead);
        bool url_like = is_url(rest) || is_email(rest);
        size_t trail = strip_trail(rest);
        std::string_view core = rest.substr(0, rest.size() - trail);
        bool keep = url_like || is_email(core) || has_digit(core) || (!shout && is_code(core));
        if (keep) {
            if (lead) parts.push_back({Part::word, w.substr(0, lead)});
            parts.push_back({Part::word, core, true, has_digit(core)});
            if (trail) parts.push_back({Part::word, rest.substr(core.size())});
        } else {
            parts.push_back({Part::word, w});
        }
        i = j;
    }
    // 2. A currency or unit next to a kept number goes with it ("12,50 EUR", "€ 40",
    //    "200 kg"), across one run of spaces.
    auto neighbour_numeric = [&](size_t k, int dir) {
        long n = static_cast<long>(k) + dir;
        if (n < 0 || n >= static_cast<long>(parts.size()) || parts[n].kind != Part::space) {
            // directly attached ("€40" is one word already); nothing to do
            return false;
        }
        n += dir;
        return n >= 0 && n < static_cast<long>(parts.size()) && parts[n].keep && parts[n].numeric;
    };
    for (size_t k = 0; k < parts.size(); ++k) {
        Part& p = parts[k];
        if (p.kind != Part::word || p.keep) continue;
        bool unit = one_of(p.text, kUnits), money = one_of(p.text, kCurrencies);
        if ((money && (neighbour_numeric(k, -1) || neighbour_numeric(k, +1))) || (unit && neighbour_numeric(k, -1))) {
            p.keep = true;
            if (k > 0 && parts[k - 1].kind == Part::space && neighbour_numeric(k, -1)) parts[k - 1].keep = true;
            if (money && k + 1 < parts.size() && parts[k + 1].kind == Part::space && neighbour_numeric(k, +1))
                parts[k + 1].keep = true;
        }
    }
    // 3. Spaces between two kept parts join them: "DN50 PN16" stays one piece.
    for (size_t k = 1; k + 1 < parts.size(); ++k)
        if (parts[k].kind == Part::space && parts[k - 1].keep && parts[k + 1].keep) parts[k].keep = true;

    std::vector<TextPiece> out;
    for (const Part& p : parts) add(out, p.keep || p.kind == Part::newline, p.text);
    return out;
}

std::string join_pieces(const std::vector<TextPiece>& pieces) {
    std::string s;
    for (const auto& p : pieces) s += p.text;
    return s;
}

std::string to_apertium_stream(const std::vector<TextPiece>& pieces) {
    std::string out;
    int k = 0;
    for (const auto& p : pieces) {
        if (p.keep) out += "[@k" + std::to_string(k++) + "]";
        else escape_into(out, p.text);
    }
    // Without a blank after the last word the pipeline holds it back (it may start a
    // multi-word unit) until the next text arrives: end every text with an empty superblank.
    out += "[]";
    return out;
}

bool from_apertium_stream(std::string_view s, const std::vector<TextPiece>& pieces, std::string& out) {
    std::vector<const std::string*> kept;
    for (const auto& p : pieces)
        if (p.keep) kept.push_back(&p.text);
    std::vector<bool> seen(kept.size(), false);
    out.clear();
    bool word_start = true;
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '\\' && i + 1 < s.size()) {
            out += s[++i];
            word_start = false;
        } else if (c == '[') {
            size_t j = i + 1;
            std::string inner;
            while (j < s.size() && s[j] != ']') {
                if (s[j] == '\\' && j + 1 < s.size()) ++j;
                inner += s[j++];
            }
            i = j;
            if (inner.size() > 2 && inner.compare(0, 2, "@k") == 0) {
                size_t n = 0;
                for (size_t q = 2; q < inner.size(); ++q) {
                    if (inner[q] < '0' || inner[q] > '9') return false;
                    n = n * 10 + static_cast<size_t>(inner[q] - '0');
                }
                if (n >= kept.size() || seen[n]) return false;
                seen[n] = true;
                out += *kept[n];
                word_start = true;
            }
        } else if ((c == '*' || c == '#' || c == '@') && word_start) {
            // unknown-word and generation marks of the pipeline
        } else if (c == '\0') {
            // the null flush of -z mode
        } else {
            out += c;
            word_start = ascii_space(static_cast<unsigned char>(c));
        }
    }
    return std::all_of(seen.begin(), seen.end(), [](bool b) { return b; });
}

std::vector<std::string> translatable_segments(const std::vector<TextPiece>& pieces) {
    std::vector<std::string> out;
    for (const auto& p : pieces) {
        if (p.keep) continue;
        Core c = core_of(p.text);
        if (c.letter) out.emplace_back(p.text.substr(c.begin, c.end - c.begin));
    }
    return out;
}

std::string rebuild_from_segments(const std::vector<TextPiece>& pieces, const std::vector<std::string>& translated) {
    std::string out;
    size_t next = 0;
    for (const auto& p : pieces) {
        Core c = core_of(p.text);
        if (p.keep || !c.letter || next >= translated.size()) {
            out += p.text;
            continue;
        }
        out += p.text.substr(0, c.begin);
        out += translated[next++];
        out += p.text.substr(c.end);
    }
    return out;
}

}  // namespace parley::server
