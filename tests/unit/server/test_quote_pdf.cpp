// Quote PDFs (libharu, embedded Noto Sans) and PDF page previews (poppler-cpp → PNG).
// The PDFs are read back with poppler: text of the pages, page count, fonts;
// previews are decoded with stb_image.
#include <catch2/catch.hpp>

#include <hpdf.h>
#include <poppler-document.h>
#include <poppler-page.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>

#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_STATIC
#define STBI_ONLY_PNG
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#endif
#include <stb/stb_image.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

#include "net/quote.h"
#include "server/documents/pdf_preview.h"
#include "server/documents/quote_pdf.h"

using namespace parley;
using namespace parley::server;

namespace {

constexpr Millis k2026 = 1767225600000;  // 2026-01-01T00:00:00Z
const char* kAccented = "Válvula de bola DN50 — Ø 50 mm";
const char* kCyrillic = "Шаровой кран";

Quote sample_quote(int lines) {
    Quote q;
    q.id = 42;
    q.number = "Q-2026-0042";
    q.version = 2;
    q.currency = "EUR";
    q.tax_bp = 2100;
    q.shipping = 15000;
    q.incoterm = "DAP";
    q.lead_time_days = 21;
    q.created = k2026 + 10LL * 86400000;
    q.valid_until = k2026 + 40LL * 86400000;
    q.payment_terms = "30 days net";
    q.notes = std::string(60, 'x') + " Pressure tested to PN40.\nEN 10204 3.1 certificates on request. " +
              std::string(400, 'y');
    for (int i = 0; i < lines; ++i) {
        QuoteLine l;
        l.product = i % 3 == 0 ? kAccented
                    : i % 3 == 1 ? kCyrillic
                                 : "Stainless steel ball valve with a very long description that must wrap "
                                   "onto several lines of the product column";
        l.reference = "REF-" + std::to_string(i);
        l.quantity = 1000 + 500 * i;
        l.unit = i % 2 ? "m" : "pcs";
        l.unit_price = 8950 + i;
        l.discount_bp = i % 4 == 0 ? 750 : 0;
        q.lines.push_back(l);
    }
    REQUIRE(update_totals(q));
    return q;
}

QuotePdfParties sample_parties() {
    QuotePdfParties p;
    p.seller = {"Marta Iglesias", "Hidráulica Iberia S.A.", "ES", "marta@example.es"};
    p.buyer = {"Алексей Смирнов", "ООО «ГидроТех»", "RU", ""};
    return p;
}

std::string utf8(const poppler::ustring& s) {
    auto bytes = s.to_utf8();
    return std::string(bytes.begin(), bytes.end());
}

struct Loaded {
    std::unique_ptr<poppler::document> doc;
    std::string text(int page) const {
        std::unique_ptr<poppler::page> p(doc->create_page(page));
        return p ? utf8(p->text()) : std::string();
    }
};

Loaded load(const std::string& pdf) {
    Loaded l;
    l.doc.reset(poppler::document::load_from_raw_data(pdf.data(), static_cast<int>(pdf.size())));
    REQUIRE(l.doc);
    REQUIRE_FALSE(l.doc->is_locked());
    return l;
}

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

// Without spaces of any width (poppler's text layout adds or drops them, and writes a
// no-break space as a plain one).
std::string squeeze(std::string s) {
    for (const char* space : {"\xC2\xA0", "\xE2\x80\xAF"})
        for (size_t at = s.find(space); at != std::string::npos; at = s.find(space)) s.erase(at, std::strlen(space));
    s.erase(std::remove_if(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\n'; }), s.end());
    return s;
}

}  // namespace

TEST_CASE("quote PDF: embedded fonts, accents and Cyrillic, several pages, totals on the last", "[quote_pdf]") {
    Quote q = sample_quote(120);
    std::string error;
    std::string pdf = render_quote_pdf(q, sample_parties(), "en", &error);
    INFO(error);
    REQUIRE(pdf.rfind("%PDF-", 0) == 0);
    CHECK(contains(pdf, "/FontFile2"));  // TrueType program embedded
    CHECK(contains(pdf, "NotoSans"));

    Loaded l = load(pdf);
    int pages = l.doc->pages();
    CHECK(pages > 1);
    std::string first = l.text(0);
    CHECK(contains(first, "Q-2026-0042"));
    CHECK(contains(first, "version 2"));
    CHECK(contains(first, kAccented));
    CHECK(contains(first, kCyrillic));
    CHECK(contains(first, "Hidráulica Iberia S.A."));
    CHECK(contains(first, "ООО «ГидроТех»"));
    CHECK(contains(first, "Valid until 10 Feb 2026"));
    // Footer "1 / N" (poppler's text layout drops the narrow spaces around the slash).
    CHECK(contains(squeeze(first), "1/" + std::to_string(pages)));

    std::string last = l.text(pages - 1);
    CHECK(contains(last, format_money(q.totals.total, "EUR", "en")));
    CHECK(contains(last, format_money(q.totals.tax, "EUR", "en")));
    CHECK(contains(last, "Tax (21 %)"));
    CHECK(contains(last, "Pressure tested to PN40."));
    CHECK(contains(squeeze(last), std::to_string(pages) + "/" + std::to_string(pages)));
    // Every line is somewhere, in order: the last one on the last table page.
    std::string all;
    for (int i = 0; i < pages; ++i) all += l.text(i);
    CHECK(contains(all, "REF-0"));
    CHECK(contains(all, "REF-119"));
    CHECK(all.find("REF-118") < all.find("REF-119"));
    // The table header is repeated on continuation pages.
    CHECK(contains(l.text(1), "Unit price"));
    CHECK(contains(l.text(1), "(continued)"));
}

TEST_CASE("quote PDF: labels follow the language, money per language", "[quote_pdf]") {
    Quote q = sample_quote(3);
    std::string error;
    std::string pdf = render_quote_pdf(q, sample_parties(), "es", &error);
    REQUIRE(!pdf.empty());
    Loaded l = load(pdf);
    std::string text = l.text(l.doc->pages() - 1);
    CHECK(contains(text, "Presupuesto Q-2026-0042"));
    CHECK(contains(text, "Válido hasta"));
    // "1234,56 €" style amounts (es): the digits of the total with a decimal comma.
    std::string total = format_money(q.totals.total, "EUR", "es");
    CHECK(contains(total, ","));
    std::string digits = total.substr(0, total.find(','));
    CHECK(contains(text, digits));
}

TEST_CASE("quote PDF: the nine interface languages: labels, dates, countries, day counts", "[quote_pdf]") {
    struct Want {
        const char *lang, *version, *valid, *seller_country, *buyer_country, *lead;
    };
    const Want wants[] = {
        {"en", "Quote Q-2026-0042 · version 2", "Valid until 10 Feb 2026", "Spain", "Russia", "21 days"},
        {"es", "Presupuesto Q-2026-0042 · versión 2", "Válido hasta 10 feb 2026", "España", "Rusia", "21 días"},
        {"fr", "Devis Q-2026-0042 · version 2", "Valable jusqu’au 10 févr. 2026", "Espagne", "Russie", "21 jours"},
        {"de", "Angebot Q-2026-0042 · Version 2", "Gültig bis 10. Feb. 2026", "Spanien", "Russland", "21 Tage"},
        {"it", "Preventivo Q-2026-0042 · versione 2", "Valido fino al 10 feb 2026", "Spagna", "Russia",
         "21 giorni"},
        {"pt", "Orçamento Q-2026-0042 · versão 2", "Válido até 10 de fev. de 2026", "Espanha", "Rússia", "21 dias"},
        {"ru", "Коммерческое предложение Q-2026-0042 · версия 2", "Действует до 10 февр. 2026 г.", "Испания",
         "Россия", "21 день"},
        {"zh", "报价单 Q-2026-0042 · 第 2 版", "有效期至 2026年2月10日", "西班牙", "俄罗斯", "21 天"},
        {"ja", "見積書 Q-2026-0042 · 第 2 版", "有効期限 2026年2月10日", "スペイン", "ロシア", "21 日"},
    };
    Quote q = sample_quote(3);
    for (const Want& w : wants) {
        INFO(w.lang);
        std::string error;
        std::string pdf = render_quote_pdf(q, sample_parties(), w.lang, &error);
        INFO(error);
        REQUIRE(pdf.rfind("%PDF-", 0) == 0);
        // poppler's text layout spaces CJK runs its own way: compare without spaces.
        const std::string text = squeeze(load(pdf).text(0));
        for (const char* part : {w.version, w.valid, w.seller_country, w.buyer_country, w.lead}) {
            INFO(part);
            CHECK(contains(text, squeeze(part)));
        }
        CHECK(contains(text, squeeze(format_money(q.totals.total, "EUR", w.lang))));
    }
    // Russian counts days by its plural rule.
    q.lead_time_days = 3;
    CHECK(contains(squeeze(load(render_quote_pdf(q, sample_parties(), "ru", nullptr)).text(0)), "3дня"));
    q.lead_time_days = 11;
    CHECK(contains(squeeze(load(render_quote_pdf(q, sample_parties(), "ru", nullptr)).text(0)), "11дней"));
}

TEST_CASE("quote PDF: CJK text uses the fallback font", "[quote_pdf]") {
    QuotePdfFonts fonts;
    INFO(fonts.fallback << " is missing: scripts/setup.sh installs fonts-droid-fallback");
    REQUIRE(std::filesystem::exists(fonts.fallback));
    Quote q = sample_quote(2);
    q.lines[0].product = "油圧ポンプ HP-200";
    QuotePdfParties parties = sample_parties();
    parties.buyer = {"佐藤 健一", "株式会社佐藤油圧工業", "JP", ""};
    std::string error;
    std::string pdf = render_quote_pdf(q, parties, "ja", &error);
    REQUIRE(!pdf.empty());
    std::string text = load(pdf).text(0);
    CHECK(contains(text, "油圧ポンプ"));
    CHECK(contains(text, "株式会社佐藤油圧工業"));
}

TEST_CASE("quote PDF: a missing font or bad text is an error or cleaned, never a crash", "[quote_pdf]") {
    Quote q = sample_quote(2);
    std::string error;
    QuotePdfFonts fonts;
    fonts.regular = "/nonexistent/NotoSans-Regular.ttf";
    CHECK(render_quote_pdf(q, sample_parties(), "en", &error, fonts).empty());
    CHECK(contains(error, "font not found"));

    // A file that is not a font: libharu reports an error through its handler.
    fonts = {};
    fonts.bold = "/etc/hostname";
    error.clear();
    if (std::filesystem::exists(fonts.bold)) {
        CHECK(render_quote_pdf(q, sample_parties(), "en", &error, fonts).empty());
        CHECK(contains(error, "libharu"));
    }

    // Invalid UTF-8, control characters and an unbreakable 200-byte word still render.
    q.lines[0].product = std::string("Bad \xff\xfe bytes\x01 and ") + std::string(200, 'W');
    q.notes = std::string(3000, 'n');
    std::string pdf = render_quote_pdf(q, sample_parties(), "en", &error);
    REQUIRE(pdf.rfind("%PDF-", 0) == 0);
    CHECK(contains(load(pdf).text(0), "Bad"));
    CHECK(quote_pdf_file_name(q) == "Q-2026-0042-v2.pdf");
}

TEST_CASE("previews: page count, sizes and a PNG of the requested width", "[pdf_preview]") {
    std::string error;
    std::string pdf = render_quote_pdf(sample_quote(120), sample_parties(), "en", &error);
    REQUIRE(!pdf.empty());
    PdfPages info;
    REQUIRE(pdf_pages(pdf, &info, &error) == PreviewStatus::ok);
    CHECK(info.pages == load(pdf).doc->pages());
    CHECK_FALSE(info.truncated);
    REQUIRE(info.sizes.size() == static_cast<size_t>(info.pages));
    CHECK(info.sizes[0][0] == Approx(595.28).margin(0.5));
    CHECK(info.sizes[0][1] == Approx(841.89).margin(0.5));

    std::string png;
    REQUIRE(render_pdf_page_png(pdf, 1, 400, &png, &error) == PreviewStatus::ok);
    REQUIRE(png.rfind("\x89PNG\r\n\x1a\n", 0) == 0);
    int w = 0, h = 0, comp = 0;
    unsigned char* px = stbi_load_from_memory(reinterpret_cast<const unsigned char*>(png.data()),
                                              static_cast<int>(png.size()), &w, &h, &comp, 3);
    REQUIRE(px);
    CHECK(w == 400);
    CHECK(h == 566);  // 400 × 841.89 / 595.28
    size_t dark = 0, n = static_cast<size_t>(w) * h;
    for (size_t i = 0; i < n; ++i)
        if (px[3 * i] < 128 && px[3 * i + 1] < 128 && px[3 * i + 2] < 128) ++dark;
    stbi_image_free(px);
    CHECK(dark > n / 200);  // text and rules, not a blank page
    CHECK(dark < n / 2);    // on white paper

    // Width clamped to 100..1600.
    REQUIRE(render_pdf_page_png(pdf, 2, 5, &png, &error) == PreviewStatus::ok);
    REQUIRE(stbi_info_from_memory(reinterpret_cast<const unsigned char*>(png.data()), static_cast<int>(png.size()),
                                  &w, &h, &comp));
    CHECK(w == kMinPreviewWidth);
    CHECK(render_pdf_page_png(pdf, 0, 400, &png, &error) == PreviewStatus::no_such_page);
    CHECK(render_pdf_page_png(pdf, info.pages + 1, 400, &png, &error) == PreviewStatus::no_such_page);
}

TEST_CASE("previews: corrupt, empty, truncated and encrypted PDFs are unreadable, not crashes", "[pdf_preview]") {
    std::string error, png;
    PdfPages info;
    CHECK(pdf_pages("", &info, &error) == PreviewStatus::unreadable);
    CHECK(pdf_pages("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", &info, &error) == PreviewStatus::unreadable);
    CHECK(render_pdf_page_png("%PDF-1.7 garbage \x01\x02", 1, 400, &png, &error) == PreviewStatus::unreadable);
    CHECK(!error.empty());

    std::string pdf = render_quote_pdf(sample_quote(10), sample_parties(), "en", &error);
    REQUIRE(!pdf.empty());
    for (size_t cut : {pdf.size() / 3, pdf.size() / 2, pdf.size() - 40}) {
        std::string part = pdf.substr(0, cut);
        auto st = render_pdf_page_png(part, 1, 300, &png, &error);  // poppler may reconstruct: either is fine
        CHECK((st == PreviewStatus::ok || st == PreviewStatus::unreadable || st == PreviewStatus::no_such_page));
    }
    std::string mangled = pdf;
    for (size_t i = 200; i < mangled.size(); i += 97) mangled[i] = static_cast<char>(mangled[i] ^ 0x5A);
    auto st = render_pdf_page_png(mangled, 1, 300, &png, &error);
    CHECK((st == PreviewStatus::ok || st == PreviewStatus::unreadable || st == PreviewStatus::no_such_page));

    // Password-protected (made with libharu): locked → unreadable.
    HPDF_Doc doc = HPDF_New(nullptr, nullptr);
    REQUIRE(doc);
    HPDF_AddPage(doc);
    REQUIRE(HPDF_SetPassword(doc, "owner-secret", "user-secret") == HPDF_OK);
    REQUIRE(HPDF_SaveToStream(doc) == HPDF_OK);
    std::string locked(HPDF_GetStreamSize(doc), '\0');
    HPDF_UINT32 size = static_cast<HPDF_UINT32>(locked.size());
    HPDF_ReadFromStream(doc, reinterpret_cast<HPDF_BYTE*>(locked.data()), &size);
    locked.resize(size);
    HPDF_Free(doc);
    REQUIRE(locked.rfind("%PDF-", 0) == 0);
    CHECK(pdf_pages(locked, &info, &error) == PreviewStatus::unreadable);
    CHECK(contains(error, "password"));
    CHECK(render_pdf_page_png(locked, 1, 400, &png, &error) == PreviewStatus::unreadable);
}

TEST_CASE("quote PDF and preview timings", "[.bench][quote_pdf]") {
    Quote q = sample_quote(45);  // three pages
    std::string error, pdf, png;
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < 10; ++i) pdf = render_quote_pdf(q, sample_parties(), "en", &error);
    auto t1 = std::chrono::steady_clock::now();
    for (int i = 0; i < 10; ++i) render_pdf_page_png(pdf, 1, 800, &png, &error);
    auto t2 = std::chrono::steady_clock::now();
    auto t3 = std::chrono::steady_clock::now();
    Quote cjk = q;
    cjk.lines[0].product = "油圧ポンプ HP-200";
    std::string cjk_pdf = render_quote_pdf(cjk, sample_parties(), "ja", &error);
    auto t4 = std::chrono::steady_clock::now();
    using ms = std::chrono::duration<double, std::milli>;
    WARN("with CJK text (Droid Sans Fallback embedded): " << cjk_pdf.size() << " bytes, " << ms(t4 - t3).count()
                                                          << " ms");
    WARN("pages " << load(pdf).doc->pages() << ", PDF " << pdf.size() << " bytes: " << ms(t1 - t0).count() / 10
                  << " ms; page 1 at 800 px (" << png.size() << " bytes PNG): " << ms(t2 - t1).count() / 10 << " ms");
}
