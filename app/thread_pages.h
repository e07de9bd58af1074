// Thread pages: the open request holds the newest page of its history (GET /requests/{id})
// and the older pages fetched as the reader scrolls down (GET /requests/{id}/history).
// A reload of the detail (live events, a post, an action's answer) keeps the older
// pages already here; a jump to a message not loaded yet fetches down to it. Pure logic
// like state.h: actions fill Effects.
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
    int64_t loading_down_to = 0;  // its `down_to` (a jump), 0 = one page
    std::string error;            // the last page failed (shown at the list's end, retried on scroll)
    // The UI scrolls the history to this message once it is drawn (deep link, search
    // result); 0 = none. Set by actions, cleared by the UI when it takes it.
    int64_t jump_to = 0;
    int64_t want = 0;     // the message a jump waits for, until it is loaded
    int64_t missing = 0;  // a jump target the server did not return (not visible): no refetch
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
bool has_message(const RequestDetail& d, int64_t message_id);
int64_t oldest_message(const RequestDetail& d);  // 0 when none

// ---- Actions ----
// The reader is near the oldest loaded entry: fetch the next older page (once at a time).
void action_thread_older(AppState&, Effects&);
// Show this message of the open thread: jump at once when loaded, else fetch every
// message down to it, then jump.
void action_thread_jump(AppState&, int64_t message_id, Effects&);
// A detail answer (GET /requests/{id}, or an action's answer) for the open request
// becomes the thread, merged with the older pages already loaded.
void thread_take_detail(AppState&, RequestDetail&& d);
// The call that loads the open request's detail (generation stamped).
HttpCall thread_call(const AppState&, int64_t request_id, int64_t down_to = 0);
// Another request opens: answers for the previous one are dropped from now on.
void thread_pages_reset(AppState&);
// Answer of CallKind::History.
void thread_pages_http_done(AppState&, const HttpCall&, const HttpResult&, Effects&);

}  // namespace parley
