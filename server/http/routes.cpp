// The API's route table. See http_routes.h.
#include "server/http/routes.h"

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

// "/<collection>/<id>[<tail>]": true with id_text and tail ("" or "/..."), when `rest`
// starts with `prefix` ("/quotes/") and the id is not empty.
bool split_id(std::string_view rest, std::string_view prefix, std::string_view& id_text, std::string_view& tail) {
    if (rest.rfind(prefix, 0) != 0) return false;
    rest.remove_prefix(prefix.size());
    size_t slash = rest.find('/');
    id_text = rest.substr(0, slash);
    tail = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
    return !id_text.empty();
}

}  // namespace

// Matches the path's shape, then the method: {route, allowed methods for a 405}.
std::pair<Route, const char*> match_api(std::string_view rest, std::string_view method,
                                        std::string_view& id_text) {
    bool get = method == "GET", post = method == "POST", del = method == "DELETE", put = method == "PUT";
    auto one = [&](bool ok, Route r, const char* allow) { return std::pair{ok ? r : Route::none, allow}; };
    const std::pair<Route, const char*> none{Route::none, ""};
    if (rest == "/me") return one(get, Route::me, "GET");
    if (rest == "/me/settings") return {get ? Route::settings : put ? Route::update_settings : Route::none, "GET, PUT"};
    if (rest == "/logout") return one(post, Route::logout, "POST");
    if (rest == "/events") return one(get, Route::events, "GET");
    if (rest == "/contacts") return one(get, Route::contacts, "GET");
    if (rest == "/dev/mailbox") return one(get, Route::dev_mailbox, "GET");
    if (rest == "/translation/languages") return one(get, Route::translation_languages, "GET");
    if (rest == "/network") return one(get, Route::network, "GET");
    if (rest == "/network/members") return one(post, Route::add_member, "POST");
    if (rest == "/requests") return {get ? Route::inbox : post ? Route::new_request : Route::none, "GET, POST"};
    std::string_view tail;
    if (split_id(rest, "/attachments/", id_text, tail)) {
        if (tail.empty()) return one(get, Route::attachment, "GET");
        if (tail == "/pages") return one(get, Route::attachment_pages, "GET");
        if (is_page_path(tail, "/pages/")) return one(get, Route::attachment_page, "GET");
        return none;
    }
    if (split_id(rest, "/uploads/", id_text, tail)) {  // chunked uploads: the id is a token, not a number
        if (tail.empty())
            return {get ? Route::upload_status : put ? Route::upload_chunk : del ? Route::upload_cancel : Route::none,
                    "GET, PUT, DELETE"};
        if (tail == "/complete") return one(post, Route::upload_complete, "POST");
        return none;
    }
    if (split_id(rest, "/quotes/", id_text, tail)) {
        if (tail.empty()) return one(get, Route::quote, "GET");
        if (tail == "/revise") return one(post, Route::revise_quote, "POST");
        if (tail == "/open") return one(post, Route::open_quote, "POST");
        if (tail == "/accept") return one(post, Route::accept_quote, "POST");
        if (tail == "/pdf") return one(get, Route::quote_pdf, "GET");
        if (tail == "/pdf/pages") return one(get, Route::quote_pdf_pages, "GET");
        if (is_page_path(tail, "/pdf/pages/")) return one(get, Route::quote_pdf_page, "GET");
        if (tail == "/pay") return one(post, Route::pay_quote, "POST");
        return none;
    }
    if (split_id(rest, "/deliveries/", id_text, tail))  // issue 6: e-mail delivery status of a message
        return tail == "/retry" ? one(post, Route::retry_delivery, "POST") : none;
    if (split_id(rest, "/messages/", id_text, tail))  // issue 6: the e-mail a message was posted from
        return tail == "/original" ? one(get, Route::message_original, "GET") : none;
    if (split_id(rest, "/network/members/", id_text, tail)) {
        if (!tail.empty()) return none;
        return {post ? Route::update_member : del ? Route::remove_member : Route::none, "POST, DELETE"};
    }
    if (split_id(rest, "/requests/", id_text, tail)) {
        if (tail.empty()) return one(get, Route::detail, "GET");
        if (tail == "/translations") return one(get, Route::translations, "GET");  // issue 7
        static constexpr std::pair<std::string_view, Route> kActions[] = {
            {"/messages", Route::messages}, {"/read", Route::read},       {"/phone", Route::phone},
            {"/cc", Route::cc},             {"/forward", Route::forward}, {"/decline", Route::decline},
            {"/close", Route::close},       {"/rating", Route::rating},   {"/attachments", Route::upload},
            {"/quotes", Route::new_quote},  {"/uploads", Route::new_upload},
        };
        for (const auto& [name, r] : kActions)
            if (tail == name) return one(post, r, "POST");
    }
    return none;
}

}  // namespace parley::server
