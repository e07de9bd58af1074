#include "server/documents/pdf_preview.h"

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <memory>
#include <mutex>

#include <nlohmann/json.hpp>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wunused-function"
#endif
#include <stb/stb_image_write.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

namespace parley::server {
namespace {

// poppler keeps global state (GlobalParams, font caches): one document at a time.
std::mutex& poppler_mutex() {
    static std::mutex mu;
    return mu;
}

// poppler's diagnostics ("Syntax Error: ...") are noise for corrupt uploads: dropped.
void quiet(const std::string&, void*) {}

struct Doc {
    std::unique_ptr<poppler::document> doc;
    std::string error;
};

// Opens the PDF (the caller holds the mutex; `pdf` must outlive the document).
Doc open(std::string_view pdf) {
    static std::once_flag once;
    std::call_once(once, [] { poppler::set_debug_error_function(quiet, nullptr); });
    Doc d;
    if (pdf.size() > static_cast<size_t>(INT_MAX)) { d.error = "file too large"; return d; }
    d.doc.reset(poppler::document::load_from_raw_data(pdf.data(), static_cast<int>(pdf.size())));
    if (!d.doc) d.error = "not a readable PDF";
    else if (d.doc->is_locked()) { d.error = "the PDF is password-protected"; d.doc.reset(); }
    else if (d.doc->pages() <= 0) { d.error = "the PDF has no pages"; d.doc.reset(); }
    return d;
}

// Displayed size in points: the crop box, swapped for pages rotated by 90° or 270°.
bool page_size(const poppler::page& pg, double& w, double& h) {
    poppler::rectf r = pg.page_rect(poppler::crop_box);
    w = r.width();
    h = r.height();
    if (!(w > 0.5 && h > 0.5 && w < 1e6 && h < 1e6)) return false;  // also rejects NaN
    auto o = pg.orientation();
    if (o == poppler::page::landscape || o == poppler::page::seascape) std::swap(w, h);
    return true;
}

void append(void* ctx, void* data, int size) {
    static_cast<std::string*>(ctx)->append(static_cast<const char*>(data), static_cast<size_t>(size));
}

}  // namespace

void to_json(nlohmann::json& j, const PdfPages& p) {
    j = nlohmann::json{{"pages", p.pages}, {"sizes", p.sizes}, {"truncated", p.truncated}};
}

int clamp_preview_width(int width) { return std::clamp(width, kMinPreviewWidth, kMaxPreviewWidth); }

PreviewStatus pdf_pages(std::string_view pdf, PdfPages* out, std::string* error) {
    std::lock_guard lk(poppler_mutex());
    try {
        Doc d = open(pdf);
        if (!d.doc) {
            if (error) *error = d.error;
            return PreviewStatus::unreadable;
        }
        int n = d.doc->pages();
        PdfPages p;
        p.pages = std::min(n, kMaxPreviewPages);
        p.truncated = n > kMaxPreviewPages;
        for (int i = 0; i < p.pages; ++i) {
            std::unique_ptr<poppler::page> pg(d.doc->create_page(i));
            double w = 0, h = 0;
            if (!pg || !page_size(*pg, w, h)) {
                if (error) *error = "page " + std::to_string(i + 1) + " has no usable size";
                return PreviewStatus::unreadable;
            }
            p.sizes.push_back({std::round(w * 100) / 100, std::round(h * 100) / 100});
        }
        if (out) *out = std::move(p);
        return PreviewStatus::ok;
    } catch (const std::exception& e) {
        if (error) *error = e.what();
        return PreviewStatus::unreadable;
    }
}

PreviewStatus render_pdf_page_png(std::string_view pdf, int page, int width, std::string* png, std::string* error) {
    std::lock_guard lk(poppler_mutex());
    try {
        Doc d = open(pdf);
        if (!d.doc) {
            if (error) *error = d.error;
            return PreviewStatus::unreadable;
        }
        if (page < 1 || page > d.doc->pages() || page > kMaxPreviewPages) {
            if (error) *error = "no page " + std::to_string(page);
            return PreviewStatus::no_such_page;
        }
        std::unique_ptr<poppler::page> pg(d.doc->create_page(page - 1));
        double wpt = 0, hpt = 0;
        if (!pg || !page_size(*pg, wpt, hpt)) {
            if (error) *error = "the page has no usable size";
            return PreviewStatus::unreadable;
        }
        double w = clamp_preview_width(width);
        double h = std::max(1.0, std::round(w * hpt / wpt));
        if (w * h > static_cast<double>(kMaxPreviewPixels)) {  // a very tall (or absurd) page
            double s = std::sqrt(static_cast<double>(kMaxPreviewPixels) / (w * h));
            w = std::max(1.0, std::floor(w * s));
            h = std::max(1.0, std::floor(h * s));
        }
        double dpi = w * 72.0 / wpt;
        poppler::page_renderer r;
        r.set_render_hint(poppler::page_renderer::antialiasing, true);
        r.set_render_hint(poppler::page_renderer::text_antialiasing, true);
        r.set_render_hint(poppler::page_renderer::text_hinting, false);
        r.set_paper_color(0xffffffff);
        r.set_image_format(poppler::image::format_argb32);
        int iw = static_cast<int>(w), ih = static_cast<int>(h);
        poppler::image img = r.render_page(pg.get(), dpi, dpi, 0, 0, iw, ih);
        if (!img.is_valid() || img.width() < 1 || img.height() < 1) {
            if (error) *error = "the page could not be rendered";
            return PreviewStatus::unreadable;
        }
        // ARGB32 is 0xAARRGGBB per pixel in native (little-endian) order: B, G, R, A in
        // memory. Composited over white and packed as RGB.
        iw = img.width();
        ih = img.height();
        std::vector<unsigned char> rgb(static_cast<size_t>(iw) * ih * 3);
        const char* base = img.const_data();
        for (int y = 0; y < ih; ++y) {
            const unsigned char* row = reinterpret_cast<const unsigned char*>(base + static_cast<size_t>(y) * img.bytes_per_row());
            unsigned char* o = rgb.data() + static_cast<size_t>(y) * iw * 3;
            for (int x = 0; x < iw; ++x, row += 4, o += 3) {
                unsigned a = row[3];  // premultiplied; the paper is opaque white anyway
                for (int c = 0; c < 3; ++c) o[c] = static_cast<unsigned char>(std::min(255u, row[2 - c] + 255u - a));
            }
        }
        std::string out;
        if (!stbi_write_png_to_func(append, &out, iw, ih, 3, rgb.data(), iw * 3)) {
            if (error) *error = "PNG encoding failed";
            return PreviewStatus::unreadable;
        }
        if (png) *png = std::move(out);
        return PreviewStatus::ok;
    } catch (const std::exception& e) {
        if (error) *error = e.what();
        return PreviewStatus::unreadable;
    }
}

}  // namespace parley::server
