#include "server/mail/html_text.h"
#include "server/base/text.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>

namespace parley::server {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool ieq_prefix(std::string_view s, size_t at, std::string_view p) {
    if (at + p.size() > s.size()) return false;
    for (size_t i = 0; i < p.size(); ++i)
        if (lower(s[at + i]) != p[i]) return false;
    return true;
}

struct Entity {
    const char* name;
    uint32_t cp;
};
constexpr Entity kEntities[] = {
    {"nbsp", 0xA0},   {"amp", '&'},      {"lt", '<'},       {"gt", '>'},       {"quot", '"'},
    {"apos", '\''},   {"copy", 0xA9},    {"reg", 0xAE},     {"trade", 0x2122}, {"euro", 0x20AC},
    {"pound", 0xA3},  {"yen", 0xA5},     {"cent", 0xA2},    {"sect", 0xA7},    {"deg", 0xB0},
    {"plusmn", 0xB1}, {"times", 0xD7},   {"divide", 0xF7},  {"middot", 0xB7},  {"bull", 0x2022},
    {"hellip", 0x2026}, {"ndash", 0x2013}, {"mdash", 0x2014}, {"lsquo", 0x2018}, {"rsquo", 0x2019},
    {"sbquo", 0x201A}, {"ldquo", 0x201C}, {"rdquo", 0x201D}, {"bdquo", 0x201E}, {"laquo", 0xAB},
    {"raquo", 0xBB},  {"iexcl", 0xA1},   {"iquest", 0xBF},  {"ordf", 0xAA},    {"ordm", 0xBA},
    {"szlig", 0xDF},  {"shy", 0xAD},     {"zwnj", 0x200C},  {"zwj", 0x200D},   {"ensp", 0x2002},
    {"emsp", 0x2003}, {"thinsp", 0x2009}, {"micro", 0xB5},  {"para", 0xB6},    {"frac12", 0xBD},
    {"ge", 0x2265},   {"le", 0x2264},    {"ne", 0x2260},    {"minus", 0x2212}, {"rarr", 0x2192},
    {"larr", 0x2190}, {"frac14", 0xBC},  {"frac34", 0xBE},  {"sup2", 0xB2},    {"sup3", 0xB3},
    {"AElig", 0xC6},  {"aelig", 0xE6},   {"Oslash", 0xD8},  {"oslash", 0xF8},  {"Aring", 0xC5},
    {"aring", 0xE5},  {"OElig", 0x152},  {"oelig", 0x153},
};
// Latin-1 letters: &Xacute; etc. by base letter and accent.
struct Accent {
    const char* suffix;
    const char* letters;   // base letters in order
    const uint16_t* cps;   // code points for lower-case letters; upper = cp - 0x20
};
constexpr uint16_t kAcute[] = {0xE1, 0xE9, 0xED, 0xF3, 0xFA, 0xFD};
constexpr uint16_t kGrave[] = {0xE0, 0xE8, 0xEC, 0xF2, 0xF9};
constexpr uint16_t kCirc[] = {0xE2, 0xEA, 0xEE, 0xF4, 0xFB};
constexpr uint16_t kUml[] = {0xE4, 0xEB, 0xEF, 0xF6, 0xFC, 0xFF};
constexpr uint16_t kTilde[] = {0xE3, 0xF1, 0xF5};
constexpr Accent kAccents[] = {
    {"acute", "aeiouy", kAcute}, {"grave", "aeiou", kGrave}, {"circ", "aeiou", kCirc},
    {"uml", "aeiouy", kUml},     {"tilde", "ano", kTilde},
};

// Decodes the entity at s[i] == '&'; returns the length consumed (0: not an entity).
size_t decode_entity(std::string_view s, size_t i, std::string& out) {
    size_t semi = s.substr(0, std::min(s.size(), i + 14)).find(';', i + 1);  // bounded: no O(n²)
    if (semi == std::string_view::npos || semi - i > 12 || semi == i + 1) return 0;
    std::string_view name = s.substr(i + 1, semi - i - 1);
    if (name[0] == '#') {
        uint32_t cp = 0;
        bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
        size_t k = hex ? 2 : 1;
        if (k >= name.size()) return 0;
        for (; k < name.size(); ++k) {
            char c = name[k];
            int d = (c >= '0' && c <= '9') ? c - '0'
                    : (hex && lower(c) >= 'a' && lower(c) <= 'f') ? lower(c) - 'a' + 10 : -1;
            if (d < 0) return 0;
            cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(d);
            if (cp > 0x10FFFF) cp = 0x110000;
        }
        if (cp == 0xA0) cp = ' ';
        append_utf8(out, cp);
        return semi - i + 1;
    }
    for (const auto& e : kEntities)
        if (name == e.name) {
            append_utf8(out, e.cp == 0xA0 ? ' ' : e.cp);
            return semi - i + 1;
        }
    if (name == "ccedil" || name == "Ccedil") {
        append_utf8(out, name[0] == 'c' ? 0xE7 : 0xC7);
        return semi - i + 1;
    }
    for (const auto& a : kAccents) {
        std::string_view suf(a.suffix);
        if (name.size() != suf.size() + 1 || name.substr(1) != suf) continue;
        char base = name[0];
        bool upper = base >= 'A' && base <= 'Z';
        std::string_view letters(a.letters);
        size_t pos = letters.find(lower(base));
        if (pos == std::string_view::npos) return 0;
        uint32_t cp = a.cps[pos];
        if (upper && cp != 0xFF) cp -= 0x20;
        append_utf8(out, cp);
        return semi - i + 1;
    }
    return 0;
}

bool is_block(std::string_view tag) {
    static constexpr std::string_view kBlocks[] = {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "ul", "ol", "dl", "dt",
        "dd", "pre", "hr", "section", "article", "header", "footer", "address", "center",
        "form", "fieldset", "nav", "aside", "main", "figure", "figcaption", "tbody", "thead",
        "body", "html", "blockquote", "li"};
    for (auto b : kBlocks)
        if (tag == b) return true;
    return false;
}

class Converter {
public:
    std::string run(std::string_view h);

private:
    void text(std::string_view s);
    void newline(int n = 1);
    void tag(std::string_view h, size_t& i);
    std::string attr(std::string_view inside, std::string_view name);

    std::string out_;
    int pending_nl_ = 0;    // line breaks owed before the next text
    bool pending_sp_ = false;
    bool at_line_start_ = true;
    int quote_ = 0;         // blockquote depth
    // At most 20 ">" per line: 100,000 nested <blockquote> must not cost as much per line.
    size_t quote_marks() const { return static_cast<size_t>(quote_ < 20 ? quote_ : 20); }
    int pre_ = 0;
    std::string href_;      // open <a href>
    size_t link_start_ = 0; // out_ size when the <a> opened
};

void Converter::newline(int n) {
    if (out_.empty()) return;
    if (n > pending_nl_) pending_nl_ = n;
    pending_sp_ = false;
}

void Converter::text(std::string_view s) {
    for (char c : s) {
        if (c == '\r') continue;
        if (pre_ == 0 && (c == ' ' || c == '\t' || c == '\n' || c == '\f')) {
            pending_sp_ = !out_.empty();
            continue;
        }
        if (pre_ > 0 && c == '\n') {
            if (!out_.empty()) pending_nl_ = pending_nl_ < 3 ? pending_nl_ + 1 : 3;
            continue;
        }
        if (pending_nl_ > 0) {
            while (!out_.empty() && out_.back() == ' ') out_.pop_back();
            for (int k = 0; k < pending_nl_; ++k) {
                out_ += '\n';
                if (k + 1 < pending_nl_ && quote_ > 0) out_.append(quote_marks(), '>');
            }
            pending_nl_ = 0;
            at_line_start_ = true;
        }
        if (at_line_start_) {
            if (quote_ > 0) {
                out_.append(quote_marks(), '>');
                out_ += ' ';
            }
            at_line_start_ = false;
            pending_sp_ = false;
        }
        if (pending_sp_) out_ += ' ';
        pending_sp_ = false;
        out_ += c;
    }
}

std::string Converter::attr(std::string_view inside, std::string_view name) {
    for (size_t i = 0; i + name.size() < inside.size(); ++i) {
        if (!ieq_prefix(inside, i, name)) continue;
        if (i > 0 && inside[i - 1] != ' ' && inside[i - 1] != '\t' && inside[i - 1] != '\n') continue;
        size_t j = i + name.size();
        while (j < inside.size() && inside[j] == ' ') ++j;
        if (j >= inside.size() || inside[j] != '=') continue;
        ++j;
        while (j < inside.size() && inside[j] == ' ') ++j;
        if (j >= inside.size()) return {};
        char q = inside[j];
        size_t b = j, e;
        if (q == '"' || q == '\'') {
            b = j + 1;
            e = inside.find(q, b);
            if (e == std::string_view::npos) e = inside.size();
        } else {
            e = b;
            while (e < inside.size() && inside[e] != ' ' && inside[e] != '>') ++e;
        }
        std::string raw(inside.substr(b, e - b)), val;
        for (size_t k = 0; k < raw.size(); ++k) {
            size_t n = raw[k] == '&' ? decode_entity(raw, k, val) : 0;
            if (n) k += n - 1;
            else val += raw[k];
        }
        return val;
    }
    return {};
}

void Converter::tag(std::string_view h, size_t& i) {
    // h[i] == '<'
    if (h.compare(i, 4, "<!--") == 0) {
        size_t e = h.find("-->", i + 4);
        i = e == std::string_view::npos ? h.size() : e + 3;
        return;
    }
    size_t e = h.find('>', i);
    if (e == std::string_view::npos) { i = h.size(); return; }
    std::string_view inside = h.substr(i + 1, e - i - 1);
    i = e + 1;
    bool closing = !inside.empty() && inside[0] == '/';
    if (closing) inside.remove_prefix(1);
    size_t n = 0;
    std::string name;
    while (n < inside.size() && (std::isalnum(static_cast<unsigned char>(inside[n])) || inside[n] == ':')) {
        name += lower(inside[n]);
        ++n;
    }
    if (name.empty()) return;  // <!DOCTYPE>, <?xml>, stray '<'
    if (!closing && (name == "script" || name == "style" || name == "head" || name == "title" ||
                     name == "xml")) {
        std::string end = "</" + name;
        size_t k = i;
        for (; k < h.size(); ++k)
            if (h[k] == '<' && ieq_prefix(h, k, end)) break;
        size_t close = h.find('>', k);
        i = (k >= h.size() || close == std::string_view::npos) ? h.size() : close + 1;
        return;
    }
    if (name == "br") {
        if (!out_.empty()) pending_nl_ = pending_nl_ < 2 ? pending_nl_ + 1 : 2;
        pending_sp_ = false;
        return;
    }
    if (name == "blockquote") {
        newline(1);
        quote_ += closing ? (quote_ > 0 ? -1 : 0) : 1;
        return;
    }
    if (name == "pre") pre_ += closing ? (pre_ > 0 ? -1 : 0) : 1;
    if (name == "a") {
        if (!closing) {
            href_ = attr(inside, "href");
            link_start_ = out_.size();
        } else if (!href_.empty()) {
            std::string shown = out_.substr(link_start_ <= out_.size() ? link_start_ : out_.size());
            while (!shown.empty() && (shown.front() == ' ' || shown.front() == '\n')) shown.erase(0, 1);
            std::string url = href_;
            std::string bare = url.rfind("mailto:", 0) == 0 ? url.substr(7) : url;
            if (url.rfind("#", 0) != 0 && shown != url && shown != bare && bare.find(shown) == std::string::npos) {
                text(" (");
                text(bare);
                text(")");
            }
            href_.clear();
        }
        return;
    }
    if (name == "li" && !closing) {
        newline(1);
        text("-");
        pending_sp_ = true;
        return;
    }
    if (name == "td" || name == "th") {
        if (!closing) pending_sp_ = !out_.empty();
        return;
    }
    if (name == "p" || (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6')) {
        newline(2);
        return;
    }
    if (name == "img" && !closing) {
        std::string alt = attr(inside, "alt");
        if (!alt.empty()) text(alt);
        return;
    }
    if (is_block(name)) newline(1);
}

std::string Converter::run(std::string_view h) {
    for (size_t i = 0; i < h.size();) {
        char c = h[i];
        char n = i + 1 < h.size() ? h[i + 1] : ' ';
        bool tagish = std::isalpha(static_cast<unsigned char>(n)) || n == '/' || n == '!' || n == '?';
        if (c == '<' && tagish) {
            tag(h, i);
        } else if (c == '<') {
            text("<");
            ++i;
        } else if (c == '&') {
            std::string dec;
            size_t n = decode_entity(h, i, dec);
            if (n) {
                text(dec);
                i += n;
            } else {
                text("&");
                ++i;
            }
        } else {
            size_t j = i;
            while (j < h.size() && h[j] != '<' && h[j] != '&') ++j;
            text(h.substr(i, j - i));
            i = j;
        }
    }
    // Trailing spaces on lines, collapse 3+ line breaks.
    std::string res;
    for (char c : out_) {
        if (c == '\n')
            while (!res.empty() && res.back() == ' ') res.pop_back();
        res += c;
    }
    while (!res.empty() && (res.back() == '\n' || res.back() == ' ')) res.pop_back();
    return res;
}

}  // namespace

std::string html_to_text(std::string_view html) { return Converter().run(html); }

}  // namespace parley::server
