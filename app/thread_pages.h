// Thread pages: the open request holds the newest page of its history (GET /requests/{id})
// and the older pages fetched as the reader scrolls down (GET /requests/{id}/history).
// A reload of the detail (live events, a post, an action's answer) keeps the older
// pages already here. A jump to a message not loaded yet fetches one page around it
// (?around=), not everything above it: the thread then holds the newest part and that
// window with a gap between them, filled from either side as the reader scrolls towards
// it (?before= from above, ?after= from below) until the two meet. Pure logic like
// state.h: actions fill Effects.
#pragma once
#include <cstdint>
#include <string>
#include "net/wire.h"

namespace parley {

struct AppState;
struct Effects;
struct HttpCall;
struct HttpResult;

struct ThreadPages {
    // Bumped when another request opens: an answer for an earlier thread is dropped.
    uint64_t generation = 0;
    bool loading_older = false;   // a history page is on its way
    int64_t loading_before = 0;   // its `before`
    std::string error;            // the last page failed (shown at the list's end, retried on scroll)
    // The UI scrolls the history to this message once it is drawn (deep link, search
    // result); 0 = none. Set by actions, cleared by the UI when it takes it.
    int64_t jump_to = 0;
    int64_t want = 0;            // the message a jump waits for, until it is loaded
    int64_t missing = 0;         // a jump target the server did not return (not visible): no refetch
    int64_t loading_around = 0;  // the jump page on its way (its `around`)
    // The gap between the newest part and a jump's window: the oldest message above it
    // and the newest below it (both loaded, next to each other in the list); 0 = none.
    int64_t gap_above = 0, gap_below = 0;
    bool loading_gap = false;     // a page into the gap is on its way
    std::string gap_error;        // it failed (shown in the gap, retried from there)
};

// ---- Pure merging (unit-tested) ----
// `fresh` is a newly fetched detail; `loaded` what the thread held before (same request).
// Keeps the older pages of `loaded` below fresh's newest page: messages with an id below
// fresh's oldest, events not in fresh (by id, oldest first), and loaded's `older` cursor.
// When the two do not meet (more new messages than a page arrived meanwhile), the
// older pages are dropped rather than leave a gap.
void merge_detail(RequestDetail& fresh, const RequestDetail& loaded);
// An older page below what `d` holds: its messages (no duplicates) at the end, its
// events joined in id order, `older` from the page. False when it does not continue
// what `d` holds (another request, or not the page asked for).
bool append_history_page(RequestDetail& d, HistoryPage&& page);
// Messages (newest first) and events of a page put where their ids say, each once.
void insert_page(RequestDetail& d, std::vector<Message>&& messages, std::vector<Event>&& events);
// A jump's page (?around=) below what `d` holds: inserted; a gap recorded in `p` unless
// it meets the loaded part (its top reaches the oldest message loaded, or the newest).
void place_window(RequestDetail& d, ThreadPages& p, HistoryPage&& page);
// A page into the gap: from above (`before` = gap_above) or from below (`after` =
// gap_below). The gap shrinks, or closes once the page reaches the other side.
void fill_gap(RequestDetail& d, ThreadPages& p, HistoryPage&& page, bool from_above);
// The window and the gap go: the thread is its newest part again, `older` below it.
void drop_window(RequestDetail& d, ThreadPages& p);
// The gap is still where `p` says: both messages loaded, nothing between them.
bool gap_intact(const RequestDetail& d, const ThreadPages& p);
bool has_message(const RequestDetail& d, int64_t message_id);
int64_t oldest_message(const RequestDetail& d);  // 0 when none

// ---- Actions ----
// The reader is near the oldest loaded entry: fetch the next older page (once at a time).
void action_thread_older(AppState&, Effects&);
// The reader is near the gap: fetch a page into it, from the side they come from.
void action_thread_fill_gap(AppState&, bool from_above, Effects&);
// Show this message of the open thread: jump at once when loaded, else fetch the page
// around it, then jump.
void action_thread_jump(AppState&, int64_t message_id, Effects&);
// A detail answer (GET /requests/{id}, or an action's answer) for the open request
// becomes the thread, merged with the older pages already loaded.
void thread_take_detail(AppState&, RequestDetail&& d);
// The call that loads the open request's detail (generation stamped).
HttpCall thread_call(const AppState&, int64_t request_id);
// Another request opens: answers for the previous one are dropped from now on.
void thread_pages_reset(AppState&);
// Answer of CallKind::History.
void thread_pages_http_done(AppState&, const HttpCall&, const HttpResult&, Effects&);

}  // namespace parley
