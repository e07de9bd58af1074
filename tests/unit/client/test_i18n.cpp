#include <catch2/catch.hpp>
#include <algorithm>
#include "app/format.h"
#include "app/i18n.h"

using namespace parley;

namespace {
struct Lang {  // restores English for the other tests
    explicit Lang(const char* code) { i18n::set_language(code); }
    ~Lang() { i18n::set_language("en"); }
};
}

TEST_CASE("Spanish translates every UI string; no table has an unknown key", "[i18n]") {
    const auto keys = i18n::keys();
    REQUIRE(keys.size() > 40);
    for (const std::string& k : keys) {
        INFO(k);
        CHECK(i18n::has("es", k.c_str()));
    }
    for (const auto& l : i18n::languages()) {
        for (const std::string& k : i18n::table_keys(l.code)) {
            INFO(l.code << ": " << k);
            CHECK(std::find(keys.begin(), keys.end(), k) != keys.end());
        }
    }
}

TEST_CASE("language choice: browser preferences, regional codes, English fallback", "[i18n]") {
    CHECK(i18n::pick_language({"fr-CA", "en"}) == "fr");
    CHECK(i18n::pick_language({"nl-NL", "de-AT"}) == "de");
    CHECK(i18n::pick_language({"nl"}) == "en");
    Lang es("es-AR");
    CHECK(i18n::language() == "es");
    CHECK(std::string(i18n::tr("Send")) == "Enviar");
    CHECK(i18n::trf("Reply to {0}", {"Ana"}) == "Responder a Ana");
    CHECK(country_name("DE") == "Alemania");
    CHECK(language_name("ja") == "japonés");
    i18n::set_language("xx");
    CHECK(i18n::language() == "en");
}

TEST_CASE("missing translations fall back to English", "[i18n]") {
    Lang ru("ru");
    CHECK(std::string(i18n::tr("Send")) == "Отправить");
    CHECK_FALSE(i18n::has("ru", "Sign in to Parley"));
    CHECK(std::string(i18n::tr("Sign in to Parley")) == "Sign in to Parley");
}

TEST_CASE("dates follow the UI language and the time zone", "[i18n]") {
    const Millis t = 1764160500000;  // 26 Nov 2025 12:35 UTC
    {
        Lang es("es");
        CHECK(format_datetime(t) == "26 nov 2025, 12:35");
        CHECK(format_age(t + 90 * 60000, t) == "1 h");
        CHECK(format_age(t + 10 * 1000, t) == "ahora");
    }
    {
        Lang de("de");
        CHECK(format_datetime(t) == "26. Nov. 2025, 12:35");
    }
    {
        Lang ja("ja");
        CHECK(format_datetime(t) == "2025年11月26日 12:35");
        CHECK(format_age(t + 3 * 86400000LL, t) == "3 日");
    }
    set_utc_offset_minutes(60);  // Madrid in winter
    CHECK(format_datetime(t) == "26 Nov 2025, 13:35");
    set_utc_offset_minutes(0);
}
