// assets/fonts.json is the one list of the web client's fonts. These tests check that
// app/fonts' compiled tables are the manifest's, and that the subsets staged into the web
// build by scripts/stage_web.sh hold what the manifest promises: every listed code point
// the Debian source font has, and nothing beyond the list.
// The staged client is read from PARLEY_WEB_DIST (its dist/ folder, or dist/assets/),
// by default build-web/dist of the source tree; scripts/test.sh builds it first, so a
// missing one is a failure.
#include <catch2/catch.hpp>
#include <iconv.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <optional>

#include <nlohmann/json.hpp>
#include <span>
#include <sstream>
#include <string>
#include <utility>
#include <vector>
#include "app/fonts.h"

#define STBTT_STATIC
#define STB_TRUETYPE_IMPLEMENTATION
#include <stb/stb_truetype.h>

namespace fs = std::filesystem;
namespace glyphs = parley::glyphs;
using glyphs::CodePoint;
using Json = nlohmann::json;
using Range = std::pair<CodePoint, CodePoint>;

namespace {

std::string slurp(const fs::path& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

Json manifest() {
    const fs::path path = fs::path(PARLEY_SOURCE_DIR) / "assets" / "fonts.json";
    const std::string text = slurp(path);
    INFO("reading " << path);
    REQUIRE(!text.empty());
    return Json::parse(text);
}

// "U+0020-017F" or "U+FFFD" → inclusive pair.
Range parse_range(const std::string& s) {
    INFO("range " << s);
    REQUIRE(s.rfind("U+", 0) == 0);
    size_t used = 0;
    const CodePoint a = static_cast<CodePoint>(std::stoul(s.substr(2), &used, 16));
    CodePoint b = a;
    if (2 + used < s.size()) {
        REQUIRE(s[2 + used] == '-');
        b = static_cast<CodePoint>(std::stoul(s.substr(3 + used), nullptr, 16));
    }
    REQUIRE(a <= b);
    return {a, b};
}

std::vector<Range> ranges_of(const Json& list, const char* field) {
    std::vector<Range> out;
    for (const Json& r : list) out.push_back(parse_range(r.at(field).get<std::string>()));
    return out;
}

std::vector<CodePoint> chars_of(const Json& list) {
    std::vector<CodePoint> out;
    for (const Range& r : ranges_of(list, "char")) {
        REQUIRE(r.first == r.second);
        out.push_back(r.first);
    }
    return out;
}

// The characters of rows [first, last] of a 94×94 EUC code table (EUC-CN, EUC-JP), as
// glibc's iconv decodes them: a second opinion on the Python codecs stage_web.sh uses.
std::vector<CodePoint> table_chars(const std::string& encoding, int first_row, int last_row) {
    iconv_t cd = iconv_open("UTF-32LE", encoding.c_str());
    INFO("iconv " << encoding);
    REQUIRE(cd != reinterpret_cast<iconv_t>(-1));
    std::vector<CodePoint> out;
    for (int row = first_row; row <= last_row; ++row) {
        for (int cell = 1; cell <= 94; ++cell) {
            char in[2] = {static_cast<char>(0xA0 + row), static_cast<char>(0xA0 + cell)};
            unsigned char utf32[8];
            char* ip = in;
            char* op = reinterpret_cast<char*>(utf32);
            size_t il = sizeof in, ol = sizeof utf32;
            if (iconv(cd, &ip, &il, &op, &ol) == static_cast<size_t>(-1) || ol != 4) {
                iconv(cd, nullptr, nullptr, nullptr, nullptr);  // unassigned cell: reset, go on
                continue;
            }
            out.push_back(utf32[0] | utf32[1] << 8 | utf32[2] << 16 | static_cast<CodePoint>(utf32[3]) << 24);
        }
    }
    iconv_close(cd);
    return out;
}

bool in_ranges(const std::vector<Range>& ranges, CodePoint c) {
    for (auto [a, b] : ranges)
        if (c >= a && c <= b) return true;
    return false;
}

// What a font of the manifest is cut to: its coverage entry as a set of code points.
glyphs::GlyphSet coverage_set(const Json& m, const std::string& name) {
    const Json& c = m.at("coverage").at(name);
    glyphs::GlyphSet out;
    if (c.contains("ranges")) {
        for (auto [a, b] : ranges_of(c["ranges"], "range")) out.add_range(a, b);
    } else if (c.contains("chars")) {
        for (CodePoint s : chars_of(c["chars"])) out.add(s);
    } else {
        for (const Json& t : c.at("tables")) {
            const std::vector<CodePoint> chars = table_chars(t.at("encoding").get<std::string>(),
                                                             t.at("rows").at(0).get<int>(), t.at("rows").at(1).get<int>());
            INFO(t.at("about").get<std::string>());
            CHECK(chars.size() == t.at("count").get<size_t>());
            for (CodePoint x : chars) out.add(x);
        }
        for (auto [a, b] : ranges_of(c.at("blocks"), "range")) out.add_range(a, b);
    }
    return out;
}

// A font file opened with stb_truetype; has() asks its character map.
struct Font {
    std::string bytes;
    stbtt_fontinfo info{};
    bool ok = false;
    explicit Font(const fs::path& path) : bytes(slurp(path)) {
        const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
        ok = !bytes.empty() && stbtt_InitFont(&info, data, stbtt_GetFontOffsetForIndex(data, 0)) != 0;
    }
    Font(const Font&) = delete;  // info points into bytes
    Font& operator=(const Font&) = delete;
    bool has(CodePoint c) const {
        return stbtt_FindGlyphIndex(&info, static_cast<int>(c)) != 0;
    }
};

std::string hex_list(const std::vector<CodePoint>& cps) {
    std::ostringstream s;
    s << cps.size() << ":";
    for (size_t i = 0; i < cps.size() && i < 12; ++i)
        s << " U+" << std::hex << std::uppercase << std::setw(4) << std::setfill('0') << cps[i];
    if (cps.size() > 12) s << " …";
    return s.str();
}

// Tables as text ("U+0400-052F U+2713 …"): a mismatch shows which entry differs.
std::string text_of(std::span<const Range> ranges) {
    std::ostringstream s;
    s << std::hex << std::uppercase << std::setfill('0');
    for (auto [a, b] : ranges) {
        s << " U+" << std::setw(4) << a;
        if (b != a) s << '-' << std::setw(4) << b;
    }
    return s.str();
}
std::string text_of(std::span<const CodePoint> chars) {
    std::vector<Range> ranges;
    for (CodePoint c : chars) ranges.emplace_back(c, c);
    return text_of(ranges);
}

// The staged client: PARLEY_WEB_DIST or build-web/dist of the source tree.
fs::path web_dist() {
    const char* env = std::getenv("PARLEY_WEB_DIST");
    fs::path dist = env && *env ? fs::path(env) : fs::path(PARLEY_SOURCE_DIR) / "build-web" / "dist";
    if (!fs::exists(dist / "index.html") && fs::exists(dist.parent_path() / "index.html"))
        dist = dist.parent_path();  // pointed at dist/assets/
    return dist;
}

// index.html's window.parleyAssets: asset name → content-hashed URL.
Json staged_assets(const fs::path& dist) {
    const std::string html = slurp(dist / "index.html");
    const size_t at = html.find("window.parleyAssets = ");
    REQUIRE(at != std::string::npos);
    const size_t open = html.find('{', at), close = html.find('}', at);
    REQUIRE(open != std::string::npos);
    REQUIRE(close != std::string::npos);
    return Json::parse(html.substr(open, close - open + 1));
}

}  // namespace

TEST_CASE("font manifest: app/fonts' tables are the ones of assets/fonts.json", "[fonts][manifest]") {
    const Json m = manifest();
    const Json& cov = m.at("coverage");
    const std::vector<Range> base = ranges_of(cov.at("text").at("ranges"), "range");
    const std::vector<CodePoint> symbols = chars_of(cov.at("symbols").at("chars"));
    const std::vector<Range> cjk = ranges_of(cov.at("cjk").at("fetch_when_drawn"), "range");
    const std::vector<Range> emoji = ranges_of(cov.at("emoji").at("ranges"), "range");

    CHECK(text_of(glyphs::kBaseRanges) == text_of(base));
    CHECK(text_of(glyphs::kSymbolChars) == text_of(symbols));
    CHECK(text_of(glyphs::kCjkRanges) == text_of(cjk));
    CHECK(text_of(glyphs::kEmojiRanges) == text_of(emoji));

    // The files the client fetches, by role.
    std::map<std::string, std::string> asset_of;
    for (const Json& f : m.at("fonts")) asset_of[f.at("role").get<std::string>()] = f.at("asset").get<std::string>();
    CHECK(asset_of.size() == m.at("fonts").size());  // one font per role
    CHECK(asset_of["regular"] == glyphs::kFontAssets.regular);
    CHECK(asset_of["bold"] == glyphs::kFontAssets.bold);
    CHECK(asset_of["symbols"] == glyphs::kFontAssets.symbols);
    CHECK(asset_of["cjk"] == glyphs::kFontAssets.cjk);
    CHECK(asset_of["emoji"] == glyphs::kFontAssets.emoji);

    // is_cjk and in_base_ranges answer by those tables, at both ends of each range.
    for (auto [a, b] : cjk) {
        CHECK(glyphs::is_cjk(a));
        CHECK(glyphs::is_cjk(b));
        if (!in_ranges(cjk, a - 1)) CHECK_FALSE(glyphs::is_cjk(a - 1));
        if (!in_ranges(cjk, b + 1)) CHECK_FALSE(glyphs::is_cjk(b + 1));
    }
    for (auto [a, b] : emoji) {
        CHECK(glyphs::is_emoji(a));
        CHECK(glyphs::is_emoji(b));
        if (!in_ranges(emoji, a - 1)) CHECK_FALSE(glyphs::is_emoji(a - 1));
        if (!in_ranges(emoji, b + 1)) CHECK_FALSE(glyphs::is_emoji(b + 1));
    }
    for (auto [a, b] : base) {
        CHECK(glyphs::in_base_ranges(a));
        CHECK(glyphs::in_base_ranges(b));
    }
    for (CodePoint s : symbols) CHECK(glyphs::in_base_ranges(s));

    // The first load never waits for a lazy font: no first-load code point is routed to
    // one. (The icons of coverage.symbols may lie in an emoji range: they are baked from
    // the first load's symbols font, which comes first, and are never missing.)
    std::vector<CodePoint> routed;
    for (auto [a, b] : base)
        for (CodePoint c = a; c <= b; ++c)
            if (glyphs::lazy_font_of(c)) routed.push_back(c);
    for (CodePoint s : symbols)
        if (glyphs::is_cjk(s)) routed.push_back(s);
    {
        INFO("first-load code points that would wait for a lazy font " << hex_list(routed));
        CHECK(routed.empty());
    }

    // Every ideograph of the CJK subset's code tables makes the client fetch that font.
    const glyphs::GlyphSet lazy = coverage_set(m, "cjk");
    std::vector<CodePoint> unrouted;
    for (const Json& t : cov.at("cjk").at("tables"))
        for (CodePoint c : table_chars(t.at("encoding").get<std::string>(), t.at("rows").at(0).get<int>(),
                                       t.at("rows").at(1).get<int>()))
            if (!glyphs::is_cjk(c)) unrouted.push_back(c);
    {
        INFO("table characters that would never fetch the CJK font " << hex_list(unrouted));
        CHECK(unrouted.empty());
    }
    CHECK(lazy.contains(0x4E2D));  // 中
    // CJK and emoji ranges do not overlap: each code point has one lazy font.
    for (auto [a, b] : emoji)
        for (CodePoint c = a; c <= b; ++c) CHECK_FALSE(glyphs::is_cjk(c));
    for (CodePoint c : {CodePoint{0x1F44D}, CodePoint{0x1F642}, CodePoint{0x2705}, CodePoint{0x2764}, CodePoint{0xFE0F}})
        CHECK(glyphs::lazy_font_of(c) == glyphs::Lazy::Emoji);  // 👍 🙂 ✅ ❤ and the emoji presentation mark

    // Each font: a known coverage, a Debian source, loaded first or lazily, one asset name.
    std::vector<std::string> assets;
    for (const Json& f : m.at("fonts")) {
        INFO(f.dump());
        CHECK(cov.contains(f.at("coverage").get<std::string>()));
        CHECK(f.at("source").get<std::string>().rfind("/usr/share/fonts/", 0) == 0);
        CHECK(!f.at("package").get<std::string>().empty());
        CHECK((f.at("load") == "first" || f.at("load") == "lazy"));
        for (const std::string& a : assets) CHECK(a != f.at("asset").get<std::string>());
        assets.push_back(f.at("asset"));
    }
}

TEST_CASE("staged web fonts: each subset holds what assets/fonts.json lists", "[fonts][manifest][web]") {
    const Json m = manifest();
    const fs::path dist = web_dist();
    if (!fs::exists(dist / "index.html"))
        FAIL("no staged web client at " << dist.string() << " (index.html missing): build it (scripts/build.sh) "
             "or point PARLEY_WEB_DIST at its dist/ folder");
    const Json assets = staged_assets(dist);

    for (const Json& f : m.at("fonts")) {
        const std::string asset = f.at("asset"), source_path = f.at("source"), coverage = f.at("coverage");
        INFO(asset << " (" << coverage << ", " << f.at("load").get<std::string>() << ")");
        REQUIRE(assets.contains(asset));
        const fs::path staged = dist / fs::path(assets[asset].get<std::string>()).relative_path();
        const Font subset(staged);
        INFO("subset " << staged.string());
        REQUIRE(subset.ok);
        const Font source(source_path);
        INFO("source " << source_path << " from Debian package " << f.at("package").get<std::string>());
        REQUIRE(source.ok);

        // Every listed code point the source font has is in the subset …
        const glyphs::GlyphSet listed = coverage_set(m, coverage);
        std::vector<CodePoint> lost, absent;
        for (CodePoint c : listed.list()) {
            if (!source.has(c)) absent.push_back(c);
            else if (!subset.has(c)) lost.push_back(c);
        }
        {
            INFO("listed, in the source font, not in the subset " << hex_list(lost));
            CHECK(lost.empty());
        }
        CHECK(absent.size() < listed.size());
        if (coverage == "symbols") {  // each icon is asked for by name: the source must have it
            INFO("symbols the source font lacks " << hex_list(absent));
            CHECK(absent.empty());
        }

        // … and nothing else: the first load carries no glyph beyond the list.
        std::vector<CodePoint> extra, unrouted;
        for (CodePoint c = 0; c <= 0x10FFFF; ++c) {
            if (!subset.has(c)) continue;
            if (!listed.contains(c)) extra.push_back(c);
            // A lazy font is fetched for exactly its own code points.
            const std::optional<glyphs::Lazy> lazy = glyphs::lazy_font_of(c);
            const std::optional<glyphs::Lazy> own = f.at("role") == "cjk"     ? std::optional(glyphs::Lazy::Cjk)
                                                    : f.at("role") == "emoji" ? std::optional(glyphs::Lazy::Emoji)
                                                                              : std::nullopt;
            if (f.at("load") == "lazy" && lazy != own) unrouted.push_back(c);
        }
        {
            INFO("in the subset, not listed " << hex_list(extra));
            CHECK(extra.empty());
        }
        INFO("in the lazy subset, never fetched for (another font's or none) " << hex_list(unrouted));
        CHECK(unrouted.empty());
    }

    // What the demo data and the browser tests show, whatever the manifest says.
    const auto staged = [&](const char* asset) {
        return Font(dist / fs::path(assets.at(asset).get<std::string>()).relative_path());
    };
    const Font regular = staged("NotoSans-Regular.ttf"), symbols = staged("NotoSansSymbols2.ttf"),
               cjk = staged("DroidSansFallback.ttf"), emoji_font = staged("Symbola-emoji.ttf");
    for (CodePoint c : {CodePoint{'A'}, CodePoint{0xE9}, CodePoint{0x416}, CodePoint{0x3A9}, CodePoint{0x20AC},
                        CodePoint{0x2014}, CodePoint{0x2026}, CodePoint{0x2116}, glyphs::kReplacement})
        CHECK(regular.has(c));
    for (CodePoint c : std::initializer_list<CodePoint>{0x2713, 0x2605, 0x2606, 0x260E, 0x270E})  // ✓ ★ ☆ ☎ ✎
        CHECK(symbols.has(c));
    for (CodePoint c : std::initializer_list<CodePoint>{0x738B, 0x5EFA, 0x56FD, 0x4F50, 0x85E4, 0x5065, 0x4E00,
                                                        0x60A8, 0x597D, 0x306F, 0x3058, 0x3081, 0x307E, 0x3057,
                                                        0x3066, 0x3002, 0xFF01})
        CHECK(cjk.has(c));  // 王建国 佐藤 健一 您好 はじめまして 。！
    for (CodePoint c : std::initializer_list<CodePoint>{0x1F44D, 0x1F642, 0x1F600, 0x1F64F, 0x2705, 0x2764, 0x1F91D,
                                                        0x1F69A, 0xFE0F})
        CHECK(emoji_font.has(c));  // 👍 🙂 😀 🙏 ✅ ❤ 🤝 🚚 and the emoji presentation mark
}
