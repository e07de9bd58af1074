// Structured quotes: the pure model shared by client and server ("Send a quote").
// Wire types and JSON, money math in integer minor units, validation, numbering,
// versioning and status rules. No I/O, no database, no UI; no floating point anywhere.
//
// Money: every amount is an integer count of the currency's minor unit (cents for EUR,
// yen for JPY, fils for BHD). Quantities are integer thousandths of a unit (2500 = 2.5).
// Rates are basis points (1 bp = 0.01 %, 2100 = 21 %, 10000 = 100 %).
//
// Totals (compute_totals):
//   line gross    = round(quantity × unit_price / 1000)
//   line discount = round(gross × discount_bp / 10000)
//   line net      = gross − discount
//   subtotal      = Σ net            discount_total = Σ discount
//   tax           = round((subtotal + shipping) × tax_bp / 10000)
//   total         = subtotal + shipping + tax
// Rounding is "commercial": half away from zero (2.5 → 3, −2.5 → −3), applied once per
// line (gross, then discount) and once on the tax — never on intermediate sums, and the
// displayed line nets always add up exactly to the subtotal.
// Shipping is taxed at the quote's rate (EU VAT: transport billed by the supplier is
// ancillary to the supply and follows its rate); the tax base is subtotal + shipping.
// Intermediates are 128-bit; any input or result outside ±kMaxAmount is reported as an
// error, never wrapped. kMaxAmount is 2^53 − 1 so every amount is also exact in a
// JavaScript number (HTTP tests and browsers read the JSON).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include <nlohmann/json_fwd.hpp>
#include "net/wire.h"

namespace parley {

using Money = int64_t;  // minor units of the quote's currency

constexpr Money kMaxAmount = 9007199254740991;  // 2^53 − 1
constexpr int kMaxQuoteLines = 200;
constexpr int kMaxBasisPoints = 10000;           // 100 %
constexpr size_t kMaxQuoteProductChars = 200;     // bytes of UTF-8
constexpr size_t kMaxQuoteReferenceChars = 100;
constexpr size_t kMaxQuoteUnitChars = 16;
constexpr size_t kMaxQuoteTermsChars = 1000;      // payment_terms
constexpr size_t kMaxQuoteNotesChars = 4000;      // notes
constexpr int kMaxLeadTimeDays = 3650;

// Statuses. sent → opened → accepted → paid; sent/opened → expired;
// sent/opened/expired → superseded (a revision replaces it). See can_transition.
inline constexpr const char* kQuoteSent = "sent";
inline constexpr const char* kQuoteOpened = "opened";
inline constexpr const char* kQuoteAccepted = "accepted";
inline constexpr const char* kQuotePaid = "paid";
inline constexpr const char* kQuoteSuperseded = "superseded";
inline constexpr const char* kQuoteExpired = "expired";

struct QuoteLine {
    std::string product, reference;
    int64_t quantity = 0;       // thousandths of `unit`: 2500 = 2.5
    std::string unit = "pcs";   // "pcs", "kg", "m", ...
    Money unit_price = 0;       // minor units per one unit
    int discount_bp = 0;        // 0..10000
};

struct LineTotal {
    Money gross = 0, discount = 0, net = 0;
};

struct QuoteTotals {
    std::vector<LineTotal> lines;  // one per QuoteLine, same order
    Money subtotal = 0;            // Σ line net (after discounts, before shipping and tax)
    Money discount_total = 0;      // Σ line discount
    Money shipping = 0;
    Money tax = 0;
    Money total = 0;
};

struct Quote {
    int64_t id = 0, request_id = 0, conversation_id = 0;
    std::string number;        // "Q-2026-0042", shared by every version
    int version = 1;           // 1, 2, ...
    int64_t supersedes = 0;    // id of the previous version, 0 for the first
    std::string status = kQuoteSent;
    std::string currency = "EUR";  // ISO 4217
    std::vector<QuoteLine> lines;
    int tax_bp = 0;            // VAT rate, 0..10000
    Money shipping = 0;
    std::string incoterm;      // Incoterms 2020: EXW, FCA, FOB, CIF, DAP, DDP, ...
    int lead_time_days = 0;
    Millis valid_until = 0;    // valid while now <= valid_until
    std::string payment_terms, notes;
    bool online_payment = false;
    Millis created = 0;
    QuoteTotals totals;        // computed (compute_totals); sent for display
    // Set by the server: when the buyer first opened it, and their acceptance
    // (the full name they typed; the version accepted is `version`). 0 / "" until then.
    Millis opened_at = 0;
    Millis accepted_at = 0;
    std::string accepted_by_name;
    // Set only by a payment provider's confirmation (server/payments): when, which
    // provider ("demo", "stripe") and its payment reference. 0 / "" until paid.
    Millis paid_at = 0;
    std::string paid_provider, paid_reference;
};

#define PARLEY_QUOTE_TYPES(X) X(QuoteLine) X(LineTotal) X(QuoteTotals) X(Quote)
#define PARLEY_DECLARE_JSON(T)                      \
    void to_json(nlohmann::json&, const T&);        \
    void from_json(const nlohmann::json&, T&);
PARLEY_QUOTE_TYPES(PARLEY_DECLARE_JSON)
#undef PARLEY_DECLARE_JSON
// parse_json / dump_json (wire.h) work for the quote types too.
#define PARLEY_DECLARE_HELPERS(T)                                                   \
    template <> bool parse_json<T>(const std::string&, T&, std::string*);           \
    template <> std::string dump_json<T>(const T&);
PARLEY_QUOTE_TYPES(PARLEY_DECLARE_HELPERS)
#undef PARLEY_DECLARE_HELPERS

// ---- Field errors --------------------------------------------------------------------
struct FieldError {
    std::string field;    // path: "currency", "lines[2].quantity", "totals"
    std::string message;  // human-readable, English
    bool operator==(const FieldError&) const = default;
};

// ---- Money math -----------------------------------------------------------------------
// num / den rounded half away from zero; den must be > 0.
__int128 div_round_half_away(__int128 num, __int128 den);

// Totals of q (q.totals is ignored). nullopt on overflow, with the offending field in
// *error ("lines[3]", "shipping", "totals").
std::optional<QuoteTotals> compute_totals(const Quote& q, FieldError* error = nullptr);
// q.totals = compute_totals(q); false (q untouched) on overflow.
bool update_totals(Quote& q, FieldError* error = nullptr);

// ---- Currencies ----------------------------------------------------------------------
struct CurrencyInfo {
    const char* code;   // "EUR"
    int exponent;       // minor-unit digits: 2 (EUR), 0 (JPY), 3 (BHD)
};
const std::vector<CurrencyInfo>& currencies();
const CurrencyInfo* find_currency(std::string_view code);
bool is_known_currency(std::string_view code);
int currency_exponent(std::string_view code);  // 2 for unknown codes

// Display: "€1,234.56" (en), "1.234,56 €" (de/it/pt, es from 5 digits: "1234,56 €"),
// "1 234,56 €" (fr: U+202F groups; ru: U+00A0), "¥1,235" (JPY in en/ja), "¥1,234.56"
// (CNY in zh). A space between number and symbol is U+00A0. Unknown language → en.
std::string format_money(Money amount, std::string_view currency, std::string_view language);
// Quantity in thousandths, shortest form: 2500 → "2.5" (en) / "2,5" (de); 3000 → "3".
std::string format_quantity(int64_t thousandths, std::string_view language);
// Basis points as a percentage number: 2100 → "21", 550 → "5.5" (en) / "5,5" (de).
std::string format_basis_points(int bp, std::string_view language);
// User input "1234.5", "1.234,50", "1 234,5", "12" → value × 10^digits; accepts '.' or ','
// as the decimal mark (the last one when followed by 1..digits digits and both appear, or
// per language otherwise). nullopt on garbage, too many decimals or overflow.
std::optional<int64_t> parse_decimal(std::string_view text, int digits, std::string_view language);

// ---- Incoterms -----------------------------------------------------------------------
const std::vector<std::string>& incoterms();  // the eleven Incoterms 2020 rules
bool is_known_incoterm(std::string_view code);

// ---- Validation ----------------------------------------------------------------------
// Every problem found, in field order; empty when the quote can be sent. Checks
// content a seller enters (lines, currency, rates, dates, texts) and that the totals fit.
std::vector<FieldError> validate_quote(const Quote& q);

// ---- Numbering and versions ----------------------------------------------------------
// "Q-2026-0042": year (4 digits), sequence zero-padded to at least 4 digits.
std::string format_quote_number(int year, int64_t sequence);
// Strict inverse of format_quote_number (canonical form only).
bool parse_quote_number(std::string_view text, int& year, int64_t& sequence);
// The next version of prev: same number, request and conversation, version + 1,
// supersedes prev.id, status "sent", id 0 (assigned by the store), created = now.
// Content is copied for editing; the caller marks prev superseded.
Quote revise_quote(const Quote& prev, Millis now);

// ---- Status --------------------------------------------------------------------------
bool is_known_quote_status(std::string_view status);
// A status from which nothing else can happen: paid, superseded.
bool is_final_quote_status(std::string_view status);
// Allowed: sent→opened, opened→accepted, accepted→paid, sent|opened→expired,
// sent|opened|expired→superseded. Everything else (including X→X) is refused.
// Accepted quotes are binding: they are paid, not superseded or expired.
bool can_transition(std::string_view from, std::string_view to);
// valid_until has passed (now > valid_until) and the quote was not accepted or paid.
bool is_expired(const Quote& q, Millis now);
// Status to show: "expired" for a sent/opened quote past its validity, else q.status.
std::string effective_status(const Quote& q, Millis now);

}  // namespace parley
