// The history's layout cache: every entry's height at the current column width and
// font size (measured when drawn, estimated until then), their offsets from the list's
// top, the range of entries a view needs, and the scroll correction that keeps what the
// reader looks at in place when entries arrive above it or change height. Plain data and
// free functions, no ImGui: ui_history.cpp draws only the entries in view and feeds
// their measured heights back; everything else is skipped at its cached height.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

namespace parley {

// Gap: where a jump's window leaves out the messages between it and the newest part.
enum class HistoryKind : uint8_t { Message, Event, QuoteCard, Gap };

// Stable across reloads of the thread: a message id, an event id, or the event id of
// a "quote_sent" shown as a quote card.
struct HistoryKey {
    HistoryKind kind = HistoryKind::Message;
    int64_t id = 0;
    bool operator==(const HistoryKey&) const = default;
};
struct HistoryKeyHash {
    size_t operator()(const HistoryKey& k) const noexcept;
};

// What the estimate of an entry not drawn yet goes by.
struct HistoryHint {
    int text_chars = 0;   // code points of its text (a message's body, an event's line)
    int text_breaks = 0;  // line breaks in that text
    int attachments = 0;  // document chips under a message
    int header_chars = 0; // a message's author and role: a long one pushes "Translate" under the text
    bool own = false;     // my message: its "✓ Sent" line
};

struct HistoryItem {
    HistoryKey key;
    HistoryHint hint;
    float gap = 10;        // space above the entry
    float height = 0;      // measured, else estimated
    bool measured = false;
};

// What heights depend on: a change makes every measurement stale.
struct HistoryMetrics {
    float width = 0;  // the history's column, CSS px
    float line = 0;   // a line of body text, CSS px (follows the font size)
    bool operator==(const HistoryMetrics&) const = default;
};

struct HistoryLayout {
    HistoryMetrics metrics;
    std::vector<HistoryItem> items;  // display order: newest first
    std::unordered_map<HistoryKey, size_t, HistoryKeyHash> index;  // key → position in items
    // offsets[i]: top of item i (its gap included) from the list's top; offsets[n]: the
    // list's height. Valid below `dirty_from`; the accessors bring the rest up to date.
    std::vector<double> offsets{0.0};
    size_t dirty_from = 0;
};

// A reader's place: an entry and the offset it had when the frame began.
struct HistoryAnchor {
    bool valid = false;
    HistoryKey key;
    double offset = 0;
};

// Height of an entry never drawn, from its text length and the column width.
float history_estimate(const HistoryItem&, const HistoryMetrics&);

// New width or font size: every entry goes back to its estimate (re-measured as drawn).
// True when something changed.
bool history_set_metrics(HistoryLayout&, const HistoryMetrics&);

// The thread's entries changed (a reload, a new message on top, an older page at the
// bottom). Entries already measured keep their height (matched by key); offsets are
// recomputed only from the first position that differs, so an append leaves everything
// above it alone. Items come with key, hint and gap; height and measured are filled here.
void history_set_items(HistoryLayout&, std::vector<HistoryItem> items);

// The height entry i had when drawn; true when it differs from what the layout had.
bool history_measured(HistoryLayout&, size_t i, float height);

double history_offset(HistoryLayout&, size_t i);  // i in [0, n]; n gives the total
double history_total(HistoryLayout&);
std::optional<size_t> history_find(const HistoryLayout&, const HistoryKey&);

// Entries [first, last) that intersect [top, bottom) (offsets from the list's top).
// Binary search: O(log n).
std::pair<size_t, size_t> history_range(HistoryLayout&, double top, double bottom);

// Where the reader is, for a view [view_top, view_bottom) in list offsets: the first
// measured entry that starts inside the view (else the first that starts inside it,
// else the one the view's top is in). None when the list's top is in view
// (view_top <= 0): then new entries on top simply push the rest down.
HistoryAnchor history_anchor(HistoryLayout&, double view_top, double view_bottom);
// How far the anchor moved since it was taken (entries inserted or re-measured above
// it): scroll by this much and the content under the reader's eyes stays put. 0 when
// the anchor is gone or invalid.
double history_anchor_delta(HistoryLayout&, const HistoryAnchor&);
// The same entry as an anchor in the layout as it is now (to hold on to it across the
// frames of one correction); invalid when it is gone.
HistoryAnchor history_anchor_of(HistoryLayout&, const HistoryKey&);

}  // namespace parley
