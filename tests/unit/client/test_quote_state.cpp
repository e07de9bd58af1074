// Structured quotes and PDF previews on the client: the composer's form parsed into a
// Quote (per-language decimals, field errors with the server's paths), dates, the form
// refilled for a revision, deep links ?quote=N&paid=1, the buyer's single "opened"
// call, accept and pay answers; PNG decoding and the page fetch plan of previews; the
// history entry of the full-screen sheets (Back closes them).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include "app/i18n.h"
#include "app/preview_state.h"
#include "app/quote_state.h"
#include "app/state.h"

using namespace parley;

namespace {
constexpr Millis kNow = 1795000000000;  // 2026-11-18

QuoteEditor form() {
    QuoteEditor e;
    e.request_id = 5;
    e.lines.push_back({"Ball valve DN50", "VB-50", "10", "pcs", "125.50", "5"});
    e.valid_until = "2026-12-31";
    return e;
}

Quote quote(int64_t id, const char* status, int version = 1) {
    Quote q;
    q.id = id; q.request_id = 5; q.conversation_id = 7; q.number = "Q-2026-0001"; q.version = version;
    q.status = status; q.currency = "EUR"; q.created = kNow + id;
    q.lines.push_back({"Valve", "", 2000, "pcs", 12550, 0});
    q.valid_until = kNow + 86400000LL * 30;
    q.online_payment = true;
    q.incoterm = "FCA";
    update_totals(q);
    return q;
}

AppState state_as(const char* role, std::vector<Quote> quotes) {
    AppState s;
    s.inbox.me.id = 2;
    s.inbox.me.name = "Luc Martin";
    s.inbox.me.role = role;
    s.route = {Screen::Request, 5};
    RequestDetail d;
    d.id = 5;
    d.can.reply = true;
    d.can.quote = std::string(role) != kRoleBuyer;
    d.quotes = std::move(quotes);
    s.thread = d;
    return s;
}

size_t calls_to(const Effects& fx, const std::string& path) {
    size_t n = 0;
    for (const HttpCall& c : fx.calls) n += c.path == path;
    return n;
}
}  // namespace

TEST_CASE("quote form: parsed into integer minor units per language, totals as the server computes them", "[quote_state]") {
    QuoteEditor e = form();
    std::vector<FieldError> errs;
    auto q = editor_quote(e, "en", kNow, &errs);
    REQUIRE(q);
    CHECK(errs.empty());
    CHECK(q->lines[0].quantity == 10000);
    CHECK(q->lines[0].unit_price == 12550);
    CHECK(q->lines[0].discount_bp == 500);
    CHECK(q->tax_bp == 2100);
    CHECK(q->totals.subtotal == 119225);  // 1255.00 − 5 %
    CHECK(q->totals.total == 144262);     // + 21 % tax
    CHECK(q->valid_until == *parse_day("2026-12-31"));

    // German decimals: "125,50" and "2,5".
    e.lines[0].unit_price = "125,50";
    e.lines[0].quantity = "2,5";
    q = editor_quote(e, "de", kNow, &errs);
    REQUIRE(q);
    CHECK(q->lines[0].quantity == 2500);
    CHECK(q->lines[0].unit_price == 12550);
    // The live totals use the same math.
    auto t = editor_totals(e, "de");
    REQUIRE(t);
    CHECK(t->total == q->totals.total);
}

TEST_CASE("quote form: every bad field reported with the server's field path", "[quote_state]") {
    QuoteEditor e = form();
    e.lines.push_back({"", "", "abc", "pcs", "", "5"});
    e.tax = "twenty";
    e.valid_until = "end of December";
    std::vector<FieldError> errs;
    CHECK_FALSE(editor_quote(e, "en", kNow, &errs));
    CHECK_FALSE(field_error(errs, "lines[1].quantity").empty());
    CHECK_FALSE(field_error(errs, "lines[1].unit_price").empty());
    CHECK_FALSE(field_error(errs, "lines[1].product").empty());  // from validate_quote
    CHECK_FALSE(field_error(errs, "tax_bp").empty());
    CHECK_FALSE(field_error(errs, "valid_until").empty());
    CHECK(field_error(errs, "lines[0].quantity").empty());
    // A date in the past is refused too.
    e = form();
    e.valid_until = "2026-01-01";
    CHECK_FALSE(editor_quote(e, "en", kNow, &errs));
    CHECK_FALSE(field_error(errs, "valid_until").empty());
}

TEST_CASE("quote form: the shared rules' refusals shown in the interface's language", "[quote_state]") {
    QuoteEditor e = form();
    e.lines.push_back({"   ", "", "2", "", "10", "150"});
    e.lead_time = "99999";
    std::vector<FieldError> errs;
    i18n::set_language("de");
    CHECK_FALSE(editor_quote(e, "de", kNow, &errs));
    CHECK(field_error(errs, "lines[1].product") == "Geben Sie das Produkt ein.");
    CHECK(field_error(errs, "lines[1].unit") == "Geben Sie die Einheit ein, z. B. Stk.");
    CHECK(field_error(errs, "lines[1].discount_bp") == "Der Rabatt darf 100 % nicht übersteigen.");
    CHECK(field_error(errs, "lead_time_days") == "Die Lieferzeit muss zwischen 0 und 3650 Tagen liegen.");
    e = form();
    e.lines[0].product = std::string(201, 'x');
    CHECK_FALSE(editor_quote(e, "de", kNow, &errs));
    CHECK(field_error(errs, "lines[0].product") == "Höchstens 200 Zeichen.");
    i18n::set_language("en");
    CHECK_FALSE(editor_quote(e, "en", kNow, &errs));
    CHECK(field_error(errs, "lines[0].product") == "At most 200 characters.");
}

TEST_CASE("quote dates: YYYY-MM-DD ↔ the last millisecond of that UTC day", "[quote_state]") {
    auto d = parse_day("2026-12-31");
    REQUIRE(d);
    CHECK(*d == 1798761599999);  // 2027-01-01T00:00:00Z − 1 ms
    CHECK(format_day(*d) == "2026-12-31");
    CHECK(format_day(*parse_day("2024-02-29")) == "2024-02-29");
    CHECK_FALSE(parse_day("2026-02-29"));
    CHECK_FALSE(parse_day("2026-13-01"));
    CHECK(parse_day("2026-1-1") == parse_day("2026-01-01"));
    CHECK_FALSE(parse_day("2026-12-31x"));
    // The forms people type: day first with dots, slashes or dashes, ISO with slashes.
    CHECK(parse_day("31.12.2026") == d);
    CHECK(parse_day("31/12/2026") == d);
    CHECK(parse_day("31-12-2026") == d);
    CHECK(parse_day("2026/12/31") == d);
    CHECK(parse_day(" 5.1.2027 ") == parse_day("2027-01-05"));
    CHECK(parse_day("12/31/2026") == d);              // only month first makes sense
    CHECK(parse_day("01/02/2027") == parse_day("2027-02-01"));  // ambiguous: day first
    CHECK_FALSE(parse_day("31.02.2026"));
    CHECK_FALSE(parse_day("31/12-2026"));             // mixed separators
    CHECK_FALSE(parse_day("2026.12.31"));
    CHECK_FALSE(parse_day("31.12.26"));               // a two-digit year
    CHECK_FALSE(parse_day("131.12.2026"));
    CHECK_FALSE(parse_day("-1.12.2026"));
}

TEST_CASE("quote form refilled from a quote reads back to the same quote (revision)", "[quote_state]") {
    for (const char* lang : {"en", "es", "de", "fr"}) {
        Quote q = quote(3, kQuoteSent);
        q.lines[0].quantity = 2500;
        q.lines[0].unit_price = 123456;
        q.lines[0].discount_bp = 250;
        q.tax_bp = 550;
        q.shipping = 15000;
        update_totals(q);
        QuoteEditor e;
        editor_fill(e, q, lang);
        auto back = editor_quote(e, lang, kNow, nullptr);
        INFO(lang);
        REQUIRE(back);
        CHECK(back->lines[0].quantity == 2500);
        CHECK(back->lines[0].unit_price == 123456);
        CHECK(back->lines[0].discount_bp == 250);
        CHECK(back->tax_bp == 550);
        CHECK(back->shipping == 15000);
        CHECK(back->totals.total == q.totals.total);
    }
}

TEST_CASE("deep links: /requests/N?quote=Q&paid=1 opens the viewer, and back closes it", "[quote_state]") {
    Route r = parse_route("/requests/5?quote=12&paid=1");
    CHECK(r.screen == Screen::Request);
    CHECK(r.request_id == 5);
    CHECK(r.quote_id == 12);
    CHECK(r.paid);
    CHECK(route_path(r) == "/requests/5?quote=12&paid=1");
    CHECK(parse_route("/requests/5?quote=x").quote_id == 0);
    CHECK_FALSE(parse_route("/requests/5?paid=1").paid);
    CHECK(route_path(parse_route("/requests/5")) == "/requests/5");
}

TEST_CASE("viewer: the buyer's first view sends one /open; the seller's never", "[quote_state]") {
    AppState s = state_as(kRoleBuyer, {quote(12, kQuoteSent)});
    Effects fx;
    action_quote_view(s, 12, fx);
    CHECK(calls_to(fx, "/api/v1/quotes/12/open") == 1);
    CHECK(fx.push_url == std::optional<std::string>("/requests/5?quote=12"));
    Effects again;
    action_quote_close_view(s, again);
    action_quote_view(s, 12, again);
    CHECK(calls_to(again, "/api/v1/quotes/12/open") == 0);

    AppState seller = state_as(kRoleManufacturer, {quote(12, kQuoteSent)});
    Effects sf;
    action_quote_view(seller, 12, sf);
    CHECK(calls_to(sf, "/api/v1/quotes/12/open") == 0);
    CHECK(seller.qv.quote_id == 12);
}

TEST_CASE("viewer: accept sends the typed name and version; a refusal keeps it with the reason", "[quote_state]") {
    AppState s = state_as(kRoleBuyer, {quote(12, kQuoteOpened, 2)});
    Effects fx;
    action_quote_view(s, 12, fx);
    action_quote_accept_start(s, fx);
    CHECK(s.qv.accept_name == "Luc Martin");  // prefilled, editable
    s.qv.accept_name = "  ";
    action_quote_accept(s, fx);
    CHECK_FALSE(s.qv.error.empty());
    s.qv.accept_name = "Luc Martin";
    Effects go;
    action_quote_accept(s, go);
    REQUIRE(go.calls.size() == 1);
    AcceptQuote body;
    REQUIRE(parse_json(go.calls[0].body, body));
    CHECK(body.name == "Luc Martin");
    CHECK(body.version == 2);
    Effects done;
    action_http_done(s, go.calls[0], {409, R"({"error":{"code":"stale_version","message":"A newer version exists."}})"}, done);
    CHECK(s.qv.error == "A newer version exists.");
    CHECK(s.qv.accept_name == "Luc Martin");
    CHECK(s.qv.accepting);
    // Accepted: the quote in the page changes.
    Quote acc = quote(12, kQuoteAccepted, 2);
    acc.accepted_at = kNow;
    acc.accepted_by_name = "Luc Martin";
    action_quote_accept(s, go);
    action_http_done(s, go.calls.back(), {200, dump_json(acc)}, done);
    CHECK(find_quote(s, 12)->status == kQuoteAccepted);
    CHECK_FALSE(s.qv.accepting);
}

TEST_CASE("pay: the answer's checkout URL is where the page goes; an error stays in the viewer", "[quote_state]") {
    AppState s = state_as(kRoleBuyer, {quote(12, kQuoteAccepted)});
    Effects fx;
    action_quote_view(s, 12, fx);
    Effects pay;
    action_quote_pay(s, pay);
    REQUIRE(pay.calls.size() == 1);
    CHECK(pay.calls[0].path == "/api/v1/quotes/12/pay");
    Effects done;
    action_http_done(s, pay.calls[0], {200, R"({"checkout_url":"http://127.0.0.1:8080/pay/demo/abc","provider":"demo"})"}, done);
    CHECK(done.go_url == std::optional<std::string>("http://127.0.0.1:8080/pay/demo/abc"));
    s.qv.busy = false;
    Effects pay2, done2;
    action_quote_pay(s, pay2);
    action_http_done(s, pay2.calls[0], {409, R"({"error":{"code":"already_paid","message":"This quote is already paid."}})"}, done2);
    CHECK_FALSE(done2.go_url);
    CHECK(s.qv.error == "This quote is already paid.");
}

TEST_CASE("send quote: a new line counts pieces in the interface's language", "[quote_state]") {
    i18n::set_language("de");
    AppState s = state_as(kRoleManufacturer, {});
    Effects fx;
    action_quote_new(s, kNow, fx);
    REQUIRE(s.qe.lines.size() == 1);
    CHECK(s.qe.lines[0].unit == "Stk.");
    action_quote_add_line(s, fx);
    CHECK(s.qe.lines[1].unit == "Stk.");
    i18n::set_language("en");
    action_quote_add_line(s, fx);
    CHECK(s.qe.lines[2].unit == "pcs");
}

TEST_CASE("send quote: a new quote posts to the request, a revision to /revise; failures keep the form", "[quote_state]") {
    AppState s = state_as(kRoleManufacturer, {quote(12, kQuoteOpened)});
    Effects fx;
    action_quote_new(s, kNow, fx);
    REQUIRE(s.qe.open);
    CHECK(s.qe.valid_until == "2026-12-18");  // 30 days ahead
    s.qe.lines[0] = {"Pump", "", "1", "pcs", "900", ""};
    Effects send;
    action_quote_submit(s, kNow, send);
    REQUIRE(send.calls.size() == 1);
    CHECK(send.calls[0].path == "/api/v1/requests/5/quotes");
    Effects done;
    action_http_done(s, send.calls[0], {400, R"({"error":{"code":"invalid_quote","message":"currency: unknown"}})"}, done);
    CHECK(s.qe.open);
    CHECK(s.qe.error == "currency: unknown");
    CHECK(s.qe.lines[0].product == "Pump");

    Effects rev;
    action_quote_revise(s, 12, rev);
    CHECK(s.qe.revise_of == 12);
    Effects send2;
    action_quote_submit(s, kNow, send2);
    REQUIRE(send2.calls.size() == 1);
    CHECK(send2.calls[0].path == "/api/v1/quotes/12/revise");
    Quote v2 = quote(13, kQuoteSent, 2);
    v2.supersedes = 12;
    action_http_done(s, send2.calls[0], {201, dump_json(v2)}, done);
    CHECK_FALSE(s.qe.open);
    CHECK(find_quote(s, 12)->status == kQuoteSuperseded);
    REQUIRE(latest_quotes(s).size() == 1);
    CHECK(latest_quotes(s)[0]->id == 13);
    // A buyer cannot open the composer.
    AppState b = state_as(kRoleBuyer, {});
    action_quote_new(b, kNow, fx);
    CHECK_FALSE(b.qe.open);
}

TEST_CASE("previews: widths cached by the server, PNG decoding, at most two pages fetched at once", "[preview]") {
    CHECK(preview_request_width(390, 3) == 1200);
    CHECK(preview_request_width(401, 1) == 450);
    CHECK(preview_request_width(2000, 2) == 1600);
    CHECK(preview_request_width(10, 1) == 100);

    // A 2×1 RGBA PNG (red, blue): IHDR + zlib-compressed rows + IEND, built with Python's zlib.
    const unsigned char png[] = {
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
        0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0xf4, 0x22, 0x7f, 0x8a, 0x00, 0x00, 0x00,
        0x0e, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0x00, 0x42, 0xff, 0x01, 0x0f, 0xf9, 0x03,
        0xfd, 0x85, 0x11, 0x99, 0x76, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
    PreviewPage pg;
    std::string why;
    REQUIRE(decode_png(std::string(reinterpret_cast<const char*>(png), sizeof png), pg, &why));
    CHECK(pg.w == 2);
    CHECK(pg.h == 1);
    REQUIRE(pg.rgba.size() == 8);
    CHECK((pg.rgba[0] == 255 && pg.rgba[1] == 0 && pg.rgba[2] == 0 && pg.rgba[3] == 255));
    CHECK((pg.rgba[4] == 0 && pg.rgba[5] == 0 && pg.rgba[6] == 255));
    CHECK_FALSE(decode_png("%PDF-1.4 not a png", pg, &why));

    AppState s = state_as(kRoleBuyer, {});
    Effects fx;
    action_preview_open(s, 44, "quote.pdf", fx);
    REQUIRE(fx.calls.size() == 1);
    CHECK(fx.calls[0].path == "/api/v1/attachments/44/pages");
    Effects done;
    action_http_done(s, fx.calls[0], {200, R"({"pages":3,"sizes":[[595,842],[842,595],[595,842]],"truncated":false})"}, done);
    REQUIRE(s.preview.pages.size() == 3);
    CHECK(s.preview.aspect[1] == Approx(595.f / 842.f));
    Effects need;
    for (int n = 1; n <= 3; n++) action_preview_need_page(s, n, 800, need);
    REQUIRE(need.calls.size() == 2);  // the third waits for a free slot
    CHECK(need.calls[0].path == "/api/v1/attachments/44/pages/1?width=800");
    action_http_done(s, need.calls[0], {200, std::string(reinterpret_cast<const char*>(png), sizeof png)}, done);
    CHECK(s.preview.pages[0].state == PreviewPage::Ready);
    action_http_done(s, need.calls[1], {500, "{}"}, done);
    CHECK(s.preview.pages[1].state == PreviewPage::Failed);
    Effects more;
    action_preview_need_page(s, 3, 800, more);
    action_preview_need_page(s, 1, 800, more);  // already there at that width
    REQUIRE(more.calls.size() == 1);
    CHECK(more.calls[0].path == "/api/v1/attachments/44/pages/3?width=800");
    // Not a PDF: the server's reason shows.
    Effects f2, d2;
    action_preview_open(s, 45, "photo.png", f2);
    action_http_done(s, f2.calls[0], {415, R"({"error":{"code":"not_a_pdf","message":"Only PDF documents have page previews."}})"}, d2);
    CHECK(s.preview.error == "Only PDF documents have page previews.");
}

// A full-screen sheet has its own history entry: on a phone Back closes it and stays on the
// request (it used to leave the request for the inbox).
TEST_CASE("sheets and Back: the composer and a PDF preview push an entry; Back closes them on the same page",
          "[quote_state]") {
    AppState s = state_as(kRoleManufacturer, {});
    Effects fx;
    action_quote_new(s, kNow, fx);
    REQUIRE(s.qe.open);
    REQUIRE(fx.push_url);
    CHECK(*fx.push_url == "/requests/5#sheet");
    // Back: the popstate is the request itself, the composer closes, nothing else moves.
    Effects back;
    action_popstate(s, parse_route("/requests/5"), back);
    CHECK_FALSE(s.qe.open);
    CHECK(s.route.request_id == 5);
    CHECK_FALSE(back.history_back);
    CHECK_FALSE(back.push_url);
    // Closed with its own button: the page goes back over the sheet's entry, whose popstate
    // then finds nothing open.
    Effects again;
    action_quote_new(s, kNow, again);
    Effects closed;
    action_quote_close_editor(s, closed);
    CHECK(closed.history_back);
    Effects after;
    action_popstate(s, parse_route("/requests/5"), after);
    CHECK(s.route.request_id == 5);
    CHECK(after.calls.empty());
    // A PDF preview the same way; opening another request meanwhile does not go back.
    Effects pv;
    action_preview_open(s, 41, "Datasheet.pdf", pv);
    CHECK(pv.push_url == std::optional<std::string>("/requests/5#sheet"));
    Effects pback;
    action_popstate(s, parse_route("/requests/5"), pback);
    CHECK(s.preview.attachment_id == 0);
    Effects pv2;
    action_preview_open(s, 41, "Datasheet.pdf", pv2);
    Effects away;
    action_navigate(s, parse_route("/requests/6"), true, away);
    CHECK(s.preview.attachment_id == 0);
    CHECK_FALSE(away.history_back);
    CHECK(away.push_url == std::optional<std::string>("/requests/6"));
    // Back to another page while nothing is open: an ordinary navigation.
    Effects nav;
    action_popstate(s, parse_route("/"), nav);
    CHECK(s.route.screen == Screen::Inbox);
}
