// The interface languages' rules, shared by the client (screens) and the server (e-mails,
// quote PDFs): the nine languages, plural categories, numbers, dates and country names.
// Pure: no I/O, no clock, no time zone (callers pass calendar fields).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace parley::locale {

// The interface languages, in menu order; "en" is the fallback everywhere.
inline constexpr const char* kLanguages[] = {"en", "es", "fr", "de", "it", "pt", "ru", "zh", "ja"};
inline constexpr size_t kLanguageCount = std::size(kLanguages);

// The column of `tag` in kLanguages: "pt-BR" → 5, "ZH" → 7; unknown or "" → 0 (en).
size_t language_index(std::string_view tag);
// kLanguages[language_index(tag)].
std::string base_language(std::string_view tag);

// ---- Plurals (CLDR rules for integers) ------------------------------------------------
// A language's plural forms are stored in this order, only those it uses:
//   en, es, de, it, pt: one (1), other          fr: one (0 and 1), other
//   ru: one (1, 21, 101…), few (2–4, 22–24…), many (0, 5–20, 25–30, 11–14…)
//   zh, ja: other (a single form)
int plural_form_count(std::string_view lang);
// Which of those forms n takes (the sign is ignored): ru 21 → 0, 22 → 1, 25 → 2.
int plural_form(std::string_view lang, int64_t n);

// ---- Numbers --------------------------------------------------------------------------
struct NumberStyle {
    const char* group;    // ",", ".", U+202F (fr), U+00A0 (ru)
    const char* decimal;  // "." or ","
    int min_grouping;     // integer digits needed before grouping applies: 4, or 5 for es
    bool symbol_first;    // "€1.00" vs "1,00 €"
};
NumberStyle number_style(std::string_view lang);
// Decimal digits ("1234567") grouped per style: "1,234,567", "1.234.567", "1 234 567".
std::string group_digits(std::string_view digits, const NumberStyle& style);
// A count as shown in text: 10000 → "10,000" (en), "10.000" (de, es), "10 000" (fr, ru).
std::string format_count(int64_t n, std::string_view lang);

// ---- Dates ----------------------------------------------------------------------------
// A calendar day: month 1–12.
struct Day {
    int year = 1970, month = 1, day = 1;
};
// Day and abbreviated month, with the year when asked: "26 Nov 2025" (en), "26 nov 2025"
// (es, it), "26 nov. 2025" (fr), "26. Nov. 2025" (de), "26 de nov. de 2025" (pt),
// "26 нояб. 2025 г." (ru), "2025年11月26日" (zh, ja).
std::string format_day(const Day& d, bool with_year, std::string_view lang);
// format_day with the year and a 24-hour time: "26 Nov 2025, 12:35", "2025年11月26日 12:35".
std::string format_day_time(const Day& d, int hour, int minute, std::string_view lang);
// The UTC day of a Unix time in milliseconds.
Day utc_day(int64_t unix_ms);

// ---- Countries ------------------------------------------------------------------------
// The name of an ISO 3166 alpha-2 code in `lang` ("DE", "fr" → "Allemagne"); the code
// itself when it is not in the table.
std::string country_name(std::string_view code, std::string_view lang);
// Every code of the table (tests check each has a name in every language).
std::vector<std::string> country_codes();
// The table's raw entry, nullptr when missing (tests).
const char* country_name_or_null(std::string_view code, std::string_view lang);

}  // namespace parley::locale
