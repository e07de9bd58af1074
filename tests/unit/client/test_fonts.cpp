// Glyph-set collection for the font atlas: UTF-8 decoding (invalid input included),
// collection from the state and from drawn text, the missing-set logic that decides
// rebuilds and the lazy CJK fetch, and real atlases built from Debian's font files.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include "app/fonts.h"
#include "app/registry.h"
#include "app/state.h"
#include "app/theme.h"
#include "app/ui.h"
#include "app/ui_composer.h"
#include "app/ui_text_view.h"
#include "imgui.h"
#include "imgui_frames.h"

using namespace parley;
using glyphs::CodePoint;
using glyphs::GlyphSet;

namespace {
std::vector<CodePoint> decode(std::string_view s) {
    std::vector<CodePoint> out;
    for (size_t i = 0; i < s.size();) out.push_back(glyphs::next_code_point(s, i));
    return out;
}
GlyphSet set_of(std::string_view s) {
    GlyphSet g;
    g.add_utf8(s);
    return g;
}
GlyphSet base_set() {
    GlyphSet g;
    for (auto [a, b] : glyphs::kBaseRanges) g.add_range(a, b);
    return g;
}
std::string read_file(const char* path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}
constexpr CodePoint R = glyphs::kReplacement;
}  // namespace

TEST_CASE("utf-8: valid text decodes to its code points", "[fonts]") {
    CHECK(decode("Aé€中😀") == std::vector<CodePoint>{0x41, 0xE9, 0x20AC, 0x4E2D, 0x1F600});
    CHECK(decode("Привет") == std::vector<CodePoint>{0x41F, 0x440, 0x438, 0x432, 0x435, 0x442});
    CHECK(decode("").empty());
}

TEST_CASE("utf-8: invalid sequences give U+FFFD and the text after them survives", "[fonts]") {
    CHECK(decode("\x80" "A") == std::vector<CodePoint>{R, 'A'});                 // stray continuation
    CHECK(decode("\xC0\xAF" "A") == std::vector<CodePoint>{R, R, 'A'});          // overlong lead
    CHECK(decode("\xE0\x80\xAF") == std::vector<CodePoint>{R, R, R});            // overlong 3-byte
    CHECK(decode("\xED\xA0\x80" "B") == std::vector<CodePoint>{R, R, R, 'B'});   // UTF-16 surrogate
    CHECK(decode("\xF4\x90\x80\x80") == std::vector<CodePoint>{R, R, R, R});     // above U+10FFFF
    CHECK(decode("\xF5\xFF" "C") == std::vector<CodePoint>{R, R, 'C'});          // never-valid bytes
    CHECK(decode("\xE4\xB8" "D") == std::vector<CodePoint>{R, 'D'});             // truncated, then ASCII
    CHECK(decode("x\xE4\xB8") == std::vector<CodePoint>{'x', R});                // truncated at the end
    CHECK(decode("\xE4\xB8\xE4\xB8\xAD") == std::vector<CodePoint>{R, 0x4E2D});  // broken, then 中
    CHECK(decode("\xF0\x9F\x98") == std::vector<CodePoint>{R});                  // truncated emoji
}

TEST_CASE("glyph set: add, contains, minus, list, beyond the BMP", "[fonts]") {
    GlyphSet g;
    CHECK(g.empty());
    g.add('a');
    g.add('a');
    g.add(0x4E2D);
    g.add(0x1F600);
    g.add(0x110000);  // not a code point: ignored
    CHECK(g.size() == 3);
    CHECK(g.contains(0x4E2D));
    CHECK(g.contains(0x1F600));
    CHECK_FALSE(g.contains('b'));
    CHECK(g.list() == std::vector<CodePoint>{'a', 0x4E2D, 0x1F600});

    GlyphSet h = set_of("a");
    GlyphSet d = g.minus(h);
    CHECK(d.list() == std::vector<CodePoint>{0x4E2D, 0x1F600});
    h.add(g);
    CHECK(h == g);
    g.clear();
    CHECK(g.empty());
    CHECK(g.list().empty());
}

TEST_CASE("glyph set: text collection skips control characters", "[fonts]") {
    GlyphSet g = set_of("Да\n\tнет 中");
    CHECK(g.list() == std::vector<CodePoint>{' ', 0x414, 0x430, 0x435, 0x43D, 0x442, 0x4E2D});
    GlyphSet bad = set_of("ok\xFF");
    CHECK(bad.contains(R));  // shown as the replacement glyph, which the base font has
    CHECK(glyphs::in_base_ranges(R));
}

TEST_CASE("CJK detection", "[fonts]") {
    for (CodePoint c : {0x4E2D, 0x3042, 0x30A2, 0x3002, 0xFF01, 0x30FC, 0x3231, 0x20BB7})
        CHECK(glyphs::is_cjk(c));
    for (CodePoint c : std::initializer_list<CodePoint>{'A', 0xE9, 0x42F, 0x3A9, 0x20AC, 0x2026, 0xFFFD})
        CHECK_FALSE(glyphs::is_cjk(c));
    CHECK(set_of("スペイン製").any_cjk());
    CHECK(set_of("请提供单价").any_cjk());
    CHECK_FALSE(set_of("Гидроцилиндры HZ-63 — 248 €").any_cjk());
}

TEST_CASE("collect_glyphs: inbox rows, the open thread, drafts", "[fonts]") {
    AppState s;
    s.inbox.me.name = "Marta";
    RequestSummary r;
    r.id = 7;
    r.buyer_name = "王建国";
    r.snippet = "您好";
    s.inbox.requests.push_back(r);
    RequestDetail d;
    d.id = 9;
    d.message = "はじめまして";
    Message m;
    m.body = "Спасибо";
    d.messages.push_back(m);
    s.thread = d;
    s.drafts[9].text = "ΑΒΓ";
    s.drafts[7].text = "ß";

    GlyphSet all;
    glyphs::collect_glyphs(s, all);
    for (CodePoint c : std::initializer_list<CodePoint>{0x738B, 0x60A8, 0x306F, 0x421, 0x391, 0xDF, 'M'}) CHECK(all.contains(c));

    GlyphSet draft;
    s.route = {Screen::Request, 9};
    glyphs::collect_open_draft(s, draft);
    CHECK(draft.list() == std::vector<CodePoint>{0x391, 0x392, 0x393});
    s.route = {Screen::Inbox, 0};
    draft.clear();
    glyphs::collect_open_draft(s, draft);
    CHECK(draft.empty());
}

TEST_CASE("atlas plan: Latin, Greek, Cyrillic need nothing more", "[fonts]") {
    glyphs::AtlasPlan plan;
    plan.built(base_set());
    plan.frame_drawn(set_of("Buenos días — Добрый день — Καλημέρα — 248 €"));
    CHECK(plan.missing() == 0);
    CHECK_FALSE(plan.want_rebuild());
    CHECK_FALSE(plan.want_cjk_fetch());
}

TEST_CASE("atlas plan: a new non-CJK code point is baked from Noto Sans, once", "[fonts]") {
    glyphs::AtlasPlan plan;
    plan.built(base_set());
    plan.frame_drawn(set_of("Cảm ơn"));  // Vietnamese: beyond the first-load ranges
    CHECK(plan.missing() == 2);          // ả and ơ (Latin Extended-B and Additional)
    CHECK(plan.want_rebuild());
    CHECK_FALSE(plan.want_cjk_fetch());
    plan.prefetch(GlyphSet());
    CHECK(plan.extra().contains(0x1EA3));
    GlyphSet covered = base_set();
    covered.add(plan.extra());
    plan.built(covered);
    plan.frame_drawn(set_of("Cảm ơn"));
    CHECK(plan.missing() == 0);
    CHECK_FALSE(plan.want_rebuild());
}

TEST_CASE("atlas plan: CJK text fetches the CJK font once, then rebuilds", "[fonts]") {
    glyphs::AtlasPlan plan;
    plan.built(base_set());
    const GlyphSet ja = set_of("はじめまして。PV-16");
    plan.frame_drawn(ja);
    CHECK(plan.missing() == 7);  // six kana and the ideographic full stop
    CHECK(plan.want_cjk_fetch());
    CHECK_FALSE(plan.want_rebuild());  // no font for them yet: rebuilding would not help
    plan.cjk_fetch_started();
    plan.frame_drawn(ja);
    CHECK_FALSE(plan.want_cjk_fetch());  // already on its way
    plan.cjk_fetch_done(true);
    CHECK(plan.want_rebuild());

    plan.prefetch(set_of("您好"));  // more CJK text in the state: baked in the same rebuild
    GlyphSet covered = base_set();
    covered.add(plan.extra());
    plan.built(covered);
    plan.frame_drawn(ja);
    CHECK(plan.missing() == 0);
    plan.frame_drawn(set_of("您好"));
    CHECK(plan.missing() == 0);
    CHECK_FALSE(plan.want_rebuild());
    CHECK_FALSE(plan.want_cjk_fetch());
    CHECK(plan.fetch_attempts() == 1);
}

TEST_CASE("atlas plan: an emoji fetches the emoji font, not the CJK one; both can be on their way", "[fonts]") {
    glyphs::AtlasPlan plan;
    plan.built(base_set());
    const GlyphSet thanks = set_of("Gracias 👍🙂 ❤\uFE0F");
    plan.frame_drawn(thanks);
    CHECK(plan.missing() == 4);  // 👍 🙂 ❤ and the emoji presentation mark
    CHECK(plan.want_fetch(glyphs::Lazy::Emoji));
    CHECK_FALSE(plan.want_cjk_fetch());
    CHECK_FALSE(plan.want_rebuild());  // no font for them yet
    plan.fetch_started(glyphs::Lazy::Emoji);
    CHECK(plan.state(glyphs::Lazy::Emoji) == glyphs::AtlasPlan::FontState::Fetching);

    // CJK text arrives meanwhile: its own font is asked for, independently.
    GlyphSet both = thanks;
    both.add(set_of("谢谢"));
    plan.frame_drawn(both);
    CHECK_FALSE(plan.want_fetch(glyphs::Lazy::Emoji));  // already on its way
    CHECK(plan.want_cjk_fetch());

    plan.fetch_done(glyphs::Lazy::Emoji, true);
    CHECK(plan.want_rebuild());
    GlyphSet covered = base_set();
    for (glyphs::CodePoint c : plan.extra().list())
        if (!glyphs::is_cjk(c)) covered.add(c);  // the emoji font had them; CJK still absent
    plan.built(covered);
    plan.frame_drawn(thanks);
    CHECK(plan.missing() == 0);
    CHECK(plan.fetch_attempts(glyphs::Lazy::Emoji) == 1);
    CHECK(plan.fetch_attempts(glyphs::Lazy::Cjk) == 0);
}

TEST_CASE("atlas plan: glyphs no font has stay missing without rebuild loops", "[fonts]") {
    glyphs::AtlasPlan plan;
    plan.built(base_set());
    const GlyphSet text = set_of("Ʃ 𓀀");  // Latin Extended-B, Egyptian hieroglyph
    plan.frame_drawn(text);
    CHECK(plan.want_rebuild());
    plan.prefetch(GlyphSet());
    plan.built(base_set());  // the fonts did not have them
    plan.frame_drawn(text);
    CHECK(plan.missing() == 2);  // honest: they show as boxes
    CHECK_FALSE(plan.want_rebuild());
    CHECK_FALSE(plan.want_cjk_fetch());
}

TEST_CASE("atlas plan: a failed CJK fetch is retried a few times only", "[fonts]") {
    glyphs::AtlasPlan plan;
    plan.built(base_set());
    const GlyphSet zh = set_of("齿轮泵");
    for (int i = 0; i < glyphs::AtlasPlan::kMaxFetchAttempts; ++i) {
        plan.frame_drawn(zh);
        REQUIRE(plan.want_cjk_fetch());
        plan.cjk_fetch_started();
        plan.cjk_fetch_done(false);
        CHECK_FALSE(plan.want_rebuild());
    }
    plan.frame_drawn(zh);
    CHECK_FALSE(plan.want_cjk_fetch());
    CHECK(plan.missing() == 3);
}

TEST_CASE("atlas plan: too many extra code points keep only what is needed now", "[fonts]") {
    glyphs::AtlasPlan plan;
    plan.built(base_set());
    plan.cjk_fetch_started();
    plan.cjk_fetch_done(true);
    GlyphSet huge;
    huge.add_range(0x4E00, 0x4E00 + glyphs::AtlasPlan::kMaxExtra + 100);
    plan.frame_drawn(set_of("中文"));
    plan.prefetch(huge);
    CHECK(plan.extra().contains(0x4E2D));
    CHECK(plan.extra().contains(0x6587));
    CHECK(plan.extra().size() <= glyphs::AtlasPlan::kMaxExtra + 200);
}

// ---- real ImGui frames and atlases

namespace {
struct ImCtx : ImGuiFrames {
    ImCtx() : ImGuiFrames(ImVec2(800, 600), /*default_fonts=*/false) {}
};
}  // namespace

TEST_CASE("the text wrappers note what is visible, not what is scrolled away", "[fonts]") {
    ImCtx ctx;
    theme::build_fonts("", "", 1.0f);
    unsigned char* px;
    int w, h;
    ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&px, &w, &h);
    glyphs::drawn_this_frame().clear();
    ImGui::GetIO().DeltaTime = 1.f / 60;
    ImGui::NewFrame();
    reg::begin_frame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(800, 600));
    ImGui::Begin("w");
    ui_text("Привет");
    ui_text_wrapped("中文", 300);
    ui_badge("ΩΨ", 0, 0);
    ImGui::SetCursorPosY(5000);  // far below the window: clipped, not drawn
    ui_text_fit("はじめまして", 300);
    ImGui::SetCursorPosY(40);
    ui_text_view("##m", "見積もり", 300, nullptr, 0, "message");  // messages
    std::string draft = "Ж";
    ui_composer("##c", "Reply", "…", draft, 300, 3, 6, false);  // the composer
    ImGui::End();
    ImGui::Render();
    reg::end_frame();
    const GlyphSet& drawn = glyphs::drawn_this_frame();
    CHECK(drawn.contains(0x41F));
    CHECK(drawn.contains(0x4E2D));
    CHECK(drawn.contains(0x3A9));
    CHECK_FALSE(drawn.contains(0x306F));
    CHECK(drawn.contains(0x898B));  // 見, drawn by the message view
    CHECK(drawn.contains(0x416));   // Ж, drawn by the composer
    glyphs::drawn_this_frame().clear();
}

TEST_CASE("real atlas: demo texts of all nine languages, within the texture limit", "[fonts]") {
    const std::string regular = read_file("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf");
    const std::string bold = read_file("/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf");
    const std::string cjk = read_file("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf");
    INFO("fonts-noto-core / fonts-droid-fallback missing: scripts/setup.sh installs them");
    REQUIRE_FALSE((regular.empty() || bold.empty() || cjk.empty()));
    ImCtx ctx;
    const std::string text =
        "¿Podrían indicarnos precio? Vérins à vessie. Förderanlagen Grüß Gott. Perfetto, grazie. "
        "Válvulas direcionais, cotação. Hello — 45 °C. Добрый день! Гидроцилиндры, ёмкость. "
        "您好！我公司需要采购齿轮泵，谢谢！ はじめまして。弊社は名古屋でプレス機を製造しております。";
    glyphs::AtlasPlan plan;
    plan.cjk_fetch_started();
    plan.cjk_fetch_done(true);
    plan.frame_drawn(set_of(text));
    plan.prefetch(GlyphSet());

    GlyphSet covered;
    theme::AtlasInfo info = theme::build_fonts({regular, bold, cjk, {}}, 3.0f, plan.extra(), 4096, &covered);
    plan.built(covered);
    plan.frame_drawn(set_of(text));
    CHECK(plan.missing() == 0);
    CHECK(info.width <= 4096);
    CHECK(info.height <= 4096);
    CHECK(info.raster_scale == 3.0f);
    CHECK(ImGui::GetIO().FontGlobalScale == Approx(1 / 3.f));
    // CJK glyphs are as tall as the Latin text around them (same line height).
    const ImFontGlyph* han = theme::fonts.body->FindGlyphNoFallback(0x516C);  // 公
    const ImFontGlyph* latin = theme::fonts.body->FindGlyphNoFallback('H');
    REQUIRE(han);
    REQUIRE(latin);
    CHECK(han->Y1 - han->Y0 > (latin->Y1 - latin->Y0) * 0.9f);
    CHECK(han->Y1 - han->Y0 < (latin->Y1 - latin->Y0) * 1.6f);
    INFO("atlas " << info.width << "x" << info.height << " built in " << info.build_ms << " ms");
    CHECK(info.build_ms >= 0);

    // A small GPU limit: oversampling and then the raster scale give way; text still covered.
    GlyphSet small_covered;
    theme::AtlasInfo small = theme::build_fonts({regular, bold, cjk, {}}, 3.0f, plan.extra(), 1024, &small_covered);
    CHECK(small.width <= 1024);
    CHECK(small.height <= 1024);
    CHECK(small.oversample == 1);
    CHECK(small.raster_scale < 3.0f);
    CHECK(small_covered == covered);
}
