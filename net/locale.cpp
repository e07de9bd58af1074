// The interface languages' rules: plurals, numbers, dates. See locale.h; country names
// are in countries.cpp.
#include "net/locale.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

namespace parley::locale {

size_t language_index(std::string_view tag) {
    std::string l;
    for (char c : tag.substr(0, std::min(tag.find_first_of("-_"), tag.size())))
        l += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (size_t i = 0; i < kLanguageCount; ++i)
        if (l == kLanguages[i]) return i;
    return 0;
}

std::string base_language(std::string_view tag) { return kLanguages[language_index(tag)]; }

// ---- Plurals --------------------------------------------------------------------------
int plural_form_count(std::string_view lang) {
    const std::string l = base_language(lang);
    if (l == "ru") return 3;
    if (l == "zh" || l == "ja") return 1;
    return 2;
}

int plural_form(std::string_view lang, int64_t n) {
    const std::string l = base_language(lang);
    const uint64_t i = n < 0 ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
    if (l == "zh" || l == "ja") return 0;
    if (l == "fr") return i <= 1 ? 0 : 1;
    if (l == "ru") {
        const uint64_t d = i % 10, dd = i % 100;
        if (d == 1 && dd != 11) return 0;                          // one
        if (d >= 2 && d <= 4 && (dd < 12 || dd > 14)) return 1;    // few
        return 2;                                                  // many
    }
    return i == 1 ? 0 : 1;  // en, es, de, it, pt
}

// ---- Numbers --------------------------------------------------------------------------
namespace {
constexpr const char* kNbsp = "\xC2\xA0";            // U+00A0 NO-BREAK SPACE
constexpr const char* kNarrowNbsp = "\xE2\x80\xAF";  // U+202F NARROW NO-BREAK SPACE
}  // namespace

NumberStyle number_style(std::string_view lang) {
    const std::string l = base_language(lang);
    if (l == "de" || l == "it" || l == "pt") return {".", ",", 4, false};
    if (l == "es") return {".", ",", 5, false};  // CLDR/RAE: "1234,56" but "12.345,67"
    if (l == "fr") return {kNarrowNbsp, ",", 4, false};
    if (l == "ru") return {kNbsp, ",", 4, false};
    return {",", ".", 4, true};  // en, ja, zh
}

std::string group_digits(std::string_view digits, const NumberStyle& s) {
    std::string out;
    const bool group = static_cast<int>(digits.size()) >= s.min_grouping;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (group && i > 0 && (digits.size() - i) % 3 == 0) out += s.group;
        out += digits[i];
    }
    return out;
}

std::string format_count(int64_t n, std::string_view lang) {
    const uint64_t mag = n < 0 ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
    std::string out = n < 0 ? "-" : "";
    out += group_digits(std::to_string(mag), number_style(lang));
    return out;
}

// ---- Dates ----------------------------------------------------------------------------
namespace {
// Abbreviated month names as each language writes them inside a date (Russian: genitive).
const char* month(size_t lang, int m) {
    static const char* const names[kLanguageCount][12] = {
        {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
        {"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"},
        {"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."},
        {"Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."},
        {"gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"},
        {"jan.", "fev.", "mar.", "abr.", "mai.", "jun.", "jul.", "ago.", "set.", "out.", "nov.", "dez."},
        {"янв.", "февр.", "мар.", "апр.", "мая", "июн.", "июл.", "авг.", "сент.", "окт.", "нояб.", "дек."},
        {"", "", "", "", "", "", "", "", "", "", "", ""},  // zh, ja: numeric months
        {"", "", "", "", "", "", "", "", "", "", "", ""},
    };
    return names[lang][(m >= 1 && m <= 12) ? m - 1 : 0];
}
}  // namespace

std::string format_day(const Day& d, bool with_year, std::string_view lang) {
    const size_t li = language_index(lang);
    const std::string l = kLanguages[li];
    const char* mon = month(li, d.month);
    char buf[64];
    if (l == "zh" || l == "ja") {
        if (with_year) std::snprintf(buf, sizeof buf, "%d年%d月%d日", d.year, d.month, d.day);
        else std::snprintf(buf, sizeof buf, "%d月%d日", d.month, d.day);
    } else if (l == "de") {
        if (with_year) std::snprintf(buf, sizeof buf, "%d. %s %d", d.day, mon, d.year);
        else std::snprintf(buf, sizeof buf, "%d. %s", d.day, mon);
    } else if (l == "pt") {
        if (with_year) std::snprintf(buf, sizeof buf, "%d de %s de %d", d.day, mon, d.year);
        else std::snprintf(buf, sizeof buf, "%d de %s", d.day, mon);
    } else if (l == "ru") {
        if (with_year) std::snprintf(buf, sizeof buf, "%d %s %d г.", d.day, mon, d.year);
        else std::snprintf(buf, sizeof buf, "%d %s", d.day, mon);
    } else {
        if (with_year) std::snprintf(buf, sizeof buf, "%d %s %d", d.day, mon, d.year);
        else std::snprintf(buf, sizeof buf, "%d %s", d.day, mon);
    }
    return buf;
}

std::string format_day_time(const Day& d, int hour, int minute, std::string_view lang) {
    char hm[16];
    std::snprintf(hm, sizeof hm, "%02d:%02d", hour, minute);
    const std::string l = base_language(lang);
    return format_day(d, true, lang) + (l == "zh" || l == "ja" ? " " : ", ") + hm;
}

Day utc_day(int64_t unix_ms) {
    std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

}  // namespace parley::locale
