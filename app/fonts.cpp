#include "app/fonts.h"

#include <algorithm>
#include "app/state.h"
#include "assets/fonts_manifest.h"

namespace parley::glyphs {

CodePoint next_code_point(std::string_view s, size_t& i) {
    const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char b0 = byte(i);
    if (b0 < 0x80) { ++i; return b0; }
    int len;
    CodePoint cp, min;
    if (b0 >= 0xC2 && b0 <= 0xDF) len = 2, cp = b0 & 0x1F, min = 0x80;
    else if (b0 >= 0xE0 && b0 <= 0xEF) len = 3, cp = b0 & 0x0F, min = 0x800;
    else if (b0 >= 0xF0 && b0 <= 0xF4) len = 4, cp = b0 & 0x07, min = 0x10000;
    else { ++i; return kReplacement; }  // continuation byte, C0/C1 overlong lead, F5..FF
    size_t k = 1;
    for (; k < static_cast<size_t>(len); ++k) {
        if (i + k >= s.size() || (byte(i + k) & 0xC0) != 0x80) break;
        cp = (cp << 6) | (byte(i + k) & 0x3F);
        // Reject overlong / surrogate / too-large forms as soon as the 2nd byte shows
        // them, so the bytes after stay available for the next decode.
        if (k == 1 && len == 3 && ((b0 == 0xE0 && byte(i + 1) < 0xA0) || (b0 == 0xED && byte(i + 1) > 0x9F))) break;
        if (k == 1 && len == 4 && ((b0 == 0xF0 && byte(i + 1) < 0x90) || (b0 == 0xF4 && byte(i + 1) > 0x8F))) break;
    }
    if (k < static_cast<size_t>(len)) {
        // A truncated or malformed sequence: skip the lead and the valid tail bytes seen.
        i += std::max<size_t>(k, 1);
        return kReplacement;
    }
    i += k;
    return cp >= min ? cp : kReplacement;
}

// The tables of assets/fonts.json (generated into the build tree).
constinit const std::span<const std::pair<CodePoint, CodePoint>> kBaseRanges = manifest::kBaseRanges;
constinit const std::span<const CodePoint> kSymbolChars = manifest::kSymbolChars;
constinit const std::span<const std::pair<CodePoint, CodePoint>> kCjkRanges = manifest::kCjkRanges;
constinit const std::span<const std::pair<CodePoint, CodePoint>> kEmojiRanges = manifest::kEmojiRanges;
constinit const FontAssets kFontAssets = manifest::kFontAssets;

namespace {
constexpr CodePoint lowest(std::span<const std::pair<CodePoint, CodePoint>> ranges) {
    CodePoint low = 0x10FFFF;
    for (auto [a, b] : ranges) low = std::min(low, a);
    return low;
}
constexpr CodePoint kCjkLowest = lowest(manifest::kCjkRanges);
constexpr CodePoint kEmojiLowest = lowest(manifest::kEmojiRanges);
}  // namespace

bool is_cjk(CodePoint c) {
    if (c < kCjkLowest) return false;  // most text: Latin, Greek, Cyrillic
    for (auto [a, b] : manifest::kCjkRanges)
        if (c >= a && c <= b) return true;
    return false;
}

bool is_emoji(CodePoint c) {
    if (c < kEmojiLowest) return false;
    for (auto [a, b] : manifest::kEmojiRanges)
        if (c >= a && c <= b) return true;
    return false;
}

std::optional<Lazy> lazy_font_of(CodePoint c) {
    if (is_cjk(c)) return Lazy::Cjk;
    if (is_emoji(c)) return Lazy::Emoji;
    return std::nullopt;
}

bool in_base_ranges(CodePoint c) {
    for (auto [a, b] : kBaseRanges)
        if (c >= a && c <= b) return true;
    for (CodePoint s : kSymbolChars)
        if (c == s) return true;
    return false;
}

// ---------------------------------------------------------------- GlyphSet

GlyphSet::GlyphSet() : bmp_(0x10000 / 64, 0) {}

void GlyphSet::add(CodePoint c) {
    if (c < 0x10000) {
        uint64_t& w = bmp_[c >> 6];
        const uint64_t bit = uint64_t{1} << (c & 63);
        if (!(w & bit)) { w |= bit; ++bmp_count_; }
    } else if (c <= 0x10FFFF) {
        astral_.insert(c);
    }
}

void GlyphSet::add_range(CodePoint first, CodePoint last) {
    for (CodePoint c = first; c <= last && c <= 0x10FFFF; ++c) add(c);
}

void GlyphSet::add_utf8(std::string_view text) {
    for (size_t i = 0; i < text.size();) {
        const unsigned char b = static_cast<unsigned char>(text[i]);
        if (b < 0x80) {  // ASCII fast path: most text in most frames
            if (b >= 0x20) add(b);
            ++i;
            continue;
        }
        add(next_code_point(text, i));
    }
}

void GlyphSet::add(const GlyphSet& other) {
    bmp_count_ = 0;
    for (size_t k = 0; k < bmp_.size(); ++k) {
        bmp_[k] |= other.bmp_[k];
        bmp_count_ += static_cast<size_t>(__builtin_popcountll(bmp_[k]));
    }
    astral_.insert(other.astral_.begin(), other.astral_.end());
}

bool GlyphSet::contains(CodePoint c) const {
    if (c < 0x10000) return (bmp_[c >> 6] >> (c & 63)) & 1;
    return astral_.count(c) != 0;
}

size_t GlyphSet::size() const { return bmp_count_ + astral_.size(); }

void GlyphSet::clear() {
    if (bmp_count_) std::fill(bmp_.begin(), bmp_.end(), 0);
    bmp_count_ = 0;
    astral_.clear();
}

GlyphSet GlyphSet::minus(const GlyphSet& other) const {
    GlyphSet out;
    if (bmp_count_) {
        for (size_t k = 0; k < bmp_.size(); ++k) {
            out.bmp_[k] = bmp_[k] & ~other.bmp_[k];
            out.bmp_count_ += static_cast<size_t>(__builtin_popcountll(out.bmp_[k]));
        }
    }
    for (CodePoint c : astral_)
        if (!other.astral_.count(c)) out.astral_.insert(c);
    return out;
}

bool GlyphSet::any_cjk() const {
    for (CodePoint c : list())
        if (is_cjk(c)) return true;
    return false;
}

std::vector<CodePoint> GlyphSet::list() const {
    std::vector<CodePoint> out;
    out.reserve(size());
    if (bmp_count_) {
        for (size_t k = 0; k < bmp_.size(); ++k)
            for (uint64_t w = bmp_[k]; w; w &= w - 1)
                out.push_back(static_cast<CodePoint>(k * 64 + static_cast<size_t>(__builtin_ctzll(w))));
    }
    out.insert(out.end(), astral_.begin(), astral_.end());
    return out;
}

// ---------------------------------------------------------------- collection

void collect_glyphs(const AppState& s, GlyphSet& out) {
    out.add_utf8(s.inbox.me.name);
    out.add_utf8(s.inbox_error);
    for (const RequestSummary& r : s.inbox.requests) {
        out.add_utf8(r.buyer_name);
        out.add_utf8(r.buyer_company);
        out.add_utf8(r.seller_name);
        out.add_utf8(r.seller_company);
        out.add_utf8(r.product);
        out.add_utf8(r.snippet);
    }
    if (s.thread) {
        const RequestDetail& d = *s.thread;
        out.add_utf8(d.buyer.name);
        out.add_utf8(d.buyer.company);
        out.add_utf8(d.manufacturer_name);
        out.add_utf8(d.manufacturer_company);
        out.add_utf8(d.product);
        out.add_utf8(d.message);
        for (const Message& m : d.messages) {
            out.add_utf8(m.author_name);
            out.add_utf8(m.body);
        }
    }
    out.add_utf8(s.thread_error);
    for (const auto& [id, draft] : s.drafts) {
        out.add_utf8(draft.text);
        out.add_utf8(draft.error);
    }
}

void collect_open_draft(const AppState& s, GlyphSet& out) {
    if (s.route.screen != Screen::Request) return;
    auto it = s.drafts.find(s.route.request_id);
    if (it != s.drafts.end()) out.add_utf8(it->second.text);
}

GlyphSet& drawn_this_frame() {
    static GlyphSet drawn;
    return drawn;
}

void note_drawn(std::string_view text) { drawn_this_frame().add_utf8(text); }

// ---------------------------------------------------------------- AtlasPlan

bool AtlasPlan::could_bake(CodePoint c) const {
    const std::optional<Lazy> f = lazy_font_of(c);
    return !f || lazy_[(int)*f].state == FontState::Loaded;
}

void AtlasPlan::frame_drawn(const GlyphSet& drawn) {
    last_drawn_ = drawn;
    const GlyphSet missing = drawn.minus(covered_);
    missing_ = missing.size();
    for (LazyFont& f : lazy_) f.needed = false;
    for (CodePoint c : missing.list()) {
        if (unavailable_.contains(c)) continue;
        if (const std::optional<Lazy> f = lazy_font_of(c); f && lazy_[(int)*f].state != FontState::Loaded)
            lazy_[(int)*f].needed = true;
        if (in_base_ranges(c) || extra_.contains(c)) continue;  // asked for already
        extra_.add(c);
        if (could_bake(c)) rebuild_ = true;
    }
}

bool AtlasPlan::want_fetch(Lazy which) const {
    const LazyFont& f = lazy_[(int)which];
    return f.needed && (f.state == FontState::Absent || (f.state == FontState::Failed && f.attempts < kMaxFetchAttempts));
}

void AtlasPlan::fetch_started(Lazy which) {
    lazy_[(int)which].state = FontState::Fetching;
    ++lazy_[(int)which].attempts;
}

void AtlasPlan::fetch_done(Lazy which, bool ok) {
    lazy_[(int)which].state = ok ? FontState::Loaded : FontState::Failed;
    if (!ok) return;
    // Code points Noto Sans lacked may be in the new font: try them all again.
    unavailable_.clear();
    GlyphSet pending = extra_.minus(covered_);
    if (!pending.empty()) rebuild_ = true;
}

void AtlasPlan::prefetch(const GlyphSet& likely) {
    GlyphSet more = likely.minus(unavailable_);
    if (extra_.size() + more.size() > kMaxExtra) {
        // Too many to bake (the atlas must fit one GPU texture): keep what is needed now.
        extra_ = last_drawn_;
        extra_.add(more);
    } else {
        extra_.add(more);
    }
    // The first-load ranges are always baked; extra holds only what lies beyond them.
    GlyphSet base;
    for (auto [a, b] : kBaseRanges) base.add_range(a, b);
    extra_ = extra_.minus(base);
}

void AtlasPlan::built(const GlyphSet& covered) {
    covered_ = covered;
    rebuild_ = false;
    GlyphSet asked = extra_;
    for (auto [a, b] : kBaseRanges) asked.add_range(a, b);
    // Absent after a build with every font that could hold them: no box-chasing rebuilds.
    for (CodePoint c : asked.minus(covered_).list())
        if (could_bake(c)) unavailable_.add(c);
}

}  // namespace parley::glyphs
