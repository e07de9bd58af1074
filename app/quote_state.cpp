#include <cctype>
#include "app/quote_state.h"
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include "app/i18n.h"
#include "app/state.h"
#include "app/workflow_state.h"

namespace parley {

namespace {
constexpr Millis kDay = 86400000;

std::string trim(const std::string& t) {
    const char* ws = " \t\r\n";
    size_t a = t.find_first_not_of(ws);
    if (a == std::string::npos) return {};
    return t.substr(a, t.find_last_not_of(ws) - a + 1);
}

// Days since 1970-01-01 of a civil date, and back (proleptic Gregorian; H. Hinnant's
// algorithm, public domain).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}
void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2);
}

// A number typed in the form: empty counts as `empty_value`.
std::optional<int64_t> number(const std::string& text, int digits, std::string_view lang, int64_t empty_value) {
    const std::string t = trim(text);
    if (t.empty()) return empty_value;
    return parse_decimal(t, digits, lang);
}

Quote* find_mut(AppState& s, int64_t id) {
    if (!s.thread) return nullptr;
    for (Quote& q : s.thread->quotes)
        if (q.id == id) return &q;
    return nullptr;
}

// The quote the server answered replaces (or joins) the open request's copy.
void take_quote(AppState& s, const Quote& q) {
    if (!s.thread || s.thread->id != q.request_id) return;
    if (Quote* mine = find_mut(s, q.id)) *mine = q;
    else s.thread->quotes.insert(s.thread->quotes.begin(), q);
    if (q.supersedes)
        if (Quote* prev = find_mut(s, q.supersedes)) prev->status = kQuoteSuperseded;
}

HttpCall quote_call(CallKind kind, int64_t request_id, std::string path, std::string body) {
    HttpCall c;
    c.kind = kind;
    c.method = "POST";
    c.path = std::move(path);
    c.body = std::move(body);
    c.request_id = request_id;
    return c;
}

std::string quote_path(int64_t id, const char* tail) { return "/api/v1/quotes/" + std::to_string(id) + tail; }

void push_route(AppState& s, Effects& fx) {
    fx.push_url = route_path(s.route);
    fx.redraw = true;
}

std::string unreadable() { return i18n::tr("Unreadable answer from the server."); }
}  // namespace

// ---------------------------------------------------------------- form ↔ quote

// 2026-12-31 (ISO), 2026/12/31 (as Chinese and Japanese write it), and day first as
// most of Europe does: 31.12.2026, 31/12/2026, 31-12-2026 (one or two digits). A date
// that can only be month first (12/31/2026) is read so; an ambiguous one is day first.
std::optional<Millis> parse_day(const std::string& text) {
    const std::string t = trim(text);
    int y = 0, m = 0, d = 0;
    char tail = 0, s1 = 0, s2 = 0;
    int a = 0, b = 0, c = 0, used = 0;
    if (t.size() > 10 || std::sscanf(t.c_str(), "%d%c%d%c%d%n%c", &a, &s1, &b, &s2, &c, &used, &tail) != 5 ||
        s1 != s2 || (s1 != '-' && s1 != '/' && s1 != '.') || used != (int)t.size() || !std::isdigit((unsigned char)t[0]))
        return std::nullopt;
    const size_t first_len = t.find(s1);
    if (first_len == 4) {
        if (s1 == '.') return std::nullopt;  // 2026.12.31: not a form anyone expects here
        y = a, m = b, d = c;
    } else if (first_len <= 2 && t.size() - t.rfind(s1) - 1 == 4) {
        y = c;
        if (b > 12 && a <= 12) m = a, d = b;  // can only be month first
        else d = a, m = b;
    } else {
        return std::nullopt;
    }
    if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1) return std::nullopt;
    static const int kLen[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > kLen[m - 1] + (m == 2 && leap)) return std::nullopt;
    return (days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)) + 1) * kDay - 1;
}

std::string format_day(Millis end_of_day) {
    int64_t y;
    unsigned m, d;
    civil_from_days(end_of_day >= 0 ? end_of_day / kDay : (end_of_day - kDay + 1) / kDay, y, m, d);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
    return buf;
}

std::string field_error(const std::vector<FieldError>& errors, const std::string& field) {
    for (const FieldError& e : errors)
        if (e.field == field) return e.message;
    return {};
}

// A shared rule's refusal (net/quote.cpp: English, for API clients) in the interface's
// words, by the field it names; one the form cannot produce keeps its text.
static std::string rule_in_words(const FieldError& fe) {
    const std::string& f = fe.field;
    const std::string& m = fe.message;
    auto ends = [&](const char* tail) {
        const size_t n = std::strlen(tail);
        return f.size() >= n && f.compare(f.size() - n, n, tail) == 0;
    };
    if (m.rfind("at most ", 0) == 0 && m.find("characters") != std::string::npos) {
        const std::string n = m.substr(8, m.find(' ', 8) - 8);
        return i18n::trf("At most {0} characters.", {n});
    }
    if (ends("product")) return i18n::tr("Enter the product.");
    if (ends("unit")) return i18n::tr("Enter the unit, e.g. pcs.");
    if (ends("quantity")) return i18n::tr("The quantity must be more than 0.");
    if (ends("unit_price") || f == "shipping" || m.find("too large") != std::string::npos)
        return i18n::tr("This amount is too large.");
    if (ends("discount_bp")) return i18n::tr("The discount cannot exceed 100 %.");
    if (f == "tax_bp") return i18n::tr("The tax rate must be between 0 % and 100 %.");
    if (f == "lead_time_days") return i18n::trf("The lead time must be between 0 and {0} days.", {std::to_string(kMaxLeadTimeDays)});
    if (f == "valid_until") return i18n::tr("The validity date must be after today.");
    std::string out = m;
    if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 32);
    return out;
}

std::optional<Quote> editor_quote(const QuoteEditor& e, std::string_view lang, Millis now,
                                  std::vector<FieldError>* errors) {
    std::vector<FieldError> errs;
    auto bad = [&](std::string field, const char* message) { errs.push_back({std::move(field), i18n::tr(message)}); };
    Quote q;
    q.request_id = e.request_id;
    q.conversation_id = e.conversation_id;
    q.currency = e.currency;
    q.created = now;
    const int exp = currency_exponent(e.currency);
    for (size_t i = 0; i < e.lines.size(); i++) {
        const QuoteLineInput& in = e.lines[i];
        const std::string at = "lines[" + std::to_string(i) + "].";
        QuoteLine l;
        l.product = trim(in.product);
        l.reference = trim(in.reference);
        l.unit = trim(in.unit);
        if (auto v = number(in.quantity, 3, lang, 0)) l.quantity = *v;
        else bad(at + "quantity", "Enter a quantity, e.g. 2 or 2.5.");
        if (auto v = number(in.unit_price, exp, lang, -1); v && *v >= 0) l.unit_price = *v;
        else if (trim(in.unit_price).empty()) bad(at + "unit_price", "Enter the unit price.");
        else bad(at + "unit_price", "Enter a price, e.g. 1250.00.");
        if (auto v = number(in.discount, 2, lang, 0)) l.discount_bp = static_cast<int>(std::clamp<int64_t>(*v, -1, 100000));
        else bad(at + "discount_bp", "Enter a discount in %, e.g. 5.");
        q.lines.push_back(l);
    }
    if (auto v = number(e.tax, 2, lang, 0)) q.tax_bp = static_cast<int>(std::clamp<int64_t>(*v, -1, 100000));
    else bad("tax_bp", "Enter a tax rate in %, e.g. 21.");
    if (auto v = number(e.shipping, exp, lang, 0)) q.shipping = *v;
    else bad("shipping", "Enter a shipping cost, e.g. 150.");
    if (auto v = number(e.lead_time, 0, lang, 0)) q.lead_time_days = static_cast<int>(std::clamp<int64_t>(*v, -1, 100000));
    else bad("lead_time_days", "Enter the lead time in days.");
    if (auto d = parse_day(e.valid_until)) {
        q.valid_until = *d;
        if (*d < now) bad("valid_until", "The validity date has passed.");
    } else {
        bad("valid_until", "Enter a date as YYYY-MM-DD.");
    }
    q.incoterm = e.incoterm;
    q.payment_terms = trim(e.payment_terms);
    q.notes = trim(e.notes);
    q.online_payment = e.online_payment;
    // The shared rules (net/quote.cpp) for everything the parse did not already refuse.
    for (FieldError& fe : validate_quote(q))
        if (field_error(errs, fe.field).empty()) errs.push_back({fe.field, rule_in_words(fe)});
    if (errors) *errors = errs;
    if (!errs.empty()) return std::nullopt;
    update_totals(q);
    return q;
}

std::optional<QuoteTotals> editor_totals(const QuoteEditor& e, std::string_view lang) {
    Quote q;
    q.currency = e.currency;
    const int exp = currency_exponent(e.currency);
    for (const QuoteLineInput& in : e.lines) {
        QuoteLine l;
        l.quantity = number(in.quantity, 3, lang, 0).value_or(0);
        l.unit_price = std::max<int64_t>(0, number(in.unit_price, exp, lang, 0).value_or(0));
        l.discount_bp = static_cast<int>(std::clamp<int64_t>(number(in.discount, 2, lang, 0).value_or(0), 0, kMaxBasisPoints));
        q.lines.push_back(l);
    }
    q.tax_bp = static_cast<int>(std::clamp<int64_t>(number(e.tax, 2, lang, 0).value_or(0), 0, kMaxBasisPoints));
    q.shipping = std::max<int64_t>(0, number(e.shipping, exp, lang, 0).value_or(0));
    return compute_totals(q);
}

// A scaled integer back to the form's text: "1234.5" / "1234,5" (the language's decimal
// mark, no grouping, no trailing zeros), which parse_decimal reads back exactly.
static std::string plain_decimal(int64_t v, int digits, std::string_view lang) {
    static const std::string_view kComma[] = {"de", "it", "pt", "es", "fr", "ru"};  // as net/quote.cpp
    const char mark = std::find(std::begin(kComma), std::end(kComma), lang) != std::end(kComma) ? ',' : '.';
    int64_t scale = 1;
    for (int i = 0; i < digits; i++) scale *= 10;
    const bool neg = v < 0;
    const uint64_t mag = neg ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
    std::string t = (neg ? "-" : "") + std::to_string(mag / static_cast<uint64_t>(scale));
    std::string frac = std::to_string(mag % static_cast<uint64_t>(scale));
    if (digits > 0 && mag % static_cast<uint64_t>(scale) != 0) {
        frac.insert(0, static_cast<size_t>(digits) - frac.size(), '0');
        while (!frac.empty() && frac.back() == '0') frac.pop_back();
        t += mark + frac;
    }
    return t;
}

void editor_fill(QuoteEditor& e, const Quote& q, std::string_view lang) {
    const int exp = currency_exponent(q.currency);
    e.currency = q.currency;
    e.conversation_id = q.conversation_id;
    e.number = q.number;
    e.lines.clear();
    for (const QuoteLine& l : q.lines)
        e.lines.push_back({l.product, l.reference, plain_decimal(l.quantity, 3, lang), l.unit,
                           plain_decimal(l.unit_price, exp, lang), plain_decimal(l.discount_bp, 2, lang)});
    e.tax = plain_decimal(q.tax_bp, 2, lang);
    e.shipping = plain_decimal(q.shipping, exp, lang);
    e.incoterm = q.incoterm;
    e.lead_time = std::to_string(q.lead_time_days);
    e.valid_until = format_day(q.valid_until);
    e.payment_terms = q.payment_terms;
    e.notes = q.notes;
    e.online_payment = q.online_payment;
}

// ---------------------------------------------------------------- queries

const Quote* find_quote(const AppState& s, int64_t id) {
    if (!s.thread || id <= 0) return nullptr;
    for (const Quote& q : s.thread->quotes)
        if (q.id == id) return &q;
    return nullptr;
}

std::vector<const Quote*> latest_quotes(const AppState& s) {
    std::vector<const Quote*> out;
    if (!s.thread) return out;
    for (const Quote& q : s.thread->quotes) {
        auto same = std::find_if(out.begin(), out.end(), [&](const Quote* o) { return o->number == q.number; });
        if (same == out.end()) out.push_back(&q);
        else if ((*same)->version < q.version) *same = &q;
    }
    std::sort(out.begin(), out.end(), [](const Quote* a, const Quote* b) { return a->created > b->created; });
    return out;
}

const Quote* quote_of_event(const AppState& s, const std::string& number, int64_t version) {
    if (!s.thread) return nullptr;
    for (const Quote& q : s.thread->quotes)
        if (q.number == number && q.version == version) return &q;
    return nullptr;
}

const char* quote_status_name(const std::string& st) {
    if (st == kQuoteSent) return i18n::tr("Sent");
    if (st == kQuoteOpened) return i18n::tr("Opened by the buyer");
    if (st == kQuoteAccepted) return i18n::tr("Accepted");
    if (st == kQuotePaid) return i18n::tr("Paid");
    if (st == kQuoteSuperseded) return i18n::tr("Superseded");
    if (st == kQuoteExpired) return i18n::tr("Expired");
    return "";
}

bool can_send_quote(const AppState& s) { return s.thread && s.thread->can.quote && !is_buyer(s); }

// ---------------------------------------------------------------- actions: composer

static void open_editor(AppState& s, Effects& fx) {
    sheet_opened(s, fx);
    s.qe.open = true;
    s.qe.request_id = s.thread ? s.thread->id : 0;
    s.qe.busy = false;
    s.qe.tried = false;
    s.qe.error.clear();
    fx.redraw = true;
}

// A new line: one piece, in the interface's word for pieces (the seller's language).
static QuoteLineInput new_line() {
    QuoteLineInput l;
    l.unit = i18n::tr("pcs");
    return l;
}

void action_quote_new(AppState& s, Millis now, Effects& fx) {
    if (!can_send_quote(s)) return;
    // A form closed with Cancel comes back as it was; another request's or a revision's does not.
    if (s.qe.request_id != s.thread->id || s.qe.revise_of != 0 || s.qe.lines.empty()) {
        s.qe = QuoteEditor{};
        s.qe.lines.push_back(new_line());
        s.qe.valid_until = format_day((now / kDay + 30) * kDay + kDay - 1);
    }
    open_editor(s, fx);
}

void action_quote_revise(AppState& s, int64_t quote_id, Effects& fx) {
    const Quote* q = find_quote(s, quote_id);
    if (!q || !can_send_quote(s)) return;
    s.qe = QuoteEditor{};
    editor_fill(s.qe, *q, i18n::language());
    s.qe.revise_of = q->id;
    // A revision is valid for the same span again, counted from today.
    open_editor(s, fx);
}

void action_quote_add_line(AppState& s, Effects& fx) {
    if (s.qe.busy || static_cast<int>(s.qe.lines.size()) >= kMaxQuoteLines) return;
    s.qe.lines.push_back(new_line());
    fx.redraw = true;
}

void action_quote_remove_line(AppState& s, size_t i, Effects& fx) {
    if (s.qe.busy || i >= s.qe.lines.size() || s.qe.lines.size() <= 1) return;
    s.qe.lines.erase(s.qe.lines.begin() + static_cast<std::ptrdiff_t>(i));
    fx.redraw = true;
}

void action_quote_close_editor(AppState& s, Effects& fx) {
    if (s.qe.busy) return;
    s.qe.open = false;  // what was typed stays until another quote is started
    sheet_closed(s, fx);
    fx.redraw = true;
}

void action_quote_submit(AppState& s, Millis now, Effects& fx) {
    QuoteEditor& e = s.qe;
    if (!e.open || e.busy) return;
    e.tried = true;
    e.error.clear();
    fx.redraw = true;
    std::vector<FieldError> errs;
    auto q = editor_quote(e, i18n::language(), now, &errs);
    if (!q) {
        e.error = i18n::tr("Some fields need attention (in red).");
        return;
    }
    e.busy = true;
    const std::string body = dump_json(*q);
    if (e.revise_of) fx.calls.push_back(quote_call(CallKind::QuoteSend, e.request_id, quote_path(e.revise_of, "/revise"), body));
    else fx.calls.push_back(quote_call(CallKind::QuoteSend, e.request_id,
                                       "/api/v1/requests/" + std::to_string(e.request_id) + "/quotes", body));
}

// ---------------------------------------------------------------- actions: viewer

static void mark_opened(AppState& s, Effects& fx) {
    const Quote* q = find_quote(s, s.qv.quote_id);
    if (!q || !is_buyer(s) || q->opened_at != 0 || s.qv.open_sent.count(q->id)) return;
    s.qv.open_sent.insert(q->id);
    fx.calls.push_back(quote_call(CallKind::QuoteOpen, q->request_id, quote_path(q->id, "/open"), ""));
}

void action_quote_view(AppState& s, int64_t quote_id, Effects& fx) {
    if (!find_quote(s, quote_id)) return;
    s.qv.quote_id = quote_id;
    s.qv.accepting = false;
    s.qv.error.clear();
    s.route.quote_id = quote_id;
    push_route(s, fx);
    mark_opened(s, fx);
}

void action_quote_close_view(AppState& s, Effects& fx) {
    if (s.qv.busy) return;
    s.qv.quote_id = 0;
    s.qv.accepting = false;
    s.qv.just_paid = false;
    s.route.quote_id = 0;
    s.route.paid = false;
    push_route(s, fx);
}

void quote_route_changed(AppState& s, Effects& fx) {
    if (s.route.quote_id != s.qv.quote_id) {
        s.qv.quote_id = s.route.quote_id;
        s.qv.accepting = false;
        s.qv.error.clear();
    }
    s.qv.just_paid = s.route.paid;
    mark_opened(s, fx);  // no-op until the thread (and so the quote) is loaded
    fx.redraw = true;
}

void quote_thread_loaded(AppState& s, Effects& fx) {
    mark_opened(s, fx);
    const Quote* q = find_quote(s, s.qv.quote_id);
    if (q && q->status == kQuotePaid) s.qv.just_paid = false;  // the status says it now
}

void action_quote_accept_start(AppState& s, Effects& fx) {
    const Quote* q = find_quote(s, s.qv.quote_id);
    if (!q || !is_buyer(s)) return;
    s.qv.accepting = true;
    s.qv.error.clear();
    if (s.qv.accept_name.empty()) s.qv.accept_name = s.inbox.me.name;
    fx.redraw = true;
}

void action_quote_accept_cancel(AppState& s, Effects& fx) {
    if (s.qv.busy) return;
    s.qv.accepting = false;
    s.qv.error.clear();
    fx.redraw = true;
}

void action_quote_accept(AppState& s, Effects& fx) {
    const Quote* q = find_quote(s, s.qv.quote_id);
    if (!q || s.qv.busy) return;
    fx.redraw = true;
    const std::string name = trim(s.qv.accept_name);
    if (name.empty()) {
        s.qv.error = i18n::tr("Type your full name to accept.");
        return;
    }
    s.qv.busy = true;
    s.qv.error.clear();
    fx.calls.push_back(quote_call(CallKind::QuoteAccept, q->request_id, quote_path(q->id, "/accept"),
                                  dump_json(AcceptQuote{name, q->version})));
}

void action_quote_pay(AppState& s, Effects& fx) {
    const Quote* q = find_quote(s, s.qv.quote_id);
    if (!q || s.qv.busy || !is_buyer(s)) return;
    s.qv.busy = true;
    s.qv.error.clear();
    fx.redraw = true;
    fx.calls.push_back(quote_call(CallKind::QuotePay, q->request_id, quote_path(q->id, "/pay"), "{}"));
}

// ---------------------------------------------------------------- answers

void quote_http_done(AppState& s, const HttpCall& c, const HttpResult& r, Effects& fx) {
    fx.redraw = true;
    const bool ok = r.status / 100 == 2;
    switch (c.kind) {
        case CallKind::QuoteSend: {
            QuoteEditor& e = s.qe;
            if (!e.busy || e.request_id != c.request_id) return;
            e.busy = false;
            Quote q;
            if (ok && parse_json(r.body, q)) {
                take_quote(s, q);
                e = QuoteEditor{};  // sent: the form closes and forgets
                sheet_closed(s, fx);
                return;
            }
            e.error = ok ? unreadable() : failure_reason(r);
            return;
        }
        case CallKind::QuoteOpen: {
            Quote* q = nullptr;
            for (int64_t id : s.qv.open_sent)
                if (c.path == quote_path(id, "/open")) q = find_mut(s, id);
            if (!ok) return;  // not recorded: the next page load tries again
            // 204: the seller was told; show "opened" here too until the next reload.
            if (q && q->opened_at == 0) {
                q->opened_at = 1;
                if (q->status == kQuoteSent) q->status = kQuoteOpened;
            }
            return;
        }
        case CallKind::QuoteAccept: {
            s.qv.busy = false;
            Quote q;
            if (ok && parse_json(r.body, q)) {
                take_quote(s, q);
                s.qv.accepting = false;
                return;
            }
            s.qv.error = ok ? unreadable() : failure_reason(r);
            return;
        }
        case CallKind::QuotePay: {
            nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
            if (ok && j.is_object() && j.contains("checkout_url") && j["checkout_url"].is_string()) {
                // Stay busy: the page is about to leave for the checkout.
                fx.go_url = j["checkout_url"].get<std::string>();
                return;
            }
            s.qv.busy = false;
            s.qv.error = ok ? unreadable() : failure_reason(r);
            return;
        }
        default: return;
    }
}

}  // namespace parley
