#include <catch2/catch.hpp>
#include <climits>
#include <nlohmann/json.hpp>
#include "net/quote.h"

using namespace parley;

namespace {
const std::string NB = "\xC2\xA0";       // U+00A0
const std::string NNB = "\xE2\x80\xAF";  // U+202F

QuoteLine line(std::string product, int64_t qty, Money price, int discount_bp = 0, std::string unit = "pcs") {
    QuoteLine l;
    l.product = std::move(product);
    l.quantity = qty;
    l.unit = std::move(unit);
    l.unit_price = price;
    l.discount_bp = discount_bp;
    return l;
}

// A valid quote: 2026-11-27 10:00 UTC, valid 30 days.
Quote sample() {
    Quote q;
    q.id = 17;
    q.request_id = 42;
    q.conversation_id = 8;
    q.number = "Q-2026-0042";
    q.currency = "EUR";
    q.incoterm = "DAP";
    q.tax_bp = 2100;
    q.shipping = 4500;
    q.lead_time_days = 21;
    q.created = 1795773600000;
    q.valid_until = q.created + 30LL * 86400000;
    q.payment_terms = "30 días fecha factura";
    q.lines = {line("Bomba de engranajes GP-40", 40000, 12550, 1000),
               line("Aceite hidráulico ISO VG 46", 2500, 1999, 500, "kg"),
               line("Manguera 1/2\"", 12345, 333, 1250, "m")};
    return q;
}

bool has_field(const std::vector<FieldError>& errors, const std::string& field) {
    for (const auto& e : errors)
        if (e.field == field) return true;
    return false;
}
}  // namespace

TEST_CASE("Totals of a three-line quote with discounts, shipping and 21 % VAT", "[quote]") {
    // Line 0: 40 pcs × 125.50 €         gross 5,020.00   −10 %   502.00 → net 4,518.00
    // Line 1: 2.5 kg × 19.99 €  = 49.975 → gross 49.98   −5 %  2.499 → 2.50 → net 47.48
    // Line 2: 12.345 m × 3.33 € = 41.10885 → 41.11      −12.5 % 5.13875 → 5.14 → net 35.97
    // subtotal 4,518.00 + 47.48 + 35.97 = 4,601.45; discounts 502.00 + 2.50 + 5.14 = 509.64
    // tax base 4,601.45 + 45.00 shipping = 4,646.45; VAT 21 % = 975.7545 → 975.75
    // total 4,646.45 + 975.75 = 5,622.20
    auto t = compute_totals(sample());
    REQUIRE(t);
    REQUIRE(t->lines.size() == 3);
    CHECK(t->lines[0].gross == 502000);
    CHECK(t->lines[0].discount == 50200);
    CHECK(t->lines[0].net == 451800);
    CHECK(t->lines[1].gross == 4998);
    CHECK(t->lines[1].discount == 250);
    CHECK(t->lines[1].net == 4748);
    CHECK(t->lines[2].gross == 4111);
    CHECK(t->lines[2].discount == 514);
    CHECK(t->lines[2].net == 3597);
    CHECK(t->subtotal == 460145);
    CHECK(t->discount_total == 50964);
    CHECK(t->shipping == 4500);
    CHECK(t->tax == 97575);
    CHECK(t->total == 562220);
    CHECK(format_money(t->total, "EUR", "es") == "5622,20" + NB + "€");
    CHECK(format_money(t->total, "EUR", "de") == "5.622,20" + NB + "€");
    CHECK(format_money(t->total, "EUR", "en") == "€5,622.20");

    Quote q = sample();
    REQUIRE(update_totals(q));
    CHECK(q.totals.total == 562220);
}

TEST_CASE("Rounding is half away from zero, per line and on the tax", "[quote]") {
    CHECK(div_round_half_away(25, 10) == 3);
    CHECK(div_round_half_away(-25, 10) == -3);
    CHECK(div_round_half_away(24, 10) == 2);
    CHECK(div_round_half_away(-24, 10) == -2);
    CHECK(div_round_half_away(26, 10) == 3);
    CHECK(div_round_half_away(-26, 10) == -3);
    CHECK(div_round_half_away(0, 10) == 0);
    CHECK(div_round_half_away(4999, 10000) == 0);
    CHECK(div_round_half_away(5000, 10000) == 1);

    Quote q;
    // 0.5 × 0.05 € = 0.025 € → 0.03 €; a negative (credit) price mirrors it: −0.03 €.
    q.lines = {line("half", 500, 5), line("credit", 500, -5)};
    auto t = compute_totals(q);
    REQUIRE(t);
    CHECK(t->lines[0].gross == 3);
    CHECK(t->lines[1].gross == -3);
    CHECK(t->subtotal == 0);

    // Just under half: 0.499 × 0.05 € = 0.02495 € → 0.02 €.
    q.lines = {line("under", 499, 5)};
    CHECK(compute_totals(q)->lines[0].gross == 2);

    // Discount at .5: 0.50 € − 5 % = 0.025 € discount → 0.03 €, net 0.47 €.
    q.lines = {line("disc", 1000, 50, 500)};
    t = compute_totals(q);
    CHECK(t->lines[0].discount == 3);
    CHECK(t->lines[0].net == 47);

    // Tax at .5: base 0.50 € at 5 % = 0.025 € → 0.03 €; negative base → −0.03 €.
    q.lines = {line("x", 1000, 50)};
    q.tax_bp = 500;
    CHECK(compute_totals(q)->tax == 3);
    q.lines = {line("x", 1000, -50)};
    CHECK(compute_totals(q)->tax == -3);

    // Tax is rounded once on the sum, not per line: 3 × 0.10 € at 5 % = 0.015 € → 0.02 €
    // (per-line rounding would give 3 × 0.01 €).
    q.lines = {line("a", 1000, 10), line("b", 1000, 10), line("c", 1000, 10)};
    t = compute_totals(q);
    CHECK(t->tax == 2);
    CHECK(t->total == 32);
}

TEST_CASE("Fractional quantities: 2.5 units × price", "[quote]") {
    Quote q;
    q.lines = {line("steel", 2500, 1000, 0, "kg")};  // 2.5 kg × 10.00 € = 25.00 €
    CHECK(compute_totals(q)->lines[0].gross == 2500);
    q.lines = {line("steel", 2500, 333, 0, "kg")};   // 2.5 × 3.33 € = 8.325 € → 8.33 €
    CHECK(compute_totals(q)->lines[0].gross == 833);
    q.lines = {line("wire", 1, 1, 0, "m")};          // 0.001 m × 0.01 € → 0.00001 € → 0
    CHECK(compute_totals(q)->lines[0].gross == 0);
    CHECK(format_quantity(2500, "en") == "2.5");
    CHECK(format_quantity(2500, "de") == "2,5");
    CHECK(format_quantity(3000, "en") == "3");
    CHECK(format_quantity(12345, "fr") == "12,345");
    CHECK(format_quantity(1500000, "en") == "1,500");
    CHECK(format_quantity(1000500, "de") == "1.000,5");
    CHECK(format_quantity(-250, "en") == "-0.25");
}

TEST_CASE("JPY has no minor unit: totals and display in whole yen", "[quote]") {
    // 3 × ¥1,234 = ¥3,702; 10 % tax = 370.2 → ¥370; shipping ¥1,500 taxed: 520.2 → ¥520.
    Quote q;
    q.currency = "JPY";
    q.tax_bp = 1000;
    q.lines = {line("センサー", 3000, 1234)};
    auto t = compute_totals(q);
    CHECK(t->subtotal == 3702);
    CHECK(t->tax == 370);
    CHECK(t->total == 4072);
    q.shipping = 1500;
    t = compute_totals(q);
    CHECK(t->tax == 520);
    CHECK(t->total == 5722);
    CHECK(currency_exponent("JPY") == 0);
    CHECK(format_money(1235, "JPY", "ja") == "¥1,235");
    CHECK(format_money(1235, "JPY", "en") == "¥1,235");
    CHECK(format_money(1235, "JPY", "zh") == "JP¥1,235");
    CHECK(format_money(1235, "JPY", "de") == "1.235" + NB + "¥");
    CHECK(format_money(0, "JPY", "ja") == "¥0");
}

TEST_CASE("format_money per language and currency", "[quote]") {
    CHECK(format_money(123456, "EUR", "en") == "€1,234.56");
    CHECK(format_money(123456, "USD", "en") == "$1,234.56");
    CHECK(format_money(123456, "GBP", "en") == "£1,234.56");
    CHECK(format_money(123456, "CHF", "en") == "CHF" + NB + "1,234.56");
    CHECK(format_money(123456, "EUR", "de") == "1.234,56" + NB + "€");
    CHECK(format_money(123456, "EUR", "it") == "1.234,56" + NB + "€");
    CHECK(format_money(123456, "EUR", "pt") == "1.234,56" + NB + "€");
    CHECK(format_money(123456, "EUR", "es") == "1234,56" + NB + "€");       // es: groups from 5 digits
    CHECK(format_money(1234567, "EUR", "es") == "12.345,67" + NB + "€");
    CHECK(format_money(123456, "EUR", "fr") == "1" + NNB + "234,56" + NB + "€");
    CHECK(format_money(123456, "RUB", "ru") == "1" + NB + "234,56" + NB + "₽");
    CHECK(format_money(123456, "USD", "es") == "1234,56" + NB + "US$");
    CHECK(format_money(123456, "USD", "fr") == "1" + NNB + "234,56" + NB + "$US");
    CHECK(format_money(123456, "CNY", "zh") == "¥1,234.56");
    CHECK(format_money(123456, "CNY", "en") == "CN¥1,234.56");
    CHECK(format_money(123456789012, "EUR", "en") == "€1,234,567,890.12");
    CHECK(format_money(5, "EUR", "en") == "€0.05");
    CHECK(format_money(0, "EUR", "de") == "0,00" + NB + "€");
    CHECK(format_money(-123456, "EUR", "en") == "-€1,234.56");
    CHECK(format_money(-123456, "EUR", "de") == "-1.234,56" + NB + "€");
    CHECK(format_money(1234567, "BHD", "en") == "BHD" + NB + "1,234.567");
    CHECK(format_money(123456, "SEK", "de") == "1.234,56" + NB + "SEK");
    CHECK(format_money(123456, "EUR", "xx") == "€1,234.56");           // unknown language → en
    CHECK(format_money(123456, "XYZ", "en") == "XYZ" + NB + "1,234.56");  // unknown currency: 2 digits
    CHECK(format_money(LLONG_MIN, "EUR", "en") == "-€92,233,720,368,547,758.08");
    CHECK(format_basis_points(2100, "en") == "21");
    CHECK(format_basis_points(550, "de") == "5,5");
    CHECK(format_basis_points(1250, "en") == "12.5");
}

TEST_CASE("Currencies and Incoterms", "[quote]") {
    CHECK(is_known_currency("EUR"));
    CHECK(is_known_currency("CNY"));
    CHECK_FALSE(is_known_currency("eur"));
    CHECK_FALSE(is_known_currency("EURO"));
    CHECK_FALSE(is_known_currency(""));
    CHECK(currency_exponent("EUR") == 2);
    CHECK(currency_exponent("KWD") == 3);
    CHECK(currency_exponent("KRW") == 0);
    for (const char* code : {"EXW", "FCA", "FOB", "CIF", "DAP", "DDP", "DPU", "CPT", "CIP", "FAS", "CFR"})
        CHECK(is_known_incoterm(code));
    CHECK_FALSE(is_known_incoterm("DDU"));  // withdrawn in 2010
    CHECK_FALSE(is_known_incoterm("fob"));
    CHECK(incoterms().size() == 11);
}

TEST_CASE("parse_decimal reads amounts and quantities as typed", "[quote]") {
    CHECK(parse_decimal("1234.56", 2, "en") == 123456);
    CHECK(parse_decimal("1,234.56", 2, "en") == 123456);
    CHECK(parse_decimal("1.234,56", 2, "de") == 123456);
    CHECK(parse_decimal("1.234,56", 2, "en") == 123456);  // both marks: the last is decimal
    CHECK(parse_decimal("1 234,5", 2, "fr") == 123450);
    CHECK(parse_decimal("1" + NNB + "234,5", 2, "fr") == 123450);
    CHECK(parse_decimal("12", 2, "en") == 1200);
    CHECK(parse_decimal("12,5", 2, "de") == 1250);
    CHECK(parse_decimal("12,5", 2, "en") == 1250);        // not a 3-digit group: decimal
    CHECK(parse_decimal("1,234", 2, "en") == 123400);     // en grouping
    CHECK(parse_decimal("1.234", 2, "de") == 123400);     // de grouping
    CHECK(parse_decimal("1,234", 3, "de") == 1234);       // de decimal
    CHECK(parse_decimal("2.5", 3, "en") == 2500);
    CHECK(parse_decimal(".5", 3, "en") == 500);
    CHECK(parse_decimal("-3", 2, "en") == -300);
    CHECK(parse_decimal("1.234.567", 0, "de") == 1234567);
    CHECK(parse_decimal("1235", 0, "ja") == 1235);
    CHECK_FALSE(parse_decimal("1.5", 0, "ja"));           // yen have no decimals
    CHECK_FALSE(parse_decimal("1.234", 2, "en"));         // 3 decimals for EUR: not rounded
    CHECK_FALSE(parse_decimal("", 2, "en"));
    CHECK_FALSE(parse_decimal("-", 2, "en"));
    CHECK_FALSE(parse_decimal("12a", 2, "en"));
    CHECK_FALSE(parse_decimal("1,2,3.4.5", 2, "en"));
    CHECK_FALSE(parse_decimal("99999999999999999999", 2, "en"));
}

TEST_CASE("Overflow is reported, never wrapped", "[quote]") {
    Quote q;
    FieldError why;
    q.lines = {line("ok", 1000, 1), line("huge", LLONG_MAX, LLONG_MAX)};
    CHECK_FALSE(compute_totals(q, &why));
    CHECK(why.field == "lines[1]");

    q.lines = {line("min", LLONG_MIN, LLONG_MIN)};  // 2^126: still fits the 128-bit product
    CHECK_FALSE(compute_totals(q, &why));
    CHECK(why.field == "lines[0]");

    // Each line fits (2^53 − 1 exactly), their sum does not.
    q.lines = {line("a", 1000, kMaxAmount), line("b", 1000, 1)};
    REQUIRE(compute_totals(q, &why) == std::nullopt);
    CHECK(why.field == "totals");
    q.lines = {line("a", 1000, kMaxAmount)};
    CHECK(compute_totals(q)->total == kMaxAmount);

    // The tax pushes the total over.
    q.tax_bp = 1;
    CHECK_FALSE(compute_totals(q, &why));
    CHECK(why.field == "totals");

    q.tax_bp = 0;
    q.lines = {line("a", 1000, 1)};
    q.shipping = kMaxAmount + 1;
    CHECK_FALSE(compute_totals(q, &why));
    CHECK(why.field == "shipping");

    Quote keep = sample();
    REQUIRE(update_totals(keep));
    Quote bad = keep;
    bad.lines[0].unit_price = LLONG_MAX;
    CHECK_FALSE(update_totals(bad));
    CHECK(bad.totals.total == keep.totals.total);  // untouched

    Quote v = sample();
    v.lines = {line("a", 1000, kMaxAmount), line("b", 1000, kMaxAmount)};
    auto errors = validate_quote(v);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "totals");
}

TEST_CASE("validate_quote lists every field error with its path", "[quote]") {
    CHECK(validate_quote(sample()).empty());

    Quote q = sample();
    q.lines[0].product = "  ";
    q.lines[1].quantity = 0;
    q.lines[2].quantity = -1000;
    q.lines[2].unit_price = -1;
    q.lines[1].discount_bp = 10001;
    q.lines[0].discount_bp = -1;
    q.currency = "EURO";
    q.incoterm = "DDU";
    q.tax_bp = 10001;
    q.shipping = -1;
    q.notes = std::string(kMaxQuoteNotesChars + 1, 'x');
    q.valid_until = q.created - 1;
    auto e = validate_quote(q);
    for (const char* f : {"lines[0].product", "lines[1].quantity", "lines[2].quantity", "lines[2].unit_price",
                          "lines[1].discount_bp", "lines[0].discount_bp", "currency", "incoterm", "tax_bp",
                          "shipping", "notes", "valid_until"})
        CHECK(has_field(e, f));
    CHECK(e.size() == 12);
    for (const auto& err : e) CHECK_FALSE(err.message.empty());
    CHECK_FALSE(has_field(e, "totals"));  // not computed from bad input

    q = sample();
    q.lines.clear();
    CHECK(validate_quote(q) == std::vector<FieldError>{{"lines", "add at least one line"}});

    q = sample();
    q.lines.assign(kMaxQuoteLines, line("p", 1000, 100));
    CHECK(validate_quote(q).empty());
    q.lines.push_back(line("p", 1000, 100));
    e = validate_quote(q);
    REQUIRE(e.size() == 1);
    CHECK(e[0].field == "lines");

    q = sample();
    q.valid_until = q.created;  // valid for no time at all
    CHECK(has_field(validate_quote(q), "valid_until"));
    q.valid_until = 0;
    CHECK(has_field(validate_quote(q), "valid_until"));
    q = sample();
    q.created = 0;  // a draft not stored yet: only "is there a date" is checked
    CHECK(validate_quote(q).empty());

    q = sample();
    q.tax_bp = 10000;           // 100 % is allowed
    q.lines[0].discount_bp = 10000;  // so is a free line
    q.notes = std::string(kMaxQuoteNotesChars, 'x');
    CHECK(validate_quote(q).empty());

    q = sample();
    q.incoterm = "";
    q.status = "draft";
    q.number = "Q-26-1";
    q.version = 0;
    q.lines[0].unit = "";
    q.lines[0].product = std::string(kMaxQuoteProductChars + 1, 'p');
    q.lead_time_days = -1;
    q.payment_terms = std::string(kMaxQuoteTermsChars + 1, 't');
    e = validate_quote(q);
    for (const char* f : {"incoterm", "status", "number", "version", "lines[0].unit", "lines[0].product",
                          "lead_time_days", "payment_terms"})
        CHECK(has_field(e, f));

    q = sample();
    q.supersedes = 5;  // version 1 supersedes nothing
    CHECK(has_field(validate_quote(q), "supersedes"));
    q.version = 2;
    CHECK(validate_quote(q).empty());
    q.supersedes = q.id;
    CHECK(has_field(validate_quote(q), "supersedes"));
}

TEST_CASE("Quote numbers format and parse back", "[quote]") {
    CHECK(format_quote_number(2026, 42) == "Q-2026-0042");
    CHECK(format_quote_number(2026, 1) == "Q-2026-0001");
    CHECK(format_quote_number(2026, 9999) == "Q-2026-9999");
    CHECK(format_quote_number(2026, 12345) == "Q-2026-12345");
    for (int64_t seq : {1LL, 42LL, 999LL, 9999LL, 10000LL, 123456789LL}) {
        int y = 0;
        int64_t s = 0;
        REQUIRE(parse_quote_number(format_quote_number(2027, seq), y, s));
        CHECK(y == 2027);
        CHECK(s == seq);
    }
    int y = 0;
    int64_t s = 0;
    for (const char* bad : {"", "Q-2026-", "Q-2026-042", "Q-2026-00042", "Q-2026-0000", "q-2026-0042",
                            "Q-26-0042", "Q-2026_0042", "Q-2026-00a2", "Q-2026-0042 ", "X-2026-0042"})
        CHECK_FALSE(parse_quote_number(bad, y, s));
}

TEST_CASE("A revision keeps the number and supersedes the previous version", "[quote]") {
    Quote v1 = sample();
    v1.status = kQuoteOpened;
    Quote v2 = revise_quote(v1, v1.created + 5000);
    CHECK(v2.number == "Q-2026-0042");
    CHECK(v2.version == 2);
    CHECK(v2.supersedes == 17);
    CHECK(v2.id == 0);
    CHECK(v2.status == kQuoteSent);
    CHECK(v2.created == v1.created + 5000);
    CHECK(v2.request_id == v1.request_id);
    CHECK(v2.conversation_id == v1.conversation_id);
    CHECK(v2.lines.size() == 3);
    CHECK(can_transition(v1.status, kQuoteSuperseded));
    v2.id = 18;
    Quote v3 = revise_quote(v2, v2.created + 1);
    CHECK(v3.version == 3);
    CHECK(v3.supersedes == 18);
    CHECK(validate_quote(v3).empty());
}

TEST_CASE("Status transitions", "[quote]") {
    CHECK(can_transition("sent", "opened"));
    CHECK(can_transition("opened", "accepted"));
    CHECK(can_transition("accepted", "paid"));
    CHECK(can_transition("sent", "superseded"));
    CHECK(can_transition("opened", "superseded"));
    CHECK(can_transition("expired", "superseded"));
    CHECK(can_transition("sent", "expired"));
    CHECK(can_transition("opened", "expired"));

    CHECK_FALSE(can_transition("sent", "accepted"));  // accepting happens in the viewer: opened first
    CHECK_FALSE(can_transition("sent", "paid"));
    CHECK_FALSE(can_transition("opened", "paid"));
    CHECK_FALSE(can_transition("accepted", "superseded"));  // binding once accepted
    CHECK_FALSE(can_transition("accepted", "expired"));
    CHECK_FALSE(can_transition("opened", "sent"));
    CHECK_FALSE(can_transition("expired", "accepted"));
    CHECK_FALSE(can_transition("expired", "opened"));
    for (const char* s : {"sent", "opened", "accepted", "paid", "superseded", "expired"}) {
        CHECK(is_known_quote_status(s));
        CHECK_FALSE(can_transition(s, s));
        CHECK_FALSE(can_transition("paid", s));
        CHECK_FALSE(can_transition("superseded", s));
        CHECK_FALSE(can_transition(s, "bogus"));
        CHECK_FALSE(can_transition("bogus", s));
    }
    CHECK(is_final_quote_status("paid"));
    CHECK(is_final_quote_status("superseded"));
    CHECK_FALSE(is_final_quote_status("accepted"));
    CHECK_FALSE(is_known_quote_status("draft"));
}

TEST_CASE("Expiry", "[quote]") {
    Quote q = sample();
    Millis until = q.valid_until;
    CHECK_FALSE(is_expired(q, until));      // valid through valid_until itself
    CHECK(is_expired(q, until + 1));
    CHECK(effective_status(q, until) == "sent");
    CHECK(effective_status(q, until + 1) == "expired");
    q.status = kQuoteOpened;
    CHECK(effective_status(q, until + 1) == "expired");
    q.status = kQuoteAccepted;
    CHECK_FALSE(is_expired(q, until + 1));
    CHECK(effective_status(q, until + 1) == "accepted");
    q.status = kQuotePaid;
    CHECK_FALSE(is_expired(q, until + 1));
    q.status = kQuoteSuperseded;
    CHECK(effective_status(q, until + 1) == "superseded");  // superseded says so, not expired
    q.status = kQuoteSent;
    q.valid_until = 0;                       // no date: never expires by itself
    CHECK_FALSE(is_expired(q, until + 1));
}

TEST_CASE("Quote JSON round-trip", "[quote]") {
    Quote q = sample();
    q.notes = "Précio válido — «Ж» 中文";
    q.online_payment = true;
    q.version = 2;
    q.supersedes = 16;
    REQUIRE(update_totals(q));
    std::string text = dump_json(q);
    auto j = nlohmann::json::parse(text);
    CHECK(j["number"] == "Q-2026-0042");
    CHECK(j["lines"][1]["quantity"] == 2500);
    CHECK(j["lines"][1]["unit"] == "kg");
    CHECK(j["totals"]["total"] == 562220);
    CHECK(j["totals"]["lines"][2]["net"] == 3597);
    CHECK(j["online_payment"] == true);

    Quote back;
    std::string why;
    REQUIRE(parse_json(text, back, &why));
    CHECK(back.notes == q.notes);
    CHECK(back.lines.size() == 3);
    CHECK(back.lines[2].product == "Manguera 1/2\"");
    CHECK(back.lines[2].discount_bp == 1250);
    CHECK(back.totals.tax == 97575);
    CHECK(back.valid_until == q.valid_until);
    CHECK(back.online_payment);
    CHECK(dump_json(back) == text);

    // Missing keys read as defaults; wrong types and bad JSON are refused.
    Quote sparse;
    REQUIRE(parse_json(R"({"currency":"USD","lines":[{"product":"X","quantity":1000}]})", sparse));
    CHECK(sparse.currency == "USD");
    CHECK(sparse.status == "sent");
    CHECK(sparse.version == 1);
    CHECK(sparse.lines.at(0).unit == "pcs");
    CHECK(sparse.lines.at(0).unit_price == 0);
    CHECK_FALSE(parse_json(R"({"lines":[{"quantity":"2.5"}]})", sparse, &why));
    CHECK_FALSE(why.empty());
    CHECK_FALSE(parse_json("[1]", sparse, &why));
    CHECK_FALSE(parse_json("{", sparse, &why));

    QuoteLine l;
    REQUIRE(parse_json(dump_json(q.lines[0]), l));
    CHECK(l.product == q.lines[0].product);
    QuoteTotals t;
    REQUIRE(parse_json(dump_json(q.totals), t));
    CHECK(t.total == 562220);
}
