#include <catch2/catch.hpp>
#include "app/format.h"
#include "app/i18n.h"
#include "app/layout.h"

using namespace parley;

TEST_CASE("two panes from 900 CSS px, one pane with a back button below", "[layout]") {
    Route inbox{Screen::Inbox, 0}, req{Screen::Request, 3};
    Layout desk = decide_layout(1280, req);
    CHECK(desk.two_panes);
    CHECK(desk.show_inbox);
    CHECK(desk.show_thread);
    CHECK_FALSE(desk.show_back);
    CHECK(desk.inbox_width >= 320);
    CHECK(desk.inbox_width <= 440);

    CHECK(decide_layout(900, req).two_panes);
    Layout narrow = decide_layout(899, req);
    CHECK_FALSE(narrow.two_panes);
    CHECK(narrow.show_back);
    CHECK(narrow.show_thread);
    CHECK_FALSE(narrow.show_inbox);

    Layout phone = decide_layout(390, inbox);
    CHECK_FALSE(phone.two_panes);
    CHECK(phone.show_inbox);
    CHECK_FALSE(phone.show_thread);
    CHECK_FALSE(phone.show_back);
    CHECK(phone.inbox_width == 390);
}

TEST_CASE("ages read like a mail client", "[format]") {
    Millis now = 1764115200000;  // 26 Nov 2025 00:00 UTC
    CHECK(format_age(now, now - 5000) == "now");
    CHECK(format_age(now, now - 5 * 60000) == "5 min");
    CHECK(format_age(now, now - 3 * 3600000LL) == "3 h");
    CHECK(format_age(now, now - 2 * 86400000LL) == "2 d");
    CHECK(format_age(now, now - 20 * 86400000LL) == "6 Nov");
    CHECK(format_age(now, now - 400 * 86400000LL) == "22 Oct 2024");
    CHECK(format_datetime(1764160500000) == "26 Nov 2025, 12:35");
}

TEST_CASE("initials and one-line snippets never cut a UTF-8 character", "[format]") {
    CHECK(initials("Marta Iglesias") == "MI");
    CHECK(initials("Émile Zola-Durand") == "ÉZ");
    CHECK(initials("Олег") == "О");
    CHECK(initials("") == "");
    CHECK(one_line("Hola\nque  tal", 100) == "Hola que tal");
    std::string s = one_line("ñññññ", 5);  // each ñ is 2 bytes
    CHECK(s == "ññ…");
    CHECK(one_line("abc\xC3", 10) == "abc");  // truncated sequence dropped
}

TEST_CASE("countries and languages have names", "[format]") {
    CHECK(country_name("FR") == "France");
    CHECK(country_name("XX") == "XX");
    CHECK(language_name("pt") == "Portuguese");
}

TEST_CASE("a quote's validity day reads in the interface's language, the same day everywhere", "[format]") {
    const Millis end_of_day = 1799366399999;  // 2027-01-07T23:59:59.999Z, as quotes store it
    CHECK(format_utc_day(end_of_day) == "7 Jan 2027");
    i18n::set_language("de");
    CHECK(format_utc_day(end_of_day) == "7. Jan. 2027");
    i18n::set_language("ja");
    CHECK(format_utc_day(end_of_day) == "2027年1月7日");
    i18n::set_language("en");
}
