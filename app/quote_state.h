// Structured quotes in the client: the seller's quote composer (a form of
// text fields turned into a net/quote.h Quote, with totals and field errors as you
// type) and the quote viewer of both sides (open → "opened" event, the buyer's
// Accept with their typed name, Pay online → the provider's checkout page).
// Pure logic like state.h: actions fill Effects; ui_quote*.cpp only draws.
#pragma once
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>
#include "net/quote.h"

namespace parley {

struct AppState;
struct Effects;
struct HttpCall;
struct HttpResult;

// One line of the form, as typed ("2,5", "1.234,50", "10" %).
struct QuoteLineInput {
    std::string product, reference, quantity = "1", unit = "pcs", unit_price, discount;
};

struct QuoteEditor {
    bool open = false;
    int64_t request_id = 0;
    int64_t revise_of = 0;        // the quote (newest version) being revised; 0 = a new quote
    std::string number;           // of the quote revised ("" for a new one)
    int64_t conversation_id = 0;  // where it goes (0 = my default; a revision keeps its own)
    std::string currency = "EUR";
    std::vector<QuoteLineInput> lines;
    std::string tax = "21", shipping = "0", incoterm = "EXW", lead_time = "14";
    std::string valid_until;      // "YYYY-MM-DD", the last day it can be accepted (UTC)
    std::string payment_terms, notes;
    bool online_payment = true;
    bool tried = false;           // Send was pressed once: show every field error from now on
    bool busy = false;            // the POST is on its way
    std::string error;            // the server's refusal (red band); the form stays as typed
};

struct QuoteViewer {
    int64_t quote_id = 0;         // the quote shown (0 = none); follows the URL ?quote=N
    bool accepting = false;       // the buyer's "type your name" step is open
    std::string accept_name;
    bool busy = false;            // accept or pay on its way
    std::string error;
    std::set<int64_t> open_sent;  // POST /open sent for these (once per page load)
    bool just_paid = false;       // back from the checkout (?paid=1): say so until it shows
};

// ---- Parsing the form ----------------------------------------------------------------
// The quote the form describes, or nullopt with every problem (paths like validate_quote:
// "lines[1].quantity", "valid_until"). `now` fills created (for the year) and checks dates.
std::optional<Quote> editor_quote(const QuoteEditor&, std::string_view language, Millis now,
                                  std::vector<FieldError>* errors);
// Totals of what is typed so far (lines that do not parse count as 0); nullopt on overflow.
std::optional<QuoteTotals> editor_totals(const QuoteEditor&, std::string_view language);
// The form filled from an existing quote (to revise it).
void editor_fill(QuoteEditor&, const Quote&, std::string_view language);
// "2026-12-31" ↔ the last millisecond of that UTC day. nullopt for anything else.
std::optional<Millis> parse_day(const std::string& yyyy_mm_dd);
std::string format_day(Millis end_of_day);
// The error of one field path, "" when none.
std::string field_error(const std::vector<FieldError>&, const std::string& field);

// ---- Actions -------------------------------------------------------------------------
void action_quote_new(AppState&, Millis now, Effects&);  // seller: empty form (one line, valid 30 days)
void action_quote_revise(AppState&, int64_t quote_id, Effects&);  // seller: the form from that quote
void action_quote_add_line(AppState&, Effects&);
void action_quote_remove_line(AppState&, size_t index, Effects&);
void action_quote_close_editor(AppState&, Effects&);
void action_quote_submit(AppState&, Millis now, Effects&);      // POST /quotes or /revise
// Show one quote (URL ?quote=N, so back closes it). The buyer's first view tells the
// seller: POST /open once (not for the seller side, not for link pre-fetchers).
void action_quote_view(AppState&, int64_t quote_id, Effects&);
void action_quote_close_view(AppState&, Effects&);
void action_quote_accept_start(AppState&, Effects&);
void action_quote_accept_cancel(AppState&, Effects&);
void action_quote_accept(AppState&, Effects&);  // POST /accept with the typed name and version
void action_quote_pay(AppState&, Effects&);     // POST /pay, then go to the checkout page
// The quote shown was opened by the route (start, back/forward): the buyer's open mark.
void quote_route_changed(AppState&, Effects&);
// The open request (re)loaded: the quote shown may only now be known (deep link).
void quote_thread_loaded(AppState&, Effects&);
void quote_http_done(AppState&, const HttpCall&, const HttpResult&, Effects&);

// ---- Queries -------------------------------------------------------------------------
const Quote* find_quote(const AppState&, int64_t quote_id);
// The newest version of each quote number in the open request, newest first.
std::vector<const Quote*> latest_quotes(const AppState&);
// The quote a "quote_sent" event is about (same number and version), or nullptr.
const Quote* quote_of_event(const AppState&, const std::string& number, int64_t version);
const char* quote_status_name(const std::string& status);  // "opened" → "Opened" (translated)
bool can_send_quote(const AppState&);

}  // namespace parley
