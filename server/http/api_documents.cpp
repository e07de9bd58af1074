// Documents over HTTP: single-request and chunked uploads, attachments, quote PDFs and
// PDF page previews. Handlers of the route table (handlers.h).
#include <algorithm>

#include <nlohmann/json.hpp>

#include "server/documents/files.h"
#include "server/documents/pdf_preview.h"
#include "server/http/handlers.h"
#include "server/http/util.h"

namespace parley::server {
namespace {

// Previews are derived from immutable content; a short private cache spares re-fetches
// while scrolling through pages.
void send_png(Exchange& ex, std::string png) {
    ex.send(200, "image/png", std::move(png), {{"X-Content-Type-Options", "nosniff"}, {"Cache-Control", "private, max-age=300"}});
}

// The page number ({page}) and ?width= of a preview; false when it answered an error.
bool page_and_width(Call& c, int& page, int& width) {
    auto n = parse_id(c.arg);
    if (!n || *n > 1000000) {
        c.ex.error(404, "no_such_page", "No such page.");
        return false;
    }
    page = static_cast<int>(*n);
    width = kDefaultPreviewWidth;
    std::string_view query = c.ex.query();
    if (query.find("width=") != std::string_view::npos) {
        auto text = query_param(query, "width");
        auto v = text ? parse_cursor(*text) : std::nullopt;
        if (!v) {
            c.ex.error(400, "invalid_field", "\"width\" must be a number of pixels.");
            return false;
        }
        width = clamp_preview_width(static_cast<int>(std::min<int64_t>(*v, kMaxPreviewWidth)));
    }
    return true;
}

// One page of a PDF as PNG: {page} and ?width= read here, the rendering asked of `render`.
using PageRenderer = Result<std::string> (Domain::*)(const User&, int64_t, int, int);
void send_page_png(Call& c, PageRenderer render) {
    int page = 0, width = 0;
    if (!page_and_width(c, page, width)) return;
    auto png = (c.domain().*render)(*c.me, c.id, page, width);
    if (!png) return c.ex.fail(png.error);
    send_png(c.ex, std::move(*png));
}

void send_upload_reply(Exchange& ex, UploadReply r) {
    if (r.status == 204) return ex.send_no_content();
    ex.json(r.status, std::move(r.body));
}

// The query of an upload (single or chunked): kind, name, conversation_id (each
// optional) and, for a chunked one, size. A field given but unreadable: `invalid` says so.
UploadStart upload_query(std::string_view query) {
    UploadStart s;
    if (query.find("kind=") != std::string_view::npos) {
        auto kind = query_param(query, "kind");
        if (!kind) s.invalid = "\"kind\" must be \"quote\" or \"other\".";
        else s.params.kind = *kind;
    }
    if (s.invalid.empty() && query.find("name=") != std::string_view::npos) {
        auto name = query_param(query, "name");
        if (!name) s.invalid = "\"name\" is badly encoded.";
        else s.params.name = *name;
    }
    if (s.invalid.empty() && query.find("conversation_id=") != std::string_view::npos) {
        auto text = query_param(query, "conversation_id");
        auto v = text ? parse_cursor(*text) : std::nullopt;
        if (!v) s.invalid = "\"conversation_id\" must be an integer.";
        else s.params.conversation_id = *v;
    }
    auto size_text = query_param(query, "size");
    s.size = size_text ? parse_cursor(*size_text) : std::nullopt;
    return s;
}

}  // namespace

// POST /requests/{id}/attachments?kind=&name=&conversation_id= with the raw bytes.
// RESTinio has read the whole body: that string is the only copy (hashing, sniffing and
// writing work on a view of it). RESTinio calls handlers with complete bodies, so the
// Content-Length check below saves the hashing, not the read; bodies over the parser's
// max_body_size (1.5 × the limit) are cut off unread.
void post_attachment(Call& c) {
    if (c.ex.has_header("Content-Length")) {
        auto n = parse_cursor(c.ex.header("Content-Length"));
        if (n && *n > kMaxUploadBytes) return c.ex.error(413, "file_too_large", "The file is larger than 10 MB.");
    }
    UploadStart q = upload_query(c.ex.query());
    if (!q.invalid.empty()) return c.ex.error(400, "invalid_field", q.invalid);
    c.ex.reply(201, c.domain().upload(*c.me, c.id, q.params, std::string_view(c.ex.body())));
}

// GET /attachments/{id}: the stored file, sent from disk, never rendered by the browser.
void get_attachment(Call& c) {
    auto d = c.domain().download(*c.me, c.id);
    if (!d) return c.ex.fail(d.error);
    c.ex.send_file(d->attachment.type, d->path,
                   {{"Content-Disposition", content_disposition(d->attachment.name)},
                    {"X-Content-Type-Options", "nosniff"},
                    {"Cache-Control", "private, max-age=0"},
                    {"Content-Security-Policy", "default-src 'none'; sandbox"}});
}

void get_attachment_pages(Call& c) { c.ex.reply(200, c.domain().attachment_pages(*c.me, c.id)); }

void get_attachment_page(Call& c) { send_page_png(c, &Domain::attachment_page_png); }

// GET /quotes/{id}/pdf[?download=1]: never marks the quote opened.
void get_quote_pdf(Call& c) {
    auto doc = c.domain().quote_pdf(*c.me, c.id);
    if (!doc) return c.ex.fail(doc.error);
    auto dl = query_param(c.ex.query(), "download");
    bool attach = dl && (*dl == "1" || *dl == "true");
    std::string disposition = std::string(attach ? "attachment" : "inline") + "; filename=\"" + doc->file_name + "\"";
    c.ex.send(200, "application/pdf", std::move(doc->bytes),
              {{"Content-Disposition", disposition},
               {"X-Content-Type-Options", "nosniff"},
               {"Cache-Control", "private, max-age=0"}});
}

void get_quote_pdf_pages(Call& c) { c.ex.reply(200, c.domain().quote_pdf_pages(*c.me, c.id)); }

void get_quote_pdf_page(Call& c) { send_page_png(c, &Domain::quote_pdf_page_png); }

// Chunked uploads (uploads.h): PUT bodies are at most one chunk.
void post_upload(Call& c) { send_upload_reply(c.ex, c.site.uploads.create(*c.me, c.id, upload_query(c.ex.query()))); }
void get_upload(Call& c) { send_upload_reply(c.ex, c.site.uploads.status(*c.me, c.arg)); }
void put_upload_chunk(Call& c) {
    auto offset_text = query_param(c.ex.query(), "offset");
    send_upload_reply(c.ex, c.site.uploads.put(*c.me, c.arg, offset_text ? parse_cursor(*offset_text) : std::nullopt,
                                               std::string_view(c.ex.body())));
}
void post_upload_complete(Call& c) { send_upload_reply(c.ex, c.site.uploads.complete(*c.me, c.arg)); }
void delete_upload(Call& c) { send_upload_reply(c.ex, c.site.uploads.cancel(*c.me, c.arg)); }

}  // namespace parley::server
