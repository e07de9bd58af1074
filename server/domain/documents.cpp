// Domain: documents — the PDF of a structured quote and page previews of
// PDFs (uploaded attachments and quote PDFs). Visibility is that of the quote
// (GET /quotes/{id}) or of the attachment (GET /attachments/{id}); nothing here marks a
// quote opened. Rendered files are cached under the cache directory:
//   quote-pdf/<quote id>-<hash of what is printed>.pdf (a quote version never changes)
//   previews/<ab>/<sha256>-pages.json          (page count and sizes)
//   previews/<ab>/<sha256>-p<page>-w<width>.png (only widths that are multiples of 50)
// each written to a temp file and renamed; a failed cache write is logged and ignored.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "server/base/text.h"
#include "server/domain/domain.h"
#include "server/base/log.h"
#include "server/documents/quote_pdf.h"

namespace parley::server {
namespace {

// Bump when the quote PDF layout changes: old cached files are then not used.
constexpr int kQuotePdfRenderer = 2;
constexpr int kCachedWidthStep = 50;

std::optional<std::string> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return std::nullopt;
    return std::move(ss).str();
}

// temp + rename in the target's directory, so readers never see a partial file.
void write_cache(const std::filesystem::path& path, std::string_view data) {
    try {
        std::filesystem::create_directories(path.parent_path());
        static std::atomic<uint64_t> counter{0};
        auto tmp = path.parent_path() /
                   (".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
        {
            std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
            out.write(data.data(), static_cast<std::streamsize>(data.size()));
            out.close();
            if (!out) {
                std::error_code ec;
                std::filesystem::remove(tmp, ec);
                throw std::runtime_error("write failed");
            }
        }
        std::filesystem::rename(tmp, path);
    } catch (const std::exception& e) {
        log_line("warning: cache " + path.string() + ": " + e.what());
    }
}

DomainError not_a_pdf() {
    return {415, "not_a_pdf", "Previews exist only for PDF documents."};
}
DomainError unreadable(const std::string& why) {
    return {422, "unreadable_pdf", "This PDF cannot be read (" + why + ")."};
}
DomainError no_such_page(int page) {
    return {404, "no_such_page", "The document has no page " + std::to_string(page) + "."};
}

}  // namespace

std::string Domain::preview_cache_path(const std::string& sha256, const std::string& name) const {
    if (cache_dir_.empty() || sha256.size() < 3) return "";
    return (std::filesystem::path(cache_dir_) / "previews" / sha256.substr(0, 2) / (sha256 + "-" + name)).string();
}

Result<Domain::Document> Domain::quote_pdf(const User& me, int64_t quote_id) {
    auto qv = quote_view(me, quote_id, Action::view_messages);
    if (!qv) return qv.error;
    const Quote& q = qv->record.quote;
    Document doc;
    doc.file_name = quote_pdf_file_name(q);
    QuotePdfParties parties;
    auto party = [](const std::optional<UserRecord>& u, QuotePdfParty& p) {
        if (!u) return;
        p.name = u->name;
        p.company = u->company;
        p.country = u->country;
    };
    auto seller = store_.user(qv->record.seller_id);
    party(seller, parties.seller);
    if (seller) parties.seller.email = seller->email;
    std::string language = "en";
    if (auto r = store_.request(q.request_id)) {
        language = r->language;
        party(store_.user(r->buyer_id), parties.buyer);
    }
    // The cache key covers everything printed (content, parties, language, renderer), not
    // the status: a re-seeded database reusing ids, or a renamed company, never gets
    // someone else's or a stale document.
    std::filesystem::path cached;
    if (!cache_dir_.empty()) {
        Quote content = q;
        content.status.clear();
        content.opened_at = content.accepted_at = content.paid_at = 0;
        content.accepted_by_name.clear();
        content.paid_provider.clear();
        content.paid_reference.clear();
        nlohmann::json key = {{"quote", content},
                              {"renderer", kQuotePdfRenderer},
                              {"language", language},
                              {"seller", {parties.seller.name, parties.seller.company, parties.seller.country,
                                          parties.seller.email}},
                              {"buyer", {parties.buyer.name, parties.buyer.company, parties.buyer.country}}};
        std::string hash = sha256_hex(key.dump());
        cached = std::filesystem::path(cache_dir_) / "quote-pdf" / (std::to_string(q.id) + "-" + hash.substr(0, 24) + ".pdf");
        if (auto bytes = read_file(cached.string()); bytes && bytes->rfind("%PDF-", 0) == 0) {
            doc.bytes = std::move(*bytes);
            return doc;
        }
    }
    std::string error;
    doc.bytes = render_quote_pdf(q, parties, language, &error);
    if (doc.bytes.empty()) {
        log_line("error: quote " + std::to_string(q.id) + " PDF: " + error);
        return DomainError{500, "pdf_failed", "The PDF of this quote could not be made."};
    }
    if (!cached.empty()) write_cache(cached, doc.bytes);
    return doc;
}

Result<Domain::PdfSource> Domain::attachment_pdf(const User& me, int64_t attachment_id) {
    auto d = download(me, attachment_id);
    if (!d) return d.error;
    if (d->attachment.type != kTypePdf) return not_a_pdf();
    auto bytes = read_file(d->path);
    if (!bytes) return DomainError{404, "not_found", "No such attachment."};
    return PdfSource{std::move(*bytes), d->attachment.sha256};
}

Result<Domain::PdfSource> Domain::quote_pdf_source(const User& me, int64_t quote_id) {
    auto doc = quote_pdf(me, quote_id);
    if (!doc) return doc.error;
    std::string sha = sha256_hex(doc->bytes);
    return PdfSource{std::move(doc->bytes), std::move(sha)};
}

Result<PdfPages> Domain::pdf_pages_of(const PdfSource& src) {
    std::string path = preview_cache_path(src.sha256, "pages.json");
    if (!path.empty())
        if (auto text = read_file(path)) {
            auto j = nlohmann::json::parse(*text, nullptr, false);
            if (j.is_object() && j.value("pages", 0) > 0) {
                PdfPages p;
                p.pages = j["pages"].get<int>();
                p.truncated = j.value("truncated", false);
                p.sizes = j["sizes"].get<std::vector<std::array<double, 2>>>();
                return p;
            }
        }
    PdfPages p;
    std::string error;
    if (pdf_pages(src.bytes, &p, &error) != PreviewStatus::ok) return unreadable(error);
    if (!path.empty()) write_cache(path, nlohmann::json(p).dump());
    return p;
}

Result<std::string> Domain::pdf_page_png_of(const PdfSource& src, int page, int width) {
    width = clamp_preview_width(width);
    std::string path;
    if (width % kCachedWidthStep == 0)
        path = preview_cache_path(src.sha256, tagged_id("p", page) + "-w" + std::to_string(width) + ".png");
    if (!path.empty())
        if (auto png = read_file(path)) return std::move(*png);
    std::string png, error;
    switch (render_pdf_page_png(src.bytes, page, width, &png, &error)) {
        case PreviewStatus::ok: break;
        case PreviewStatus::no_such_page: return no_such_page(page);
        case PreviewStatus::unreadable: return unreadable(error);
    }
    if (!path.empty()) write_cache(path, png);
    return png;
}

Result<PdfPages> Domain::attachment_pages(const User& me, int64_t attachment_id) {
    auto src = attachment_pdf(me, attachment_id);
    if (!src) return src.error;
    return pdf_pages_of(*src);
}

Result<std::string> Domain::attachment_page_png(const User& me, int64_t attachment_id, int page, int width) {
    auto src = attachment_pdf(me, attachment_id);
    if (!src) return src.error;
    return pdf_page_png_of(*src, page, width);
}

Result<PdfPages> Domain::quote_pdf_pages(const User& me, int64_t quote_id) {
    auto src = quote_pdf_source(me, quote_id);
    if (!src) return src.error;
    return pdf_pages_of(*src);
}

Result<std::string> Domain::quote_pdf_page_png(const User& me, int64_t quote_id, int page, int width) {
    auto src = quote_pdf_source(me, quote_id);
    if (!src) return src.error;
    return pdf_page_png_of(*src, page, width);
}

}  // namespace parley::server
