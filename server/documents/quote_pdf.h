// The PDF of a structured quote: the document the buyer downloads, rendered
// with libharu (libhpdf) on A4 with embedded Noto Sans (Regular + Bold, TrueType,
// UTF-8 encoder) so that accents, Greek and Cyrillic print; CJK text falls back to
// Droid Sans Fallback when that font is installed. Pure: no database, no HTTP.
//
// Layout: seller header, title "Quote Q-2026-0042 · version 2", date and validity,
// parties (From / To), the line-item table (long product names wrap; many lines break
// onto further pages that repeat the table header), totals, terms, notes, and a footer
// with "page / pages" on every page. Labels, dates ("26 Nov 2025", "2025年11月26日", UTC),
// country names, day counts, money, quantities and rates in `language`, one of the nine
// interface languages (net/locale.h; English otherwise); CJK labels use the fallback font.
#pragma once
#include <string>
#include <string_view>

#include "net/quote.h"

namespace parley::server {

struct QuotePdfParty {
    std::string name, company, country, email;  // any may be empty
};

struct QuotePdfParties {
    QuotePdfParty seller;  // the issuing side (the conversation's owner)
    QuotePdfParty buyer;
};

// TrueType files. Empty `fallback` (or a missing file) disables the CJK fallback.
struct QuotePdfFonts {
    std::string regular = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf";
    std::string bold = "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf";
    std::string fallback = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf";
};

// The PDF bytes ("%PDF-..."), or "" with a reason in *error (missing font, libharu
// error). Never throws for bad content: every string is cleaned to valid UTF-8 first.
std::string render_quote_pdf(const Quote& q, const QuotePdfParties& parties, std::string_view language,
                             std::string* error, const QuotePdfFonts& fonts = {});

// "Q-2026-0042-v2.pdf" (ASCII; characters other than [A-Za-z0-9-] become '_').
std::string quote_pdf_file_name(const Quote& q);

}  // namespace parley::server
