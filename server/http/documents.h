// HTTP answers for quote PDFs and PDF page previews (issue 5), independent of RESTinio
// so that server/http/server.cpp only routes and forwards:
//   GET /quotes/{id}/pdf[?download=1], /quotes/{id}/pdf/pages, /quotes/{id}/pdf/pages/{n}?width=W,
//   GET /attachments/{id}/pages, /attachments/{id}/pages/{n}?width=W.
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/domain/domain.h"

namespace parley::server {

enum class DocumentRoute { quote_pdf, quote_pdf_pages, quote_pdf_page, attachment_pages, attachment_page };

struct DocumentAnswer {
    int status = 200;
    std::string content_type;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

// `path` is the request path (the page number is its last segment), `query` its query.
DocumentAnswer document_answer(Domain& domain, const User& me, DocumentRoute route, int64_t id,
                               std::string_view path, std::string_view query);

}  // namespace parley::server
