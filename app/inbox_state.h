// Inbox pages and inbox search: the list holds the pages fetched so far (GET /requests,
// one page at a time as the reader scrolls), for the filter chip and the search in
// effect. Typing in the search box waits ~300 ms of quiet before asking; an answer for
// an earlier query is dropped (the generation, and the server's `search` echo). A live
// refresh reloads the first page and keeps the pages below it. Pure logic like state.h.
#pragma once
#include <cstdint>
#include <string>
#include <vector>
#include "net/wire.h"

namespace parley {

struct AppState;
struct Effects;
struct HttpCall;
struct HttpResult;

constexpr Millis kSearchQuietMs = 300;

// The filter chips: "all", "to_answer" (seller), "unread", and for buyers "open", "answered".
std::vector<std::string> inbox_filters(bool seller);

struct InboxPages {
    std::string filter = "all";  // the chip
    std::string typed;           // the search box's text
    std::string search;          // the search the list is for ("" = none)
    Millis typed_at = 0;         // last keystroke: the search goes out after kSearchQuietMs
    bool search_due = false;     // typed but not asked yet
    uint64_t generation = 0;     // bumped when the filter or the search changes
    bool loading_first = false;  // the first page of a new query is on its way
    bool loading_more = false;   // the next page is on its way
    // Live refreshes of the first page: one on its way at a time; events meanwhile ask
    // for one more when it is back (a busy seller's events do not pile up requests).
    bool refreshing = false;
    bool refresh_again = false;
    std::string more_error;      // the next page failed (Retry at the list's end)
};

// ---- Pure (unit-tested) ----
// The query string of GET /requests for this state and page ("" = first).
std::string inbox_path(const InboxPages&, const std::string& page);
// The export of the list as it is filtered and searched: format "csv" | "xlsx".
std::string inbox_export_path(const InboxPages&, const std::string& format);
// A refresh of the first page: its rows, then the rows loaded below it that it does not
// hold, with the old `next_page` when there were more loaded than a page.
void merge_inbox_refresh(Inbox& fresh, const Inbox& loaded);
// The next page's rows at the end (no duplicates), its cursor and totals.
void append_inbox_page(Inbox& list, Inbox&& page);

// ---- Actions ----
void inbox_refresh(AppState&, Effects&);            // the first page again (live events, a post)
void action_inbox_more(AppState&, Effects&);        // near the list's end: the next page
void action_inbox_filter(AppState&, const std::string& filter, Effects&);
void action_inbox_search_typed(AppState&, const std::string& text, Millis now, Effects&);  // asks for a timer
void action_inbox_search_clear(AppState&, Effects&);  // × or Escape
void action_timer(AppState&, Millis now, Effects&);   // a timer asked for by Effects::timer_ms fired
// A row tapped: its thread (at the matching message for a search result).
void action_inbox_open(AppState&, const RequestSummary&, Effects&);
// CallKind::Inbox. True when this was the first inbox of the page's life (state.cpp
// then starts the long-poll and the rest).
bool inbox_http_done(AppState&, const HttpCall&, const HttpResult&, Effects&);

}  // namespace parley
