// The PDF of a structured quote (libharu). See quote_pdf.h.
//
// Index:
//   UTF-8        text to the fonts' encoding, widths, line breaking
//   labels       the document's words in the nine interface languages, its dates and counts
//   drawing      page 1 (header, title, parties), line items, totals, terms and
//                notes across pages, footers with the page count
#include "server/documents/quote_pdf.h"
#include "server/base/text.h"
#include "net/locale.h"

#include <hpdf.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

namespace parley::server {
namespace {

// ---- UTF-8 -----------------------------------------------------------------------------
// Decodes s (invalid bytes → U+FFFD); keeps '\n' only when `newlines`, other controls → ' '.
std::vector<char32_t> decode(std::string_view s, bool newlines = false) {
    std::vector<char32_t> out;
    for (size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        size_t n = c < 0x80 ? 1 : (c >= 0xC2 && c <= 0xDF) ? 2 : (c >= 0xE0 && c <= 0xEF) ? 3
                                                         : (c >= 0xF0 && c <= 0xF4) ? 4 : 0;
        char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
        bool ok = n > 0 && i + n <= s.size();
        for (size_t k = 1; ok && k < n; ++k) {
            unsigned char b = static_cast<unsigned char>(s[i + k]);
            ok = (b & 0xC0) == 0x80;
            cp = (cp << 6) | (b & 0x3F);
        }
        if (ok && ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
                   (cp >= 0xD800 && cp <= 0xDFFF)))
            ok = false;
        if (!ok) { out.push_back(0xFFFD); ++i; continue; }
        i += n;
        if (cp > 0xFFFF) cp = 0xFFFD;  // libharu's UTF-8 encoder writes 16-bit codes: BMP only
        if (cp == '\r') continue;
        if (cp == '\n' && newlines) out.push_back(cp);
        else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) out.push_back(' ');
        else out.push_back(cp);
    }
    return out;
}

std::string encode(const std::vector<char32_t>& cps, size_t from = 0, size_t to = std::string::npos) {
    std::string out;
    for (size_t i = from; i < std::min(to, cps.size()); ++i) append_utf8(out, static_cast<uint32_t>(cps[i]));
    return out;
}

std::string clean(std::string_view s) { return encode(decode(s)); }

// Han, kana, Hangul, CJK punctuation and full-width forms: drawn with the fallback font.
bool is_cjk(char32_t c) {
    return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x20000 && c <= 0x2FFFF);
}

bool has_cjk(std::string_view s) {
    for (char32_t c : decode(s, true))
        if (is_cjk(c)) return true;
    return false;
}

// ---- labels ------------------------------------------------------------------------------
enum L { kQuote, kBadge, kVersion, kDate, kValidUntil, kFrom, kTo, kProduct, kReference, kQty, kUnitPrice, kDisc,
         kNet, kSubtotal, kDiscounts, kShipping, kTax, kTotal, kTerms, kIncoterm, kLeadTime, kPayment, kNotes,
         kOnline, kContinued, kLabelCount };

// Rows follow locale::kLanguages: en, es, fr, de, it, pt, ru, zh, ja. kBadge is the word
// in the top right corner (upper-cased where the script has case); kVersion holds {0}.
const char* const kLabels[locale::kLanguageCount][kLabelCount] = {
    {"Quote", "Quote", "version {0}", "Date", "Valid until", "From", "To", "Product", "Reference", "Quantity",
     "Unit price", "Disc.", "Net", "Subtotal", "Discounts included", "Shipping", "Tax", "Total", "Terms",
     "Incoterm", "Lead time", "Payment terms", "Notes", "Online payment available", "continued"},
    {"Presupuesto", "Presupuesto", "versión {0}", "Fecha", "Válido hasta", "De", "Para", "Producto", "Referencia",
     "Cantidad", "Precio unit.", "Dto.", "Neto", "Subtotal", "Descuentos incluidos", "Envío", "Impuestos", "Total",
     "Condiciones", "Incoterm", "Plazo de entrega", "Condiciones de pago", "Notas", "Pago en línea disponible",
     "continuación"},
    {"Devis", "Devis", "version {0}", "Date", "Valable jusqu’au", "De", "À", "Produit", "Référence", "Quantité",
     "Prix unit.", "Rem.", "Net", "Sous-total", "Remises incluses", "Transport", "TVA", "Total", "Conditions",
     "Incoterm", "Délai de livraison", "Conditions de paiement", "Remarques", "Paiement en ligne disponible",
     "suite"},
    {"Angebot", "Angebot", "Version {0}", "Datum", "Gültig bis", "Von", "An", "Produkt", "Artikelnummer", "Menge",
     "Einzelpreis", "Rabatt", "Netto", "Zwischensumme", "Enthaltene Rabatte", "Versand", "MwSt.", "Gesamt",
     "Konditionen", "Incoterm", "Lieferzeit", "Zahlungsbedingungen", "Anmerkungen", "Online-Zahlung möglich",
     "Fortsetzung"},
    {"Preventivo", "Preventivo", "versione {0}", "Data", "Valido fino al", "Da", "A", "Prodotto", "Codice articolo",
     "Quantità", "Prezzo unit.", "Sconto", "Netto", "Subtotale", "Sconti inclusi", "Spedizione", "IVA", "Totale",
     "Condizioni", "Incoterm", "Tempi di consegna", "Condizioni di pagamento", "Note", "Pagamento online disponibile",
     "segue"},
    {"Orçamento", "Orçamento", "versão {0}", "Data", "Válido até", "De", "Para", "Produto", "Referência",
     "Quantidade", "Preço unit.", "Desc.", "Líquido", "Subtotal", "Descontos incluídos", "Envio", "IVA", "Total",
     "Condições", "Incoterm", "Prazo de entrega", "Condições de pagamento", "Observações",
     "Pagamento online disponível", "continuação"},
    {"Коммерческое предложение", "Предложение", "версия {0}", "Дата", "Действует до", "От", "Кому", "Товар",
     "Артикул", "Кол-во", "Цена за ед.", "Скидка", "Нетто", "Подытог", "В т. ч. скидки", "Доставка", "Налог",
     "Итого", "Условия", "Инкотермс", "Срок поставки", "Условия оплаты", "Примечания", "Доступна онлайн-оплата",
     "продолжение"},
    {"报价单", "报价单", "第 {0} 版", "日期", "有效期至", "卖方", "买方", "产品", "编号", "数量", "单价", "折扣",
     "净额", "小计", "含折扣", "运费", "税", "合计", "条款", "国际贸易术语", "交货期", "付款条件", "备注",
     "可在线支付", "续"},
    {"見積書", "見積書", "第 {0} 版", "発行日", "有効期限", "発行元", "宛先", "製品", "品番", "数量", "単価", "値引",
     "金額", "小計", "うち値引", "送料", "税", "合計", "取引条件", "インコタームズ", "納期", "支払条件", "備考",
     "オンライン決済可", "続き"},
};

// "30 days" in each language's plural forms (net/locale.h's order).
const std::vector<std::vector<const char*>> kDays = {
    {"day", "days"},   {"día", "días"},     {"jour", "jours"}, {"Tag", "Tage"}, {"giorno", "giorni"},
    {"dia", "dias"},   {"день", "дня", "дней"}, {"天"},          {"日"}};

std::string days(int n, std::string_view lang) {
    const auto& forms = kDays[locale::language_index(lang)];
    return std::to_string(n) + " " + forms[std::min<size_t>(locale::plural_form(lang, n), forms.size() - 1)];
}

std::string day(Millis t, std::string_view lang) { return locale::format_day(locale::utc_day(t), true, lang); }

// Upper case for the corner word: Latin-1 letters and Cyrillic; other scripts have none.
std::string upper(std::string_view s) {
    std::string out;
    for (char32_t c : decode(s)) {
        if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7) || (c >= 0x430 && c <= 0x44F)) c -= 0x20;
        else if (c >= 0x450 && c <= 0x45F) c -= 0x50;
        append_utf8(out, static_cast<uint32_t>(c));
    }
    return out;
}

// ---- drawing -------------------------------------------------------------------------
constexpr float kPageW = 595.276f, kPageH = 841.89f;
constexpr float kLeft = 48, kRight = kPageW - 48, kTop = 48, kBottom = 64;
struct Rgb { float r, g, b; };
constexpr Rgb kInk{0.11f, 0.12f, 0.14f}, kMuted{0.42f, 0.45f, 0.50f}, kAccent{0.09f, 0.24f, 0.44f},
    kRule{0.80f, 0.82f, 0.86f}, kHeadFill{0.92f, 0.94f, 0.97f}, kZebra{0.975f, 0.98f, 0.99f};

struct ErrorState {
    HPDF_STATUS code = HPDF_OK, detail = 0;
};
void on_error(HPDF_STATUS code, HPDF_STATUS detail, void* user) {
    auto* e = static_cast<ErrorState*>(user);
    if (e->code == HPDF_OK) { e->code = code; e->detail = detail; }
}

// libharu 2.3.0 gives its UTF-8 fonts a ToUnicode CMap copied from the encoding CMap
// ("begincidrange ... 0"), which maps every code to nothing: copy/paste and search then
// fail in most viewers. The codes it writes are UTF-16 code units (BMP), so the right
// ToUnicode is the identity, one bfrange per high byte (surrogates excluded).
const std::string& identity_to_unicode() {
    static const std::string cmap = [] {
        std::vector<int> highs;
        for (int h = 0; h < 256; ++h)
            if (h < 0xD8 || h > 0xDF) highs.push_back(h);
        std::string s =
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
        for (size_t i = 0; i < highs.size(); i += 100) {
            size_t n = std::min<size_t>(100, highs.size() - i);
            s += std::to_string(n) + " beginbfrange\n";
            for (size_t k = i; k < i + n; ++k) {
                char line[40];
                std::snprintf(line, sizeof line, "<%02X00> <%02XFF> <%02X00>\n", highs[k], highs[k], highs[k]);
                s += line;
            }
            s += "endbfrange\n";
        }
        return s + "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    }();
    return cmap;
}

void fix_to_unicode(HPDF_Font font) {
    auto* tu = static_cast<HPDF_Dict>(HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT));
    if (!tu || !tu->stream) return;
    HPDF_MemStream_FreeData(tu->stream);
    HPDF_Stream_WriteStr(tu->stream, identity_to_unicode().c_str());
}

struct Pdf {
    HPDF_Doc doc = nullptr;
    ErrorState err;
    HPDF_Font regular = nullptr, bold = nullptr, cjk = nullptr;
    std::vector<HPDF_Page> pages;
    HPDF_Page page = nullptr;
    float y = 0;  // distance from the top edge of the current page
    size_t lang = 0;  // row of kLabels
    const char* t(L l) const { return kLabels[lang][l]; }
    bool failed() const { return err.code != HPDF_OK; }

    // A run of text in one font: cjk runs use the fallback font when present.
    template <class Fn>
    void runs(HPDF_Font f, std::string_view s, Fn&& fn) const {
        if (!cjk) return fn(f, std::string(s));
        auto cps = decode(s);
        size_t start = 0;
        for (size_t i = 1; i <= cps.size(); ++i)
            if (i == cps.size() || is_cjk(cps[i]) != is_cjk(cps[start])) {
                fn(is_cjk(cps[start]) ? cjk : f, encode(cps, start, i));
                start = i;
            }
    }
    float width(HPDF_Font f, float size, std::string_view s) const {
        float w = 0;
        runs(f, s, [&](HPDF_Font rf, const std::string& r) {
            HPDF_TextWidth tw = HPDF_Font_TextWidth(rf, reinterpret_cast<const HPDF_BYTE*>(r.data()),
                                                    static_cast<HPDF_UINT>(r.size()));
            w += static_cast<float>(tw.width) * size / 1000.0f;
        });
        return w;
    }
    // Baseline at `top` + size from the top edge.
    void text(HPDF_Font f, float size, float x, float top, std::string_view s, Rgb c = kInk) {
        if (s.empty()) return;
        HPDF_Page_SetRGBFill(page, c.r, c.g, c.b);
        HPDF_Page_BeginText(page);
        float cx = x;
        runs(f, s, [&](HPDF_Font rf, const std::string& r) {
            HPDF_Page_SetFontAndSize(page, rf, size);
            HPDF_Page_TextOut(page, cx, kPageH - top - size, r.c_str());
            cx += width(rf, size, r);
        });
        HPDF_Page_EndText(page);
    }
    void text_right(HPDF_Font f, float size, float right, float top, std::string_view s, Rgb c = kInk) {
        text(f, size, right - width(f, size, s), top, s, c);
    }
    // Right-aligned in a cell of `w`: shrinks the size (down to 60 %) when too wide.
    void text_fit_right(HPDF_Font f, float size, float right, float w, float top, std::string_view s) {
        float tw = width(f, size, s);
        float sz = tw > w ? std::max(size * 0.6f, size * w / tw) : size;
        text_right(f, sz, right, top + (size - sz), s);
    }
    void rect(float x, float top, float w, float h, Rgb c) {
        HPDF_Page_SetRGBFill(page, c.r, c.g, c.b);
        HPDF_Page_Rectangle(page, x, kPageH - top - h, w, h);
        HPDF_Page_Fill(page);
    }
    void hline(float x0, float x1, float top, float width_pt, Rgb c) {
        HPDF_Page_SetRGBStroke(page, c.r, c.g, c.b);
        HPDF_Page_SetLineWidth(page, width_pt);
        HPDF_Page_MoveTo(page, x0, kPageH - top);
        HPDF_Page_LineTo(page, x1, kPageH - top);
        HPDF_Page_Stroke(page);
    }

    // Greedy word wrap to `w` points; words longer than a line are cut between characters.
    std::vector<std::string> wrap(HPDF_Font f, float size, std::string_view s, float w) const {
        std::vector<std::string> lines;
        auto cps = decode(s, true);
        std::string line;
        auto fits = [&](const std::string& t) { return width(f, size, t) <= w; };
        size_t i = 0;
        while (i <= cps.size()) {
            if (i == cps.size() || cps[i] == '\n') {
                lines.push_back(line);
                line.clear();
                ++i;
                continue;
            }
            if (cps[i] == ' ') { ++i; if (!line.empty()) line += ' '; continue; }
            size_t j = i;
            while (j < cps.size() && cps[j] != ' ' && cps[j] != '\n' && !(j > i && is_cjk(cps[j - 1]))) ++j;
            std::string word = encode(cps, i, j);
            if (fits(line + word)) { line += word; i = j; continue; }
            if (!line.empty() && line.back() == ' ') line.pop_back();
            if (!line.empty()) { lines.push_back(line); line.clear(); }
            if (fits(word)) { line = word; i = j; continue; }
            // A word wider than the line: as many characters as fit (at least one).
            size_t k = i + 1;
            while (k < j && fits(encode(cps, i, k + 1))) ++k;
            for (size_t m = k; m > i + 1; --m)  // rather after a hyphen or slash that fits
                if (cps[m - 1] == '-' || cps[m - 1] == '/') { k = m; break; }
            lines.push_back(encode(cps, i, k));
            i = k;
        }
        while (lines.size() > 1 && lines.back().empty()) lines.pop_back();
        for (auto& l : lines)
            while (!l.empty() && l.back() == ' ') l.pop_back();
        return lines;
    }

    void new_page() {
        page = HPDF_AddPage(doc);
        if (!page) return;
        HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
        pages.push_back(page);
        y = kTop;
    }
};

// Table columns: #, product, reference, quantity, unit price, discount, net.
struct Col { float x, w; bool right; };
constexpr float kPad = 4;
constexpr Col kCols[] = {{kLeft, 20, false},        {kLeft + 20, 171, false}, {kLeft + 191, 76, false},
                         {kLeft + 267, 62, true},   {kLeft + 329, 66, true},  {kLeft + 395, 38, true},
                         {kLeft + 433, kRight - kLeft - 433, true}};
constexpr float kCellSize = 8.5f, kLeading = 11.0f;

void table_header(Pdf& p) {
    const L heads[] = {kLabelCount, kProduct, kReference, kQty, kUnitPrice, kDisc, kNet};
    p.rect(kLeft, p.y, kRight - kLeft, 18, kHeadFill);
    for (size_t c = 0; c < 7; ++c) {
        std::string h = heads[c] == kLabelCount ? "#" : p.t(heads[c]);
        const Col& col = kCols[c];
        if (col.right) p.text_fit_right(p.bold, 7.5f, col.x + col.w - kPad, col.w - 2 * kPad, p.y + 5, h);
        else p.text(p.bold, 7.5f, col.x + kPad, p.y + 5, h, kInk);
    }
    p.hline(kLeft, kRight, p.y + 18, 0.8f, kAccent);
    p.y += 18;
}

// A page after the first: a small running header.
void continuation_page(Pdf& p, const std::string& title) {
    p.new_page();
    if (!p.page) return;
    p.text(p.bold, 9, kLeft, p.y, title + " (" + p.t(kContinued) + ")", kMuted);
    p.y += 22;
}

}  // namespace

std::string quote_pdf_file_name(const Quote& q) {
    std::string out;
    for (char c : q.number + "-v" + std::to_string(q.version))
        out += ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') ? c : '_';
    return out + ".pdf";
}

std::string render_quote_pdf(const Quote& q, const QuotePdfParties& parties, std::string_view language,
                             std::string* error, const QuotePdfFonts& fonts) {
    auto fail = [&](const std::string& why) {
        if (error) *error = why;
        return std::string();
    };
    for (const std::string* f : {&fonts.regular, &fonts.bold}) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(*f, ec)) return fail("font not found: " + *f);
    }
    std::string lang(language.substr(0, std::min<size_t>(language.size(), 8)));
    auto money = [&](Money m) { return format_money(m, q.currency, lang); };

    Pdf p;
    p.lang = locale::language_index(lang);
    std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, void (*)(HPDF_Doc)> doc(HPDF_New(on_error, &p.err), HPDF_Free);
    if (!doc) return fail("libharu: out of memory");
    p.doc = doc.get();
    auto hpdf_failed = [&]() {
        char buf[96];
        std::snprintf(buf, sizeof buf, "libharu error 0x%04X (detail %u)", static_cast<unsigned>(p.err.code),
                      static_cast<unsigned>(p.err.detail));
        return fail(buf);
    };
    HPDF_SetCompressionMode(p.doc, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(p.doc);
    HPDF_SetCurrentEncoder(p.doc, "UTF-8");
    auto load = [&](const std::string& path) -> HPDF_Font {
        const char* name = HPDF_LoadTTFontFromFile(p.doc, path.c_str(), HPDF_TRUE);
        HPDF_Font f = name ? HPDF_GetFont(p.doc, name, "UTF-8") : nullptr;
        if (f) fix_to_unicode(f);
        return f;
    };
    p.regular = load(fonts.regular);
    p.bold = load(fonts.bold);
    if (p.failed() || !p.regular || !p.bold) return hpdf_failed();

    // The CJK fallback is loaded (and embedded) only when some text needs it.
    bool cjk = has_cjk(p.t(kQuote));  // the labels themselves (zh, ja)
    for (const auto* s : {&parties.seller.name, &parties.seller.company, &parties.buyer.name, &parties.buyer.company,
                          &q.notes, &q.payment_terms})
        cjk = cjk || has_cjk(*s);
    for (const auto& l : q.lines) cjk = cjk || has_cjk(l.product) || has_cjk(l.reference) || has_cjk(l.unit);
    std::error_code ec;
    if (cjk && !fonts.fallback.empty() && std::filesystem::is_regular_file(fonts.fallback, ec)) {
        p.cjk = load(fonts.fallback);
        if (p.failed()) return hpdf_failed();
    }

    std::string version = p.t(kVersion);
    version.replace(version.find("{0}"), 3, std::to_string(q.version));
    std::string title = std::string(p.t(kQuote)) + " " + clean(q.number) + " · " + version;
    std::string info_title = "Quote " + quote_pdf_file_name(q);
    info_title.resize(info_title.size() - 4);  // ASCII only in the info dictionary
    HPDF_SetInfoAttr(p.doc, HPDF_INFO_TITLE, info_title.c_str());
    HPDF_SetInfoAttr(p.doc, HPDF_INFO_CREATOR, "Parley");

    // ---- page 1: header, title, parties ----
    p.new_page();
    if (!p.page) return hpdf_failed();
    const QuotePdfParty& seller = parties.seller;
    const QuotePdfParty& buyer = parties.buyer;
    std::string seller_head = clean(!seller.company.empty() ? seller.company : seller.name);
    float head_w = kRight - kLeft - 110;
    auto head_lines = p.wrap(p.bold, 15, seller_head, head_w);
    for (const auto& l : head_lines) { p.text(p.bold, 15, kLeft, p.y, l, kAccent); p.y += 19; }
    p.text_right(p.bold, 11, kRight, kTop + 3, upper(p.t(kBadge)), kMuted);
    p.y += 6;
    p.hline(kLeft, kRight, p.y, 1.6f, kAccent);
    p.y += 14;
    for (const auto& l : p.wrap(p.bold, 18, title, kRight - kLeft)) { p.text(p.bold, 18, kLeft, p.y, l); p.y += 23; }
    p.y += 2;
    std::string dates = std::string(p.t(kDate)) + "  " + day(q.created, lang);
    p.text(p.regular, 9.5f, kLeft, p.y, dates, kMuted);
    float dx = kLeft + p.width(p.regular, 9.5f, dates) + 24;
    p.text(p.bold, 9.5f, dx, p.y, std::string(p.t(kValidUntil)) + " " + day(q.valid_until, lang), kInk);
    p.y += 28;

    auto party_block = [&](float x, float w, L label, const QuotePdfParty& who, bool with_email) {
        float yy = p.y;
        p.text(p.bold, 7.5f, x, yy, p.t(label), kMuted);
        yy += 13;
        std::vector<std::pair<std::string, bool>> rows;  // text, bold
        if (!who.company.empty()) rows.push_back({clean(who.company), true});
        if (!who.name.empty()) rows.push_back({clean(who.name), who.company.empty()});
        if (!who.country.empty()) rows.push_back({clean(locale::country_name(who.country, lang)), false});
        if (with_email && !who.email.empty()) rows.push_back({clean(who.email), false});
        for (const auto& [t, b] : rows)
            for (const auto& l : p.wrap(b ? p.bold : p.regular, 9.5f, t, w)) {
                p.text(b ? p.bold : p.regular, 9.5f, x, yy, l);
                yy += 13;
            }
        return yy;
    };
    float col_w = (kRight - kLeft) / 2 - 12;
    float y1 = party_block(kLeft, col_w, kFrom, seller, true);
    float y2 = party_block(kLeft + (kRight - kLeft) / 2, col_w, kTo, buyer, false);
    p.y = std::max(y1, y2) + 18;

    // ---- line items ----
    auto totals = q.totals.lines.size() == q.lines.size() ? std::optional<QuoteTotals>(q.totals) : compute_totals(q);
    if (!totals) return fail("the quote's totals overflow");
    table_header(p);
    for (size_t i = 0; i < q.lines.size(); ++i) {
        const QuoteLine& l = q.lines[i];
        auto product = p.wrap(p.regular, kCellSize, clean(l.product), kCols[1].w - 2 * kPad);
        auto reference = p.wrap(p.regular, kCellSize, clean(l.reference), kCols[2].w - 2 * kPad);
        float h = static_cast<float>(std::max(product.size(), reference.size())) * kLeading + 8;
        if (p.y + h > kPageH - kBottom) {
            continuation_page(p, title);
            if (!p.page) return hpdf_failed();
            table_header(p);
        }
        if (i % 2 == 1) p.rect(kLeft, p.y, kRight - kLeft, h, kZebra);
        float top = p.y + 4;
        p.text(p.regular, kCellSize, kCols[0].x + kPad, top, std::to_string(i + 1), kMuted);
        for (size_t k = 0; k < product.size(); ++k) p.text(p.regular, kCellSize, kCols[1].x + kPad, top + k * kLeading, product[k]);
        for (size_t k = 0; k < reference.size(); ++k)
            p.text(p.regular, kCellSize, kCols[2].x + kPad, top + k * kLeading, reference[k], kMuted);
        std::string cells[] = {format_quantity(l.quantity, lang) + " " + clean(l.unit), money(l.unit_price),
                               l.discount_bp ? format_basis_points(l.discount_bp, lang) + " %" : "–",
                               money(totals->lines[i].net)};
        for (int c = 0; c < 4; ++c) {
            const Col& col = kCols[3 + c];
            p.text_fit_right(c == 3 ? p.bold : p.regular, kCellSize, col.x + col.w - kPad, col.w - 2 * kPad, top,
                             cells[c]);
        }
        p.y += h;
        p.hline(kLeft, kRight, p.y, 0.4f, kRule);
        if (p.failed()) return hpdf_failed();
    }

    // ---- totals ----
    std::vector<std::pair<std::string, std::string>> rows = {{p.t(kSubtotal), money(totals->subtotal)}};
    if (totals->discount_total) rows.push_back({p.t(kDiscounts), money(-totals->discount_total)});
    rows.push_back({p.t(kShipping), money(totals->shipping)});
    rows.push_back({std::string(p.t(kTax)) + " (" + format_basis_points(q.tax_bp, lang) + " %)", money(totals->tax)});
    float block_h = static_cast<float>(rows.size()) * 15 + 34;
    if (p.y + 12 + block_h > kPageH - kBottom) { continuation_page(p, title); if (!p.page) return hpdf_failed(); }
    p.y += 12;
    float label_x = kLeft + 275;
    for (const auto& [label, value] : rows) {
        p.text(p.regular, 9.5f, label_x, p.y, label, kMuted);
        p.text_right(p.regular, 9.5f, kRight - kPad, p.y, value);
        p.y += 15;
    }
    p.y += 3;
    p.rect(label_x - 8, p.y, kRight - label_x + 8, 24, kHeadFill);
    p.hline(label_x - 8, kRight, p.y, 1.2f, kAccent);
    p.text(p.bold, 11, label_x, p.y + 6, std::string(p.t(kTotal)) + " " + clean(q.currency), kAccent);
    p.text_right(p.bold, 12, kRight - kPad, p.y + 5.5f, money(totals->total), kAccent);
    p.y += 24 + 22;

    // ---- terms and notes (line by line, breaking pages as needed) ----
    auto need = [&](float h) {
        if (p.y + h > kPageH - kBottom) continuation_page(p, title);
        return p.page != nullptr;
    };
    auto heading = [&](L label) {
        if (!need(40)) return false;
        p.text(p.bold, 10, kLeft, p.y, p.t(label), kAccent);
        p.y += 14;
        p.hline(kLeft, kRight, p.y, 0.6f, kRule);
        p.y += 7;
        return true;
    };
    if (!heading(kTerms)) return hpdf_failed();
    std::vector<std::pair<std::string, std::string>> terms;
    if (!q.incoterm.empty()) terms.push_back({p.t(kIncoterm), clean(q.incoterm)});
    if (q.lead_time_days > 0) terms.push_back({p.t(kLeadTime), days(q.lead_time_days, lang)});
    if (!q.payment_terms.empty()) terms.push_back({p.t(kPayment), clean(q.payment_terms)});
    terms.push_back({p.t(kValidUntil), day(q.valid_until, lang)});
    if (q.online_payment) terms.push_back({"", p.t(kOnline)});
    for (const auto& [label, value] : terms) {
        auto lines = p.wrap(p.regular, 9.5f, value, kRight - kLeft - 130);
        for (size_t k = 0; k < lines.size(); ++k) {
            if (!need(14)) return hpdf_failed();
            if (k == 0) p.text(p.regular, 9.5f, kLeft, p.y, label, kMuted);
            p.text(p.regular, 9.5f, kLeft + 130, p.y, lines[k]);
            p.y += 14;
        }
    }
    if (!q.notes.empty()) {
        p.y += 12;
        if (!heading(kNotes)) return hpdf_failed();
        for (const auto& l : p.wrap(p.regular, 9.5f, q.notes, kRight - kLeft)) {
            if (!need(14)) return hpdf_failed();
            p.text(p.regular, 9.5f, kLeft, p.y, l);
            p.y += 14;
        }
    }

    // ---- footers, now that the page count is known ----
    std::string foot = seller_head + " · " + clean(q.number) + " v" + std::to_string(q.version);
    for (size_t i = 0; i < p.pages.size(); ++i) {
        p.page = p.pages[i];
        float top = kPageH - 40;
        p.hline(kLeft, kRight, top - 6, 0.5f, kRule);
        p.text(p.regular, 7.5f, kLeft, top, foot, kMuted);
        p.text_right(p.regular, 7.5f, kRight, top,
                     std::to_string(i + 1) + " / " + std::to_string(p.pages.size()), kMuted);
    }
    if (p.failed()) return hpdf_failed();

    if (HPDF_SaveToStream(p.doc) != HPDF_OK || p.failed()) return hpdf_failed();
    std::string out(HPDF_GetStreamSize(p.doc), '\0');
    HPDF_UINT32 got = 0;
    while (got < out.size()) {
        HPDF_UINT32 n = static_cast<HPDF_UINT32>(out.size() - got);
        HPDF_STATUS st = HPDF_ReadFromStream(p.doc, reinterpret_cast<HPDF_BYTE*>(out.data() + got), &n);
        got += n;
        if (st == HPDF_STREAM_EOF || n == 0) break;
        if (st != HPDF_OK) return hpdf_failed();
    }
    out.resize(got);
    if (out.rfind("%PDF-", 0) != 0) return fail("libharu produced no PDF");
    return out;
}

}  // namespace parley::server
