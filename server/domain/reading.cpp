// Reading at volume: inbox pages (filters and a keyset cursor, or a search), a request's
// page with the newest part of its history, and the older pages of that history. Each
// costs about one page of rows whatever the number of requests or messages.
#include <charconv>

#include "server/base/search_text.h"
#include "server/base/text.h"
#include "server/domain/detail.h"
#include "server/domain/domain.h"

namespace parley::server {

namespace {

DomainError bad_query(const std::string& message) { return DomainError{400, "invalid_query", message}; }

bool parse_i64(std::string_view s, int64_t& out) {
    if (s.empty() || s.size() > 19) return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size() && out >= 0;
}

bool valid_status(const std::string& s, bool buyer) {
    if (s.empty()) return true;
    if (buyer) return s == "open" || s == "answered";
    return s == "to_answer" || s == "answered" || s == "declined" || s == "won" || s == "lost";
}

bool valid_country(const std::string& c) {
    if (c.size() != 2) return false;
    for (char ch : c)
        if (ch < 'A' || ch > 'Z') return false;
    return true;
}

}  // namespace

// The snippet of a request that matched itself: from the field that matched, the request's
// text first (its name, company and country are on the row already), never the fields run
// together ("…Souza Equipamentos Ltda. BR Bombas…"). The stores give them one per line:
// name, company, country, product, then the text (which may have lines of its own).
static Snippet request_snippet(const std::string& fields, const std::vector<SearchTerm>& terms) {
    std::vector<std::string> f;
    size_t at = 0;
    for (size_t nl; f.size() < 4 && (nl = fields.find('\n', at)) != std::string::npos; at = nl + 1)
        f.push_back(fields.substr(at, nl - at));
    f.push_back(fields.substr(at));
    if (f.size() != 5) return search_snippet(fields, terms);
    for (size_t i : {4, 3, 0, 1}) {
        Snippet s = search_snippet(f[i], terms);
        if (!s.ranges.empty()) return s;
    }
    return search_snippet(f[4], terms);  // a country code matched: the request's text
}

Result<Inbox> Domain::inbox(const User& me, const InboxRequest& in) {
    const bool buyer = me.role == kRoleBuyer;
    InboxQuery q;
    if (!valid_status(in.status, buyer))
        return bad_query(buyer ? "\"status\" must be open or answered."
                               : "\"status\" must be to_answer, answered, declined, won or lost.");
    q.status = in.status;
    q.unread = in.unread;
    if (!in.country.empty() && !valid_country(in.country))
        return bad_query("\"country\" must be a two-letter country code such as ES.");
    q.country = in.country;
    if (in.handler == "me") {
        q.handler = 0;
    } else if (!in.handler.empty()) {
        if (!parse_i64(in.handler, q.handler) || q.handler == 0)
            return bad_query("\"handler\" must be me or a user id.");
    }
    if (in.limit < 1 || in.limit > kMaxInboxPage) return bad_query("\"limit\" must be 1 to 100.");
    q.limit = in.limit;
    q.counts = in.counts;
    if (in.search.size() > 200) return bad_query("The search is longer than 200 bytes.");
    const std::vector<SearchTerm> terms = search_terms(in.search);

    Inbox out;
    out.me = me;
    out.cursor = hub_.last_id();  // before the query: nothing newer is lost by the client
    if (!terms.empty()) {
        // A search: best match first; the page is an offset into the ranked hits.
        int64_t offset = 0;
        if (!in.page.empty() && (!parse_i64(in.page, offset) || offset > 10000))
            return bad_query("\"page\" is not a page of this search.");
        out.search = in.search;
        SearchCount found;
        auto hits = store_.search(me.id, in.search, q, static_cast<int>(offset), q.limit + 1, &found);
        if (static_cast<int>(hits.size()) > q.limit) {
            hits.resize(static_cast<size_t>(q.limit));
            out.next_page = std::to_string(offset + q.limit);
        }
        for (auto& h : hits) {
            RequestSummary r = std::move(h.request);
            r.match_message_id = h.message_id;
            Snippet s = h.message_id ? search_snippet(h.text, terms) : request_snippet(h.text, terms);
            r.match_text = std::move(s.text);
            r.match_ranges = std::move(s.ranges);
            out.requests.push_back(std::move(r));
        }
        out.total = found.found;
        out.total_more = found.more;
    } else {
        if (!in.page.empty()) {
            // "<last activity>_<request id>" of the previous page's last row.
            const size_t cut = in.page.find('_');
            if (cut == std::string::npos || !parse_i64(std::string_view(in.page).substr(0, cut), q.after_activity) ||
                !parse_i64(std::string_view(in.page).substr(cut + 1), q.after_id) || q.after_activity == 0)
                return bad_query("\"page\" is not an inbox page.");
        }
        InboxPage p = store_.inbox_page(me.id, q);
        if (p.more && !p.rows.empty())
            out.next_page = std::to_string(p.rows.back().last_activity) + "_" + std::to_string(p.rows.back().id);
        out.requests = std::move(p.rows);
        out.total = p.total;
        out.unread = p.unread;
        out.to_answer = buyer ? 0 : p.to_answer;
    }
    if (!in.counts) return out;
    if (!terms.empty()) {
        InboxQuery badges;
        badges.limit = 1;
        InboxPage b = store_.inbox_page(me.id, badges);
        out.unread = b.unread;
        out.to_answer = buyer ? 0 : b.to_answer;
    }
    if (is_seller_role(me.role) && in.page.empty()) {
        // A 90-day statistic, computed at most once a minute per seller — and again as soon
        // as their "to answer" count moved (they answered or declined: the score moves too).
        const Millis now = now_();
        {
            std::lock_guard lk(scores_mu_);
            auto it = scores_.find(me.id);
            if (it != scores_.end() && now - it->second.at < 60 * 1000 &&
                it->second.to_answer == out.to_answer)
                out.score = it->second.score;
        }
        if (!out.score) {
            out.score = store_.seller_score(me.id, now);
            std::lock_guard lk(scores_mu_);
            scores_[me.id] = {now, out.to_answer, *out.score};
        }
    }
    return out;
}

Result<Inbox> Domain::scoped_inbox(const User& me, int64_t request_id, const InboxRequest& in) {
    if (!trim(in.search).empty())
        return DomainError{403, "scoped_session",
                           "This link opens only request " + std::to_string(request_id) +
                               ". Ask for a full sign-in link to search."};
    Inbox out;
    out.me = me;
    out.scope_request_id = request_id;
    out.cursor = hub_.last_id();
    if (!in.page.empty()) return out;  // one row: there is no second page
    // The row of a request they can no longer see is left out, like any other.
    auto row = view(me, request_id) ? store_.inbox_entry(me.id, request_id) : std::nullopt;
    if (row) {
        out.total = 1;
        out.unread = row->unread ? 1 : 0;
        out.to_answer = me.role != kRoleBuyer && row->status == "to_answer" ? 1 : 0;
        out.requests.push_back(std::move(*row));
    }
    return out;
}

Result<RequestDetail> Domain::detail_window(const User& me, int64_t request_id, ThreadWindow window,
                                            int64_t* newer) {
    auto v = view(me, request_id);
    if (!v) return not_found();
    // Only the conversations this viewer may see, so that a page is a page of theirs.
    if (!v->access.buyer) window.conversations = v->access.conversations;
    auto d = store_.request_data(request_id, window);
    if (!d) return not_found();
    if (newer) *newer = d->newer;
    fill_deliveries(*d);  // e-mail delivery status, shown to each message's author
    RequestDetail out = build_detail(*d, v->facts, v->access, store_.phone_revealed(me.id, request_id), now_());
    out.can.from_required = out.can.reply && me.role != kRoleBuyer && email_undeliverable(me.id);
    fill_languages(out);  // translation
    if (!newer) out.held_replies = held_replies(me, v->facts);  // the newest page (e-mail in)
    return out;
}

Result<HistoryPage> Domain::history(const User& me, int64_t request_id, const HistoryQuery& q) {
    const int given = (q.before > 0) + (q.after > 0) + (q.around > 0);
    if (given != 1 || q.before < 0 || q.after < 0 || q.around < 0)
        return bad_query("Give one of \"before\", \"after\" or \"around\" (a message id).");
    if (q.down_to < 0 || (q.down_to > 0 && (q.before == 0 || q.down_to >= q.before)))
        return bad_query("\"down_to\" must be a message id older than \"before\".");
    if (q.limit < 1 || q.limit > 200) return bad_query("\"limit\" must be 1 to 200.");
    ThreadWindow w;
    w.before = q.before;
    w.down_to = q.down_to;
    w.after = q.after;
    w.around = q.around;
    w.limit = q.limit;
    int64_t newer = 0;
    auto d = detail_window(me, request_id, std::move(w), &newer);
    if (!d) return d.error;
    // A jump to a message this viewer may not see (or of another request) finds nothing.
    if (q.around > 0 && std::none_of(d->messages.begin(), d->messages.end(),
                                     [&](const Message& m) { return m.id == q.around; }))
        return DomainError{404, "no_message", "This message does not exist or is not visible to you."};
    HistoryPage out;
    out.request_id = request_id;
    out.messages = std::move(d->messages);
    out.events = std::move(d->events);
    out.older = d->older;
    out.newer = newer;
    return out;
}

}  // namespace parley::server
