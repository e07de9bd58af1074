// PDF page previews (the quote viewer): page count and sizes, and one page
// rendered to PNG with poppler-cpp (antialiased) and encoded with stb_image_write.
// Pure: bytes in, bytes out; no HTTP, no database, no cache (server/domain/documents.cpp
// caches on disk). Corrupt, truncated or password-protected PDFs are reported as
// unreadable, never thrown. Calls into poppler are serialised by a process-wide mutex.
#pragma once
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace parley::server {

constexpr int kMaxPreviewPages = 50;         // pages listed (and renderable)
constexpr int kMinPreviewWidth = 100;        // pixels
constexpr int kMaxPreviewWidth = 1600;
constexpr int kDefaultPreviewWidth = 800;
constexpr long kMaxPreviewPixels = 1600L * 2400L;  // very tall pages are scaled down to this area

struct PdfPages {
    int pages = 0;                              // listed pages: min(page count, kMaxPreviewPages)
    std::vector<std::array<double, 2>> sizes;   // [width, height] in points, as displayed (rotation applied)
    bool truncated = false;                     // the document has more than kMaxPreviewPages pages
};
void to_json(nlohmann::json& j, const PdfPages& p);  // {"pages":N,"sizes":[[w,h],...],"truncated":b}

enum class PreviewStatus { ok, unreadable, no_such_page };

// Page count and sizes. unreadable when poppler cannot open it (corrupt, encrypted, no pages).
PreviewStatus pdf_pages(std::string_view pdf, PdfPages* out, std::string* error);

// Page `page` (1-based, ≤ kMaxPreviewPages) as a PNG `width` pixels wide (clamped to
// kMinPreviewWidth..kMaxPreviewWidth; the height follows the page's aspect ratio, and
// both shrink when width × height would exceed kMaxPreviewPixels), RGB on white.
PreviewStatus render_pdf_page_png(std::string_view pdf, int page, int width, std::string* png, std::string* error);

int clamp_preview_width(int width);

}  // namespace parley::server
