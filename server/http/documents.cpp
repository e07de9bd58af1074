#include "server/http/documents.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "server/http/util.h"

namespace parley::server {
namespace {

DocumentAnswer json_answer(int status, std::string body) {
    return {status, "application/json; charset=utf-8", std::move(body), {{"Cache-Control", "no-store"}}};
}

DocumentAnswer error(const DomainError& e) { return json_answer(e.status, error_body(e.code, e.message)); }

// Previews are derived from immutable content; a short private cache spares re-fetches
// while scrolling through pages.
DocumentAnswer png_answer(std::string png) {
    return {200, "image/png", std::move(png),
            {{"X-Content-Type-Options", "nosniff"}, {"Cache-Control", "private, max-age=300"}}};
}

}  // namespace

DocumentAnswer document_answer(Domain& domain, const User& me, DocumentRoute route, int64_t id,
                               std::string_view path, std::string_view query) {
    switch (route) {
        case DocumentRoute::quote_pdf: {
            auto doc = domain.quote_pdf(me, id);  // never marks the quote opened
            if (!doc) return error(doc.error);
            auto dl = query_param(query, "download");
            bool attach = dl && (*dl == "1" || *dl == "true");
            std::string disposition =
                std::string(attach ? "attachment" : "inline") + "; filename=\"" + doc->file_name + "\"";
            return {200, "application/pdf", std::move(doc->bytes),
                    {{"Content-Disposition", disposition},
                     {"X-Content-Type-Options", "nosniff"},
                     {"Cache-Control", "private, max-age=0"}}};
        }
        case DocumentRoute::quote_pdf_pages:
        case DocumentRoute::attachment_pages: {
            auto pages = route == DocumentRoute::quote_pdf_pages ? domain.quote_pdf_pages(me, id)
                                                                 : domain.attachment_pages(me, id);
            if (!pages) return error(pages.error);
            return json_answer(200, nlohmann::json(*pages).dump());
        }
        case DocumentRoute::quote_pdf_page:
        case DocumentRoute::attachment_page: {
            auto page = parse_id(path.substr(path.rfind('/') + 1));
            if (!page || *page > 1000000) return error({404, "no_such_page", "No such page."});
            int width = kDefaultPreviewWidth;
            if (query.find("width=") != std::string_view::npos) {
                auto text = query_param(query, "width");
                auto v = text ? parse_cursor(*text) : std::nullopt;
                if (!v) return error({400, "invalid_field", "\"width\" must be a number of pixels."});
                width = clamp_preview_width(static_cast<int>(std::min<int64_t>(*v, kMaxPreviewWidth)));
            }
            int n = static_cast<int>(*page);
            auto png = route == DocumentRoute::quote_pdf_page ? domain.quote_pdf_page_png(me, id, n, width)
                                                              : domain.attachment_page_png(me, id, n, width);
            if (!png) return error(png.error);
            return png_answer(std::move(*png));
        }
    }
    return error({404, "not_found", "No such API endpoint."});
}

}  // namespace parley::server
