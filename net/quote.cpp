#include "net/quote.h"
#include <algorithm>
#include "net/json_fields.h"
#include "net/locale.h"

namespace parley {
using nlohmann::json;

// ---- JSON ------------------------------------------------------------------------------
// Same conventions as wire.cpp (net/json_fields.h).
#define WIRE PARLEY_JSON_FIELDS

#define QUOTELINE(F) F(product) F(reference) F(quantity) F(unit) F(unit_price) F(discount_bp)
#define LINETOTAL(F) F(gross) F(discount) F(net)
#define QUOTETOTALS(F) F(lines) F(subtotal) F(discount_total) F(shipping) F(tax) F(total)
#define QUOTE(F) F(id) F(request_id) F(conversation_id) F(number) F(version) F(supersedes) \
    F(status) F(currency) F(lines) F(tax_bp) F(shipping) F(incoterm) F(lead_time_days)   \
    F(valid_until) F(payment_terms) F(notes) F(online_payment) F(created) F(totals)  \
    F(opened_at) F(accepted_at) F(accepted_by_name) F(paid_at) F(paid_provider) F(paid_reference)

WIRE(QuoteLine, QUOTELINE)
WIRE(LineTotal, LINETOTAL)
WIRE(QuoteTotals, QUOTETOTALS)
WIRE(Quote, QUOTE)

#undef WIRE

#define DEFINE_HELPERS(T)                                                               \
    template <> bool parse_json<T>(const std::string& text, T& out, std::string* why) { \
        return json_fields::parse(text, out, why);                                              \
    }                                                                                   \
    template <> std::string dump_json<T>(const T& v) { return json(v).dump(); }
PARLEY_QUOTE_TYPES(DEFINE_HELPERS)
#undef DEFINE_HELPERS

// ---- Money math ------------------------------------------------------------------------
__int128 div_round_half_away(__int128 num, __int128 den) {
    // |num| / den, rounded half up, with the sign of num: 2.5 → 3, −2.5 → −3.
    bool neg = num < 0;
    __int128 mag = neg ? -num : num;
    __int128 q = mag / den, r = mag % den;
    if (r * 2 >= den) ++q;
    return neg ? -q : q;
}

namespace {
bool fits(__int128 v) { return v >= -static_cast<__int128>(kMaxAmount) && v <= kMaxAmount; }
}  // namespace

std::optional<QuoteTotals> compute_totals(const Quote& q, FieldError* error) {
    auto fail = [&](std::string field) -> std::optional<QuoteTotals> {
        if (error) *error = {std::move(field), "amount too large"};
        return std::nullopt;
    };
    QuoteTotals t;
    t.lines.reserve(q.lines.size());
    __int128 subtotal = 0, discounts = 0;
    for (size_t i = 0; i < q.lines.size(); ++i) {
        const QuoteLine& l = q.lines[i];
        std::string field = "lines[" + std::to_string(i) + "]";
        // int64 × int64 fits in 127 bits; int64 × int fits easily.
        __int128 gross = div_round_half_away(static_cast<__int128>(l.quantity) * l.unit_price, 1000);
        if (!fits(gross)) return fail(field);
        __int128 discount = div_round_half_away(gross * l.discount_bp, kMaxBasisPoints);
        __int128 net = gross - discount;
        if (!fits(discount) || !fits(net)) return fail(field);
        subtotal += net;
        discounts += discount;
        if (!fits(subtotal) || !fits(discounts)) return fail("totals");
        t.lines.push_back({static_cast<Money>(gross), static_cast<Money>(discount), static_cast<Money>(net)});
    }
    if (!fits(q.shipping)) return fail("shipping");
    __int128 base = subtotal + q.shipping;
    if (!fits(base)) return fail("totals");
    __int128 tax = div_round_half_away(base * q.tax_bp, kMaxBasisPoints);
    __int128 total = base + tax;
    if (!fits(tax) || !fits(total)) return fail("totals");
    t.subtotal = static_cast<Money>(subtotal);
    t.discount_total = static_cast<Money>(discounts);
    t.shipping = q.shipping;
    t.tax = static_cast<Money>(tax);
    t.total = static_cast<Money>(total);
    return t;
}

bool update_totals(Quote& q, FieldError* error) {
    auto t = compute_totals(q, error);
    if (!t) return false;
    q.totals = std::move(*t);
    return true;
}

// ---- Currencies ------------------------------------------------------------------------
const std::vector<CurrencyInfo>& currencies() {
    // ISO 4217 minor-unit exponents. HUF, CZK, ... are 2 in ISO 4217 even where cash
    // has no minor coins; KRW and JPY are 0; BHD, KWD, OMR, JOD and TND are 3.
    static const std::vector<CurrencyInfo> list = {
        {"EUR", 2}, {"USD", 2}, {"GBP", 2}, {"CHF", 2}, {"JPY", 0}, {"CNY", 2}, {"CAD", 2},
        {"AUD", 2}, {"NZD", 2}, {"SEK", 2}, {"NOK", 2}, {"DKK", 2}, {"PLN", 2}, {"CZK", 2},
        {"HUF", 2}, {"RON", 2}, {"BGN", 2}, {"RUB", 2}, {"TRY", 2}, {"INR", 2}, {"BRL", 2},
        {"MXN", 2}, {"ARS", 2}, {"CLP", 0}, {"COP", 2}, {"ZAR", 2}, {"KRW", 0}, {"HKD", 2},
        {"SGD", 2}, {"TWD", 2}, {"THB", 2}, {"MYR", 2}, {"IDR", 2}, {"VND", 0}, {"AED", 2},
        {"SAR", 2}, {"QAR", 2}, {"ILS", 2}, {"EGP", 2}, {"MAD", 2}, {"BHD", 3}, {"KWD", 3},
        {"OMR", 3}, {"JOD", 3}, {"TND", 3}};
    return list;
}

const CurrencyInfo* find_currency(std::string_view code) {
    for (const CurrencyInfo& c : currencies())
        if (code == c.code) return &c;
    return nullptr;
}
bool is_known_currency(std::string_view code) { return find_currency(code) != nullptr; }
int currency_exponent(std::string_view code) {
    const CurrencyInfo* c = find_currency(code);
    return c ? c->exponent : 2;
}

namespace {
constexpr const char* kNbsp = "\xC2\xA0";            // U+00A0 NO-BREAK SPACE
constexpr const char* kNarrowNbsp = "\xE2\x80\xAF";  // U+202F NARROW NO-BREAK SPACE
using locale::NumberStyle;
NumberStyle style_for(std::string_view lang) { return locale::number_style(lang); }

std::string symbol_for(std::string_view cur, std::string_view lang) {
    if (cur == "EUR") return "€";
    if (cur == "GBP") return "£";
    if (cur == "USD") {
        if (lang == "es" || lang == "pt" || lang == "zh") return "US$";
        if (lang == "fr") return "$US";
        return "$";
    }
    if (cur == "JPY") return lang == "zh" ? "JP¥" : "¥";
    if (cur == "CNY") return lang == "zh" ? "¥" : "CN¥";
    if (cur == "RUB" && lang == "ru") return "₽";
    return std::string(cur);
}

// Digits of `whole` grouped per style, then the fraction (already zero-padded) if any.
std::string format_number(unsigned __int128 whole, const std::string& fraction, const NumberStyle& s) {
    std::string digits;
    do {
        digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(whole % 10)));
        whole /= 10;
    } while (whole);
    std::string out = locale::group_digits(digits, s);
    if (!fraction.empty()) out += s.decimal + fraction;
    return out;
}

unsigned __int128 pow10(int n) {
    unsigned __int128 p = 1;
    while (n-- > 0) p *= 10;
    return p;
}

// |v| split into whole units and `digits` fraction digits (zero-padded).
std::pair<unsigned __int128, std::string> split(int64_t v, int digits) {
    unsigned __int128 mag = v < 0 ? -static_cast<__int128>(v) : static_cast<__int128>(v);
    unsigned __int128 p = pow10(digits);
    unsigned __int128 frac = mag % p;
    std::string f(static_cast<size_t>(digits), '0');
    for (int i = digits - 1; i >= 0; --i, frac /= 10) f[static_cast<size_t>(i)] = static_cast<char>('0' + static_cast<int>(frac % 10));
    return {mag / p, f};
}

// Fixed-point value with `digits` decimals, shortest form (trailing zeros dropped).
std::string format_trimmed(int64_t v, int digits, std::string_view language) {
    auto [whole, frac] = split(v, digits);
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    std::string out = v < 0 ? "-" : "";
    out += format_number(whole, frac, style_for(language));
    return out;
}
}  // namespace

std::string format_money(Money amount, std::string_view currency, std::string_view language) {
    NumberStyle s = style_for(language);
    auto [whole, frac] = split(amount, currency_exponent(currency));
    std::string number = format_number(whole, frac, s);
    std::string sym = symbol_for(currency, language);
    std::string sign = amount < 0 ? "-" : "";
    if (!s.symbol_first) return sign + number + kNbsp + sym;
    char last = sym.back();
    bool letter = (last >= 'A' && last <= 'Z') || (last >= 'a' && last <= 'z');
    return sign + sym + (letter ? kNbsp : "") + number;  // "CHF 12.00" but "€12.00"
}

std::string format_quantity(int64_t thousandths, std::string_view language) {
    return format_trimmed(thousandths, 3, language);
}

std::string format_basis_points(int bp, std::string_view language) {
    return format_trimmed(bp, 2, language);
}

std::optional<int64_t> parse_decimal(std::string_view text, int digits, std::string_view language) {
    // Drop spaces (ASCII, U+00A0, U+202F) used as group separators or padding.
    std::string s;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == ' ' || text[i] == '\t') continue;
        if (text.substr(i, 2) == kNbsp) { ++i; continue; }
        if (text.substr(i, 3) == kNarrowNbsp) { i += 2; continue; }
        s += text[i];
    }
    bool neg = false;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) { neg = s[0] == '-'; s.erase(0, 1); }
    if (s.empty()) return std::nullopt;
    for (char c : s)
        if (!(c >= '0' && c <= '9') && c != '.' && c != ',') return std::nullopt;

    // Which mark is the decimal one? Both present: the last one. One kind, several times:
    // grouping. One kind, once: the language's decimal mark is decimal; the other mark
    // is grouping only when exactly three digits follow ("1,234" en; "1.234" de).
    auto dot = std::count(s.begin(), s.end(), '.'), comma = std::count(s.begin(), s.end(), ',');
    char dec = 0;
    if (dot && comma) dec = s.find_last_of(".,") == s.rfind('.') ? '.' : ',';
    else if (dot == 1 || comma == 1) {
        char mark = dot ? '.' : ',';
        char lang_dec = *style_for(language).decimal;
        size_t after = s.size() - s.find(mark) - 1;
        dec = (mark == lang_dec || after != 3) ? mark : 0;
    }
    if (dec && std::count(s.begin(), s.end(), dec) != 1) return std::nullopt;
    std::string whole = s, frac;
    if (dec) {
        size_t at = s.find(dec);
        whole = s.substr(0, at);
        frac = s.substr(at + 1);
        if (frac.find_first_of(".,") != std::string::npos) return std::nullopt;
    }
    whole.erase(std::remove_if(whole.begin(), whole.end(), [](char c) { return c == '.' || c == ','; }),
                whole.end());
    if (whole.empty() && frac.empty()) return std::nullopt;
    if (static_cast<int>(frac.size()) > digits) return std::nullopt;  // no silent rounding
    frac.resize(static_cast<size_t>(digits), '0');
    __int128 v = 0;
    for (char c : whole + frac) {
        v = v * 10 + (c - '0');
        if (v > kMaxAmount) return std::nullopt;
    }
    return static_cast<int64_t>(neg ? -v : v);
}

// ---- Incoterms -------------------------------------------------------------------------
const std::vector<std::string>& incoterms() {
    static const std::vector<std::string> list = {"EXW", "FCA", "CPT", "CIP", "DAP", "DPU",
                                                  "DDP", "FAS", "FOB", "CFR", "CIF"};
    return list;
}
bool is_known_incoterm(std::string_view code) {
    const auto& l = incoterms();
    return std::find(l.begin(), l.end(), code) != l.end();
}

// ---- Validation ------------------------------------------------------------------------
std::vector<FieldError> validate_quote(const Quote& q) {
    std::vector<FieldError> e;
    auto add = [&](std::string field, std::string message) { e.push_back({std::move(field), std::move(message)}); };

    if (!q.number.empty()) {
        int y; int64_t n;
        if (!parse_quote_number(q.number, y, n)) add("number", "must look like Q-2026-0042");
    }
    if (q.version < 1) add("version", "must be 1 or more");
    if (q.supersedes < 0 || (q.supersedes != 0 && q.supersedes == q.id))
        add("supersedes", "must be the id of an earlier quote, or 0");
    if (q.version == 1 && q.supersedes != 0) add("supersedes", "a first version supersedes nothing");
    if (!is_known_quote_status(q.status)) add("status", "unknown status \"" + q.status + "\"");
    if (!is_known_currency(q.currency)) add("currency", "unknown currency \"" + q.currency + "\"");

    if (q.lines.empty()) add("lines", "add at least one line");
    if (q.lines.size() > static_cast<size_t>(kMaxQuoteLines))
        add("lines", "at most " + std::to_string(kMaxQuoteLines) + " lines");
    size_t n = std::min(q.lines.size(), static_cast<size_t>(kMaxQuoteLines));
    for (size_t i = 0; i < n; ++i) {
        const QuoteLine& l = q.lines[i];
        std::string p = "lines[" + std::to_string(i) + "].";
        bool blank = std::all_of(l.product.begin(), l.product.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
        if (blank) add(p + "product", "product is required");
        else if (l.product.size() > kMaxQuoteProductChars)
            add(p + "product", "at most " + std::to_string(kMaxQuoteProductChars) + " characters");
        if (l.reference.size() > kMaxQuoteReferenceChars)
            add(p + "reference", "at most " + std::to_string(kMaxQuoteReferenceChars) + " characters");
        if (l.quantity <= 0) add(p + "quantity", "quantity must be more than 0");
        if (l.unit.empty()) add(p + "unit", "unit is required");
        else if (l.unit.size() > kMaxQuoteUnitChars)
            add(p + "unit", "at most " + std::to_string(kMaxQuoteUnitChars) + " characters");
        if (l.unit_price < 0) add(p + "unit_price", "price cannot be negative");
        else if (l.unit_price > kMaxAmount) add(p + "unit_price", "price too large");
        if (l.discount_bp < 0) add(p + "discount_bp", "discount cannot be negative");
        else if (l.discount_bp > kMaxBasisPoints) add(p + "discount_bp", "discount cannot exceed 100 %");
    }

    if (q.tax_bp < 0 || q.tax_bp > kMaxBasisPoints) add("tax_bp", "tax rate must be between 0 % and 100 %");
    if (q.shipping < 0) add("shipping", "shipping cannot be negative");
    if (!is_known_incoterm(q.incoterm)) {
        if (q.incoterm.empty()) add("incoterm", "choose an Incoterm (EXW, FCA, FOB, CIF, DAP, DDP, ...)");
        else add("incoterm", "unknown Incoterm \"" + q.incoterm + "\"");
    }
    if (q.lead_time_days < 0 || q.lead_time_days > kMaxLeadTimeDays)
        add("lead_time_days", "lead time must be between 0 and " + std::to_string(kMaxLeadTimeDays) + " days");
    if (q.valid_until <= 0) add("valid_until", "validity date is required");
    else if (q.created > 0 && q.valid_until <= q.created) add("valid_until", "validity date must be after the quote date");
    if (q.payment_terms.size() > kMaxQuoteTermsChars)
        add("payment_terms", "at most " + std::to_string(kMaxQuoteTermsChars) + " characters");
    if (q.notes.size() > kMaxQuoteNotesChars)
        add("notes", "at most " + std::to_string(kMaxQuoteNotesChars) + " characters");

    // Totals only make sense (and are only checked) once the inputs are in range.
    if (e.empty()) {
        FieldError why;
        if (!compute_totals(q, &why)) add(why.field, "amounts too large to total");
    }
    return e;
}

// ---- Numbering and versions ------------------------------------------------------------
std::string format_quote_number(int year, int64_t sequence) {
    std::string seq = std::to_string(sequence);
    if (seq.size() < 4) seq.insert(0, 4 - seq.size(), '0');
    std::string y = std::to_string(year);
    if (y.size() < 4) y.insert(0, 4 - y.size(), '0');
    return "Q-" + y + "-" + seq;
}

bool parse_quote_number(std::string_view t, int& year, int64_t& sequence) {
    auto digits = [](std::string_view s) {
        return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (t.size() < 11 || t.substr(0, 2) != "Q-" || t[6] != '-') return false;
    std::string_view y = t.substr(2, 4), s = t.substr(7);
    if (!digits(y) || !digits(s) || s.size() > 18) return false;
    if (s.size() > 4 && s[0] == '0') return false;  // canonical: padding only up to 4 digits
    int yv = 0;
    for (char c : y) yv = yv * 10 + (c - '0');
    int64_t sv = 0;
    for (char c : s) sv = sv * 10 + (c - '0');
    if (sv < 1) return false;
    year = yv;
    sequence = sv;
    return true;
}

Quote revise_quote(const Quote& prev, Millis now) {
    Quote next = prev;
    next.id = 0;
    next.version = prev.version + 1;
    next.supersedes = prev.id;
    next.status = kQuoteSent;
    next.created = now;
    return next;
}

// ---- Status ----------------------------------------------------------------------------
bool is_known_quote_status(std::string_view s) {
    return s == kQuoteSent || s == kQuoteOpened || s == kQuoteAccepted || s == kQuotePaid ||
           s == kQuoteSuperseded || s == kQuoteExpired;
}

bool is_final_quote_status(std::string_view s) { return s == kQuotePaid || s == kQuoteSuperseded; }

bool can_transition(std::string_view from, std::string_view to) {
    if (from == kQuoteSent) return to == kQuoteOpened || to == kQuoteExpired || to == kQuoteSuperseded;
    if (from == kQuoteOpened) return to == kQuoteAccepted || to == kQuoteExpired || to == kQuoteSuperseded;
    if (from == kQuoteAccepted) return to == kQuotePaid;
    if (from == kQuoteExpired) return to == kQuoteSuperseded;
    return false;  // paid, superseded: final; unknown: nothing
}

bool is_expired(const Quote& q, Millis now) {
    if (q.status == kQuoteAccepted || q.status == kQuotePaid) return false;
    return q.valid_until > 0 && now > q.valid_until;
}

std::string effective_status(const Quote& q, Millis now) {
    if ((q.status == kQuoteSent || q.status == kQuoteOpened) && is_expired(q, now)) return kQuoteExpired;
    return q.status;
}

}  // namespace parley
