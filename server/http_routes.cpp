// The API's route table. See http_routes.h.
#include "server/http_routes.h"

namespace parley::server {

bool upload_route(Route r) {
    return r == Route::upload_status || r == Route::upload_chunk || r == Route::upload_complete ||
           r == Route::upload_cancel;
}

namespace {

// "<prefix><n>" with a non-empty last segment (the page number, read by http_documents.cpp).
bool is_page_path(std::string_view tail, std::string_view prefix) {
    return tail.size() > prefix.size() && tail.rfind(prefix, 0) == 0 &&
           tail.find('/', prefix.size()) == std::string_view::npos;
}

}  // namespace

// Matches the path's shape, then the method: {route, allowed methods for a 405}.
std::pair<Route, const char*> match_api(std::string_view rest, std::string_view method,
                                           std::string_view& id_text) {
    bool get = method == "GET", post = method == "POST", del = method == "DELETE";
    auto one = [&](bool ok, Route r, const char* allow) { return std::pair{ok ? r : Route::none, allow}; };
    if (rest == "/me") return one(get, Route::me, "GET");
    if (rest == "/logout") return one(post, Route::logout, "POST");
    if (rest == "/events") return one(get, Route::events, "GET");
    if (rest == "/contacts") return one(get, Route::contacts, "GET");
    if (rest == "/dev/mailbox") return one(get, Route::dev_mailbox, "GET");
    if (rest == "/network") return one(get, Route::network, "GET");
    if (rest == "/network/members") return one(post, Route::add_member, "POST");
    if (rest == "/requests") return {get ? Route::inbox : post ? Route::new_request : Route::none, "GET, POST"};
    if (rest.rfind("/attachments/", 0) == 0) {
        rest.remove_prefix(13);
        size_t slash = rest.find('/');
        id_text = rest.substr(0, slash);
        if (id_text.empty()) return {Route::none, ""};
        if (slash == std::string_view::npos) return one(get, Route::attachment, "GET");
        std::string_view tail = rest.substr(slash);
        if (tail == "/pages") return one(get, Route::attachment_pages, "GET");
        if (is_page_path(tail, "/pages/")) return one(get, Route::attachment_page, "GET");
        return {Route::none, ""};
    }
    if (rest.rfind("/uploads/", 0) == 0) {  // chunked uploads: the id is a token, not a number
        rest.remove_prefix(9);
        size_t slash = rest.find('/');
        id_text = rest.substr(0, slash);
        if (id_text.empty()) return {Route::none, ""};
        if (slash == std::string_view::npos) {
            bool put = method == "PUT";
            return {get ? Route::upload_status : put ? Route::upload_chunk : del ? Route::upload_cancel : Route::none,
                    "GET, PUT, DELETE"};
        }
        if (rest.substr(slash) == "/complete") return one(post, Route::upload_complete, "POST");
        return {Route::none, ""};
    }
    if (rest.rfind("/quotes/", 0) == 0) {
        rest.remove_prefix(8);
        size_t slash = rest.find('/');
        id_text = rest.substr(0, slash);
        if (id_text.empty()) return {Route::none, ""};
        if (slash == std::string_view::npos) return one(get, Route::quote, "GET");
        std::string_view tail = rest.substr(slash);
        if (tail == "/revise") return one(post, Route::revise_quote, "POST");
        if (tail == "/open") return one(post, Route::open_quote, "POST");
        if (tail == "/accept") return one(post, Route::accept_quote, "POST");
        if (tail == "/pdf") return one(get, Route::quote_pdf, "GET");
        if (tail == "/pdf/pages") return one(get, Route::quote_pdf_pages, "GET");
        if (is_page_path(tail, "/pdf/pages/")) return one(get, Route::quote_pdf_page, "GET");
        if (tail == "/pay") return one(post, Route::pay_quote, "POST");
        return {Route::none, ""};
    }
    if (rest.rfind("/network/members/", 0) == 0) {
        id_text = rest.substr(17);
        if (id_text.empty() || id_text.find('/') != std::string_view::npos) return {Route::none, ""};
        return {post ? Route::update_member : del ? Route::remove_member : Route::none, "POST, DELETE"};
    }
    if (rest.rfind("/requests/", 0) == 0) {
        rest.remove_prefix(10);
        size_t slash = rest.find('/');
        id_text = rest.substr(0, slash);
        if (id_text.empty()) return {Route::none, ""};
        if (slash == std::string_view::npos) return one(get, Route::detail, "GET");
        std::string_view tail = rest.substr(slash);
        static constexpr std::pair<std::string_view, Route> kActions[] = {
            {"/messages", Route::messages}, {"/read", Route::read},       {"/phone", Route::phone},
            {"/cc", Route::cc},             {"/forward", Route::forward}, {"/decline", Route::decline},
            {"/close", Route::close},       {"/rating", Route::rating},   {"/attachments", Route::upload},
            {"/quotes", Route::new_quote},  {"/uploads", Route::new_upload},
        };
        for (const auto& [name, r] : kActions)
            if (tail == name) return one(post, r, "POST");
    }
    return {Route::none, ""};
}

}  // namespace parley::server
