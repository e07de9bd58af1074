// Export: the inbox as a table (CSV or XLSX), with the filters and search the user has on
// screen. Rows come from the same pages as GET /requests, so visibility is the inbox's
// own: a distributor's export holds what their inbox shows and nothing else. The pages
// skip the totals and badges, so an export of 100,000 requests reads each row once.
#include "server/documents/table_export.h"
#include "server/domain/domain.h"

namespace parley::server {

Result<int> Domain::export_inbox(const User& me, InboxRequest q, TableWriter& out) {
    std::string base = mail_url_;
    while (!base.empty() && base.back() == '/') base.pop_back();
    q.page.clear();
    q.limit = kMaxInboxPage;
    q.counts = false;
    const bool buyer = me.role == kRoleBuyer;
    // Stable English titles and status codes: what a CRM import maps once.
    std::vector<std::string> titles = {"Request", "Link", "Received", buyer ? "Seller side" : "Buyer", "Company",
                                       "Country", "Language", "Product", "Status", "Handler", "Messages",
                                       "Last activity", "Unread", "Latest message"};
    if (!q.search.empty()) titles.push_back("Match");
    out.header(titles);
    int rows = 0;
    for (;;) {
        auto page = inbox(me, q);
        if (!page) return page.error;
        for (const auto& r : page->requests) {
            std::vector<Cell> cells = {Cell::num(r.id),
                                       Cell::str(base + "/requests/" + std::to_string(r.id)),
                                       Cell::when(r.created),
                                       Cell::str(r.buyer_name),
                                       Cell::str(r.buyer_company),
                                       Cell::str(r.country),
                                       Cell::str(r.language),
                                       Cell::str(r.product),
                                       Cell::str(r.status),
                                       Cell::str(r.handler_name),
                                       Cell::num(r.message_count),
                                       Cell::when(r.last_activity),
                                       Cell::str(r.unread ? "yes" : ""),
                                       Cell::str(r.snippet)};
            if (!q.search.empty()) cells.push_back(Cell::str(r.match_text));
            out.row(cells);
            ++rows;
        }
        if (page->next_page.empty()) break;
        q.page = page->next_page;
    }
    out.finish();
    return rows;
}

}  // namespace parley::server
