#include <catch2/catch.hpp>
#include <algorithm>
#include <regex>
#include <set>
#include "app/format.h"
#include "app/i18n.h"
#include "net/locale.h"

using namespace parley;

namespace {
struct Lang {  // restores English for the other tests
    explicit Lang(const char* code) { i18n::set_language(code); }
    ~Lang() { i18n::set_language("en"); }
};

std::multiset<std::string> placeholders(const std::string& s) {
    static const std::regex re("\\{[0-9]+\\}");
    std::multiset<std::string> out;
    for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it) out.insert(it->str());
    return out;
}
std::set<std::string> distinct(const std::string& s) {
    auto m = placeholders(s);
    return {m.begin(), m.end()};
}

const std::string kNbsp = "\xC2\xA0", kNarrowNbsp = "\xE2\x80\xAF";
}  // namespace

TEST_CASE("the interface languages are the shared list, in menu order", "[i18n]") {
    const auto& langs = i18n::languages();
    REQUIRE(langs.size() == locale::kLanguageCount);
    for (size_t i = 0; i < langs.size(); ++i) CHECK(std::string(langs[i].code) == locale::kLanguages[i]);
}

TEST_CASE("every language translates every UI string, with the English placeholders; no table has an unknown key",
          "[i18n]") {
    const auto keys = i18n::keys();
    REQUIRE(keys.size() > 300);
    const std::set<std::string> key_set(keys.begin(), keys.end());
    CHECK(key_set.size() == keys.size());  // no key listed twice
    for (const auto& l : i18n::languages()) {
        const std::string code = l.code;
        if (code == "en") {
            CHECK(i18n::table_keys("en").empty());  // English is the key itself
            continue;
        }
        Lang lang(l.code);
        int translated = 0;
        for (const std::string& k : keys) {
            INFO(code << ": " << k);
            REQUIRE(i18n::has(code, k.c_str()));
            const std::string t = i18n::tr(k.c_str());
            CHECK_FALSE(t.empty());
            // The same placeholders (a translation may repeat or reorder them, not drop or invent).
            CHECK(distinct(t) == distinct(k));
            translated += t != k;
        }
        // Not English in disguise: almost everything reads differently ("Incoterm", "CC" may not).
        CHECK(translated > static_cast<int>(keys.size()) * 9 / 10);
        std::set<std::string> seen;
        for (const std::string& k : i18n::table_keys(code)) {
            INFO(code << ": " << k);
            CHECK(key_set.count(k) == 1);
            CHECK(seen.insert(k).second);  // once per table
        }
    }
}

TEST_CASE("every language has each counted phrase in as many forms as its plural rule has", "[i18n]") {
    const auto plurals = i18n::plural_keys();
    REQUIRE(plurals.size() >= 6);
    std::set<std::string> others;
    for (const auto& [one, other] : plurals) others.insert(other);
    for (const auto& l : i18n::languages()) {
        const std::string code = l.code;
        for (const auto& [one, other] : plurals) {
            INFO(code << ": " << other);
            const auto forms = i18n::plural_forms(code, other);
            REQUIRE(static_cast<int>(forms.size()) == locale::plural_form_count(code));
            for (const std::string& f : forms) CHECK(placeholders(f) == placeholders(other));
        }
        for (const std::string& k : i18n::plural_table_keys(code)) {
            INFO(code << ": " << k);
            CHECK(others.count(k) == 1);
        }
    }
}

TEST_CASE("counted phrases follow each language's plural rule, with real numbers", "[i18n][plural]") {
    auto messages = [](long long n) { return i18n::trn("{0} message", "{0} messages", n); };
    {
        CHECK(messages(0) == "0 messages");
        CHECK(messages(1) == "1 message");
        CHECK(messages(2) == "2 messages");
        CHECK(messages(10000) == "10,000 messages");
        CHECK(i18n::trn("{0} star", "{0} stars", 5) == "5 stars");
    }
    {
        Lang ru("ru");
        CHECK(messages(1) == "1 сообщение");
        CHECK(messages(2) == "2 сообщения");
        CHECK(messages(5) == "5 сообщений");
        CHECK(messages(11) == "11 сообщений");
        CHECK(messages(12) == "12 сообщений");
        CHECK(messages(14) == "14 сообщений");
        CHECK(messages(21) == "21 сообщение");
        CHECK(messages(22) == "22 сообщения");
        CHECK(messages(25) == "25 сообщений");
        CHECK(messages(111) == "111 сообщений");
        CHECK(messages(10000) == "10" + kNbsp + "000 сообщений");
        CHECK(i18n::trn("{0} day", "{0} days", 1) == "1 день");
        CHECK(i18n::trn("{0} day", "{0} days", 3) == "3 дня");
        CHECK(i18n::trn("{0} day", "{0} days", 30) == "30 дней");
        CHECK(i18n::trn("{0} star", "{0} stars", 5) == "5 звёзд");
    }
    {
        Lang fr("fr");
        CHECK(messages(0) == "0 message");
        CHECK(messages(1) == "1 message");
        CHECK(messages(2) == "2 messages");
        CHECK(i18n::trn("{0} unread", "{0} unread", 1) == "1 non lue");
        CHECK(i18n::trn("{0} unread", "{0} unread", 3) == "3 non lues");
        CHECK(messages(10000) == "10" + kNarrowNbsp + "000 messages");
    }
    {
        Lang de("de");
        CHECK(messages(1) == "1 Nachricht");
        CHECK(messages(0) == "0 Nachrichten");
        CHECK(messages(10000) == "10.000 Nachrichten");
    }
    {
        Lang es("es");
        CHECK(messages(1) == "1 mensaje");
        CHECK(messages(1234) == "1234 mensajes");  // Spanish groups from five digits
        CHECK(messages(12345) == "12.345 mensajes");
    }
    {
        Lang pt("pt");
        CHECK(i18n::trn("{0} page", "{0} pages", 1) == "1 página");
        CHECK(i18n::trn("{0} page", "{0} pages", 0) == "0 páginas");
    }
    {
        Lang ja("ja");
        CHECK(messages(1) == "メッセージ 1 件");
        CHECK(messages(25) == "メッセージ 25 件");
    }
    {
        Lang zh("zh");
        CHECK(messages(1) == "1 条消息");
        CHECK(messages(2) == "2 条消息");
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

TEST_CASE("a string no table knows falls back to English", "[i18n]") {
    Lang ru("ru");
    CHECK(std::string(i18n::tr("Send")) == "Отправить");
    CHECK_FALSE(i18n::has("ru", "Not a string of the interface"));
    CHECK(std::string(i18n::tr("Not a string of the interface")) == "Not a string of the interface");
    CHECK(i18n::trn("{0} apple", "{0} apples", 3) == "3 apples");  // unknown phrase: English rule
    CHECK(i18n::trn("{0} apple", "{0} apples", 1) == "1 apple");
}

TEST_CASE("country names follow the interface language", "[i18n]") {
    CHECK(country_name("MA") == "Morocco");
    {
        Lang l("fr");
        CHECK(country_name("MA") == "Maroc");
        CHECK(country_name("DE") == "Allemagne");
    }
    {
        Lang l("ru");
        CHECK(country_name("CH") == "Швейцария");
    }
    {
        Lang l("ja");
        CHECK(country_name("DE") == "ドイツ");
    }
    {
        Lang l("zh");
        CHECK(country_name("BR") == "巴西");
    }
    {
        Lang l("it");
        CHECK(country_name("XX") == "XX");  // unknown code: the code itself
    }
}

TEST_CASE("dates follow the UI language and the time zone", "[i18n]") {
    const Millis t = 1764160500000;  // 26 Nov 2025 12:35 UTC
    auto at = [&](const char* lang) {
        Lang l(lang);
        return format_datetime(t);
    };
    CHECK(at("en") == "26 Nov 2025, 12:35");
    CHECK(at("es") == "26 nov 2025, 12:35");
    CHECK(at("fr") == "26 nov. 2025, 12:35");
    CHECK(at("de") == "26. Nov. 2025, 12:35");
    CHECK(at("it") == "26 nov 2025, 12:35");
    CHECK(at("pt") == "26 de nov. de 2025, 12:35");
    CHECK(at("ru") == "26 нояб. 2025 г., 12:35");
    CHECK(at("zh") == "2025年11月26日 12:35");
    CHECK(at("ja") == "2025年11月26日 12:35");
    {
        Lang es("es");
        CHECK(format_age(t + 90 * 60000, t) == "1 h");
        CHECK(format_age(t + 10 * 1000, t) == "ahora");
        CHECK(format_age(t + 10 * 86400000LL, t) == "26 nov");  // the same year: no year
    }
    {
        Lang de("de");
        CHECK(format_age(t + 3 * 86400000LL, t) == "3 Tg.");
        CHECK(format_age(t + 10 * 86400000LL, t) == "26. Nov.");
        CHECK(format_duration(200 * 60000) == "3 Std. 20 Min.");
    }
    {
        Lang ru("ru");
        CHECK(format_age(t + 10 * 86400000LL, t) == "26 нояб.");
        CHECK(format_duration(2 * 86400000LL + 4 * 3600000LL) == "2 дн. 4 ч");
    }
    {
        Lang ja("ja");
        CHECK(format_age(t + 3 * 86400000LL, t) == "3 日");
        CHECK(format_age(t + 10 * 86400000LL, t) == "11月26日");
    }
    {
        Lang pt("pt");
        CHECK(format_age(t + 400 * 86400000LL, t) == "26 de nov. de 2025");  // another year: with it
    }
    set_utc_offset_minutes(60);  // Madrid in winter
    CHECK(format_datetime(t) == "26 Nov 2025, 13:35");
    set_utc_offset_minutes(0);
}
