// The history's layout cache (see history_layout.h): heights, offsets, visible range
// and the reader's anchor.
#include "app/history_layout.h"
#include <algorithm>
#include <cmath>

namespace parley {

size_t HistoryKeyHash::operator()(const HistoryKey& k) const noexcept {
    const uint64_t x = (uint64_t)k.id * 0x9E3779B97F4A7C15ull ^ (uint64_t)k.kind;
    return (size_t)(x ^ (x >> 29));
}

float history_estimate(const HistoryItem& it, const HistoryMetrics& m) {
    // Calibrated on Noto Sans in the browser (15 px body: a wrapped line every 19 px,
    // an average letter 5.3 px; a one-line bubble 86 px, an event line 33 px, a quote
    // card 120 px).
    const float line = m.line > 0 ? m.line : 15.f;
    const float step = line * 1.27f, small = line * 0.87f;
    const float char_w = line * 0.35f;
    auto lines = [&](float text_w) {
        const float per_line = std::max(8.f, text_w / char_w);
        return std::max(1.f, std::ceil((float)it.hint.text_chars / per_line)) + (float)it.hint.text_breaks;
    };
    switch (it.key.kind) {
        case HistoryKind::Message: {
            // Padding, the author line, the text, the padding under it.
            float h = 12 + line * 1.35f + 4 + step + lines(m.width - 28) * step + 12;
            // The header holds name, role, date, Copy and Translate while they fit;
            // else Translate goes under the text.
            if ((float)it.hint.header_chars * char_w * 1.1f + 13.3f * line > m.width - 28) h += line * 1.5f;
            h += (float)it.hint.attachments * 52;
            if (it.hint.own) h += line;  // "✓ Sent" / "✓✓ Read"
            return h;
        }
        case HistoryKind::Event: {
            const float one = (float)it.hint.text_chars * char_w * 0.87f + 16 * char_w;  // text and time
            if (one <= m.width - 34) return line * 2.2f;
            return line * 2.2f + lines((m.width - 34) / 0.87f) * small;  // the time under the text
        }
        case HistoryKind::QuoteCard: return line * 8;  // title, total, status, "View quote"
        case HistoryKind::Gap: return line * 4;        // "Loading messages…" (or the error and a button)
    }
    return 40;
}

static void mark_dirty(HistoryLayout& l, size_t from) { l.dirty_from = std::min(l.dirty_from, from); }

static void update(HistoryLayout& l) {
    const size_t n = l.items.size();
    if (l.offsets.size() != n + 1) {
        l.offsets.resize(n + 1);
        l.dirty_from = std::min(l.dirty_from, n);
    }
    if (l.dirty_from > n) return;
    if (l.dirty_from == 0) l.offsets[0] = 0;
    for (size_t i = std::max<size_t>(l.dirty_from, 1); i <= n; i++)
        l.offsets[i] = l.offsets[i - 1] + l.items[i - 1].gap + l.items[i - 1].height;
    l.dirty_from = n + 1;
}

bool history_set_metrics(HistoryLayout& l, const HistoryMetrics& m) {
    if (std::fabs(l.metrics.width - m.width) < 0.5f && std::fabs(l.metrics.line - m.line) < 0.01f) return false;
    l.metrics = m;
    for (HistoryItem& it : l.items) {
        it.measured = false;
        it.height = history_estimate(it, m);
    }
    mark_dirty(l, 0);
    return true;
}

void history_set_items(HistoryLayout& l, std::vector<HistoryItem> items) {
    // The unchanged prefix (an older page appended at the end leaves all of it).
    size_t same = 0;
    const size_t common = std::min(l.items.size(), items.size());
    while (same < common && l.items[same].key == items[same].key && l.items[same].gap == items[same].gap) same++;
    size_t dirty = same;
    for (size_t i = 0; i < items.size(); i++) {
        HistoryItem& it = items[i];
        const HistoryItem* old = nullptr;
        if (i < same) old = &l.items[i];
        else if (auto f = l.index.find(it.key); f != l.index.end()) old = &l.items[f->second];
        if (old && old->measured) {
            it.height = old->height;
            it.measured = true;
        } else {
            it.height = history_estimate(it, l.metrics);
            it.measured = false;
        }
        if (i < same && it.height != l.items[i].height) dirty = std::min(dirty, i + 1);
    }
    if (same == l.items.size()) {  // pure append: only the new keys enter the index
        for (size_t i = same; i < items.size(); i++) l.index[items[i].key] = i;
    } else {
        l.index.clear();
        l.index.reserve(items.size());
        for (size_t i = 0; i < items.size(); i++) l.index[items[i].key] = i;
    }
    l.items = std::move(items);
    mark_dirty(l, dirty);
}

bool history_measured(HistoryLayout& l, size_t i, float height) {
    if (i >= l.items.size()) return false;
    HistoryItem& it = l.items[i];
    const bool changed = !it.measured || std::fabs(it.height - height) >= 0.5f;
    const bool moved = std::fabs(it.height - height) >= 0.01f;
    it.measured = true;
    if (moved) {
        it.height = height;
        mark_dirty(l, i + 1);
    }
    return changed && moved;
}

double history_offset(HistoryLayout& l, size_t i) {
    update(l);
    return l.offsets[std::min(i, l.items.size())];
}

double history_total(HistoryLayout& l) { return history_offset(l, l.items.size()); }

std::optional<size_t> history_find(const HistoryLayout& l, const HistoryKey& k) {
    auto f = l.index.find(k);
    if (f == l.index.end()) return std::nullopt;
    return f->second;
}

std::pair<size_t, size_t> history_range(HistoryLayout& l, double top, double bottom) {
    update(l);
    const size_t n = l.items.size();
    if (n == 0 || bottom <= top) return {0, 0};
    // First entry whose bottom (the next one's top) is below `top`.
    auto ends = l.offsets.begin() + 1;
    const size_t first = (size_t)(std::upper_bound(ends, l.offsets.end(), top) - ends);
    // First entry that starts at or after `bottom`.
    const size_t last = (size_t)(std::lower_bound(l.offsets.begin(), l.offsets.end() - 1, bottom) - l.offsets.begin());
    return {std::min(first, n), std::max(std::min(first, n), std::min(last, n))};
}

HistoryAnchor history_anchor(HistoryLayout& l, double view_top, double view_bottom) {
    update(l);
    const size_t n = l.items.size();
    if (view_top <= 0 || n == 0) return {};
    // The first entry whose content (below its gap) starts inside the view…
    size_t i = (size_t)(std::lower_bound(l.offsets.begin(), l.offsets.end() - 1, view_top) - l.offsets.begin());
    if (i > 0 && l.offsets[i - 1] + l.items[i - 1].gap >= view_top) i--;  // the view's top is in its gap
    // … preferring one already measured: an entry just scrolled in at its estimate is
    // not what the reader was looking at, and its real height must not push that away.
    for (size_t j = i; j < n && l.offsets[j] + l.items[j].gap < view_bottom; j++)
        if (l.items[j].measured) {
            i = j;
            break;
        }
    // … else the one the view's top is in (a message taller than the view).
    if (i >= n || l.offsets[i] + l.items[i].gap >= view_bottom) {
        i = history_range(l, view_top, view_top + 1).first;
        if (i >= n) return {};
    }
    return {true, l.items[i].key, l.offsets[i]};
}

double history_anchor_delta(HistoryLayout& l, const HistoryAnchor& a) {
    if (!a.valid) return 0;
    const auto i = history_find(l, a.key);
    if (!i) return 0;
    return history_offset(l, *i) - a.offset;
}

HistoryAnchor history_anchor_of(HistoryLayout& l, const HistoryKey& k) {
    const auto i = history_find(l, k);
    if (!i) return {};
    return {true, k, history_offset(l, *i)};
}

}  // namespace parley
