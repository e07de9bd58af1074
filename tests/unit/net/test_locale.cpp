#include <catch2/catch.hpp>
#include <string>
#include "net/locale.h"
#include "net/quote.h"

using namespace parley;
using namespace parley::locale;

namespace {
const std::string NB = "\xC2\xA0";    // U+00A0
const std::string NNB = "\xE2\x80\xAF";  // U+202F
}

TEST_CASE("locale: language tags map to the nine interface languages", "[locale]") {
    CHECK(base_language("pt-BR") == "pt");
    CHECK(base_language("ZH_cn") == "zh");
    CHECK(base_language("nl") == "en");
    CHECK(base_language("") == "en");
    CHECK(language_index("ja") == 8);
}

TEST_CASE("locale: plural rules for integers", "[locale][plural]") {
    // Russian: one, few, many.
    for (int n : {1, 21, 31, 101, 1001}) CHECK(plural_form("ru", n) == 0);
    for (int n : {2, 3, 4, 22, 23, 24, 102}) CHECK(plural_form("ru", n) == 1);
    for (int n : {0, 5, 9, 10, 11, 12, 13, 14, 15, 20, 25, 100, 111, 112}) CHECK(plural_form("ru", n) == 2);
    CHECK(plural_form_count("ru") == 3);
    // French: 0 and 1 are singular.
    CHECK(plural_form("fr", 0) == 0);
    CHECK(plural_form("fr", 1) == 0);
    CHECK(plural_form("fr", 2) == 1);
    // English, German, Spanish, Italian, Portuguese: only 1 is singular.
    for (const char* l : {"en", "de", "es", "it", "pt"}) {
        INFO(l);
        CHECK(plural_form(l, 0) == 1);
        CHECK(plural_form(l, 1) == 0);
        CHECK(plural_form(l, 2) == 1);
        CHECK(plural_form(l, 21) == 1);
        CHECK(plural_form_count(l) == 2);
    }
    // Chinese, Japanese: one form.
    for (const char* l : {"zh", "ja"}) {
        CHECK(plural_form_count(l) == 1);
        CHECK(plural_form(l, 1) == 0);
        CHECK(plural_form(l, 5) == 0);
    }
    CHECK(plural_form("ru", -21) == 0);  // the sign does not matter
}

TEST_CASE("locale: counts with each language's grouping", "[locale]") {
    CHECK(format_count(1234567, "en") == "1,234,567");
    CHECK(format_count(1234567, "de") == "1.234.567");
    CHECK(format_count(1234, "es") == "1234");
    CHECK(format_count(12345, "es") == "12.345");
    CHECK(format_count(1234, "fr") == "1" + NNB + "234");
    CHECK(format_count(1234, "ru") == "1" + NB + "234");
    CHECK(format_count(10000, "ja") == "10,000");
    CHECK(format_count(999, "de") == "999");
    CHECK(format_count(-1234, "en") == "-1,234");
}

TEST_CASE("locale: dates per language", "[locale]") {
    const Day d{2026, 3, 5};
    CHECK(format_day(d, true, "en") == "5 Mar 2026");
    CHECK(format_day(d, false, "en") == "5 Mar");
    CHECK(format_day(d, true, "es") == "5 mar 2026");
    CHECK(format_day(d, true, "fr") == "5 mars 2026");
    CHECK(format_day(d, true, "de") == "5. März 2026");
    CHECK(format_day(d, true, "it") == "5 mar 2026");
    CHECK(format_day(d, true, "pt") == "5 de mar. de 2026");
    CHECK(format_day(d, true, "ru") == "5 мар. 2026 г.");
    CHECK(format_day({2026, 5, 1}, false, "ru") == "1 мая");  // genitive inside a date
    CHECK(format_day(d, true, "zh") == "2026年3月5日");
    CHECK(format_day(d, false, "ja") == "3月5日");
    CHECK(format_day_time(d, 9, 5, "fr") == "5 mars 2026, 09:05");
    CHECK(format_day_time(d, 9, 5, "ja") == "2026年3月5日 09:05");
    CHECK(utc_day(1764160500000).year == 2025);
    CHECK(utc_day(1764160500000).month == 11);
    CHECK(utc_day(1764160500000).day == 26);
}

TEST_CASE("locale: every country of the table is named in every language", "[locale][countries]") {
    const auto codes = country_codes();
    REQUIRE(codes.size() >= 60);
    for (const std::string& c : codes) {
        CHECK(c.size() == 2);
        for (const char* l : kLanguages) {
            INFO(c << " in " << l);
            const char* n = country_name_or_null(c, l);
            REQUIRE(n != nullptr);
            CHECK(std::string(n).size() > 1);
            CHECK(std::string(n) != c);
        }
    }
    // Every country of the demo and of the volume seed.
    for (const char* c : {"ES", "FR", "DE", "IT", "PT", "BR", "GB", "US", "MX", "AR", "CL", "CO", "BE", "CH", "AT", "NL",
                          "IE", "CA", "AU", "IN", "RU", "CN", "JP", "PE", "MA", "SM", "AO", "KZ", "BY", "TW", "SG"}) {
        INFO(c);
        CHECK(country_name_or_null(c, "en") != nullptr);
    }
    CHECK(country_name("DE", "fr") == "Allemagne");
    CHECK(country_name("DE", "de-AT") == "Deutschland");
    CHECK(country_name("JP", "zh") == "日本");
    CHECK(country_name("US", "ru") == "США");
    CHECK(country_name("QQ", "fr") == "QQ");
}

TEST_CASE("locale: money in every language (separators and the symbol's place)", "[locale][money]") {
    CHECK(format_money(123456, "EUR", "en") == "€1,234.56");
    CHECK(format_money(123456, "EUR", "es") == "1234,56" + NB + "€");
    CHECK(format_money(1234567, "EUR", "es") == "12.345,67" + NB + "€");
    CHECK(format_money(123456, "EUR", "fr") == "1" + NNB + "234,56" + NB + "€");
    CHECK(format_money(123456, "EUR", "de") == "1.234,56" + NB + "€");
    CHECK(format_money(123456, "EUR", "it") == "1.234,56" + NB + "€");
    CHECK(format_money(123456, "EUR", "pt") == "1.234,56" + NB + "€");
    CHECK(format_money(123456, "EUR", "ru") == "1" + NB + "234,56" + NB + "€");
    CHECK(format_money(123456, "EUR", "zh") == "€1,234.56");
    CHECK(format_money(123456, "EUR", "ja") == "€1,234.56");
    CHECK(format_money(123456, "USD", "en") == "$1,234.56");
    CHECK(format_money(123456, "RUB", "ru") == "1" + NB + "234,56" + NB + "₽");
    CHECK(format_money(1235, "JPY", "ja") == "¥1,235");
}
