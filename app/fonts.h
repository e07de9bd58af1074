// Which code points the font atlas must hold. Dear ImGui 1.90's atlas is static: it
// only draws glyphs baked into it, so we note the code points of the text on screen
// each frame and rebuild the atlas between frames when new ones appear. CJK glyphs and
// emoji come from fonts fetched only once such text must be drawn. Pure logic (no ImGui).
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace parley {
struct AppState;
}

namespace parley::glyphs {

using CodePoint = uint32_t;
constexpr CodePoint kReplacement = 0xFFFD;  // what invalid UTF-8 decodes to

// Decodes one code point at s[i] and advances i. Invalid input (stray continuation
// byte, overlong form, surrogate, > U+10FFFF, truncated sequence) gives U+FFFD and
// skips only the bytes that belonged to the broken sequence, so the text after it
// decodes normally.
CodePoint next_code_point(std::string_view s, size_t& i);

// Needs the CJK font (in kCjkRanges): Han ideographs, kana, CJK punctuation, fullwidth forms, …
bool is_cjk(CodePoint c);
// Drawn from the emoji font (in kEmojiRanges): 👍 🙂 ✅ ❤ and their variation selectors.
bool is_emoji(CodePoint c);

// The font tables come from assets/fonts.json, the list of fonts that scripts/stage_web.sh
// cuts the subsets by (CMake generates them at configure time: assets/fonts.cmake).
// The first-load ranges (inclusive pairs) of the Noto Sans subsets: Latin incl.
// Extended-A, Greek, Cyrillic, punctuation, currency, letterlike symbols, arrows, U+FFFD.
extern const std::span<const std::pair<CodePoint, CodePoint>> kBaseRanges;
// Symbols Noto Sans lacks (✓ ✓✓ read marks, ★ ratings, event icons), from a tiny
// NotoSansSymbols2 subset loaded with the first load.
extern const std::span<const CodePoint> kSymbolChars;
// The code points drawn from the lazily fetched CJK font (is_cjk; inclusive pairs).
extern const std::span<const std::pair<CodePoint, CodePoint>> kCjkRanges;
// The code points drawn from the lazily fetched emoji font (is_emoji; inclusive pairs).
extern const std::span<const std::pair<CodePoint, CodePoint>> kEmojiRanges;
bool in_base_ranges(CodePoint c);
// The font files of the web bundle by role (assets/fonts.json `asset`), as the client
// asks for them: regular and bold text, the symbols, the lazily fetched CJK and emoji fonts.
struct FontAssets {
    const char *regular, *bold, *symbols, *cjk, *emoji;
};
extern const FontAssets kFontAssets;  // the first-load ranges or a symbol of kSymbolChars

// A set of code points: a bitmap for the Basic Multilingual Plane (cheap to fill
// every frame, O(1) add) and a small tree for the rare code points beyond it.
class GlyphSet {
public:
    GlyphSet();
    void add(CodePoint c);
    void add_range(CodePoint first, CodePoint last);
    void add_utf8(std::string_view text);
    void add(const GlyphSet& other);
    bool contains(CodePoint c) const;
    size_t size() const;
    bool empty() const { return size() == 0; }
    void clear();
    GlyphSet minus(const GlyphSet& other) const;
    bool any_cjk() const;
    std::vector<CodePoint> list() const;  // ascending
    bool operator==(const GlyphSet& o) const { return bmp_ == o.bmp_ && astral_ == o.astral_; }

private:
    std::vector<uint64_t> bmp_;  // 65536 bits
    std::set<CodePoint> astral_;
    size_t bmp_count_ = 0;
};

// The code points of the text the app can show now: inbox rows, the open request and
// its messages, drafts, who is signed in. Baked ahead when a rebuild happens anyway,
// so scrolling to more rows of the same language does not rebuild again.
void collect_glyphs(const AppState& state, GlyphSet& out);
// The draft of the open request (the text field draws it outside the ui_text wrappers).
void collect_open_draft(const AppState& state, GlyphSet& out);

// Text drawn this frame: the ui_text* wrappers note every visible string here.
void note_drawn(std::string_view text);
GlyphSet& drawn_this_frame();

// The fonts fetched only when their text is on screen.
enum class Lazy { Cjk, Emoji };
inline constexpr int kLazyFonts = 2;
// Which lazy font draws c, if any.
std::optional<Lazy> lazy_font_of(CodePoint c);

// Decides, frame after frame, when to fetch a lazy font and when to rebuild the atlas.
class AtlasPlan {
public:
    enum class FontState { Absent, Fetching, Loaded, Failed };  // of each lazy font
    using Cjk = FontState;  // its first name, from when the CJK font was the only one
    static constexpr int kMaxFetchAttempts = 3;
    static constexpr size_t kMaxExtra = 2000;  // beyond this, keep only what is needed now (atlas size, build time)

    // After each frame, with the code points it drew.
    void frame_drawn(const GlyphSet& drawn);
    bool want_fetch(Lazy f) const;
    void fetch_started(Lazy f);
    void fetch_done(Lazy f, bool ok);
    FontState state(Lazy f) const { return lazy_[(int)f].state; }
    int fetch_attempts(Lazy f) const { return lazy_[(int)f].attempts; }
    // The CJK font's, by their first names.
    bool want_cjk_fetch() const { return want_fetch(Lazy::Cjk); }
    void cjk_fetch_started() { fetch_started(Lazy::Cjk); }
    void cjk_fetch_done(bool ok) { fetch_done(Lazy::Cjk, ok); }
    bool want_rebuild() const { return rebuild_; }
    // Code points to bake besides the first-load ranges (call before building).
    void prefetch(const GlyphSet& likely);
    const GlyphSet& extra() const { return extra_; }
    // After building: the code points the atlas now has.
    void built(const GlyphSet& covered);

    // Code points drawn by the last frame that the atlas lacks: each shows as a box.
    size_t missing() const { return missing_; }
    Cjk cjk() const { return state(Lazy::Cjk); }
    int fetch_attempts() const { return fetch_attempts(Lazy::Cjk); }
    bool covers(CodePoint c) const { return in_base_ranges(c) || covered_.contains(c); }

private:
    bool could_bake(CodePoint c) const;  // a font we have might hold it

    struct LazyFont {
        FontState state = FontState::Absent;
        int attempts = 0;
        bool needed = false;  // the last frame drew code points only it has
    };
    GlyphSet extra_, covered_, unavailable_, last_drawn_;
    std::array<LazyFont, kLazyFonts> lazy_{};
    bool rebuild_ = false;
    size_t missing_ = 0;
};

}  // namespace parley::glyphs
